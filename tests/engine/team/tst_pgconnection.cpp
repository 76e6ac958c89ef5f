// Passwords never leave redactDbUrl(): URI and key=value forms, passwords in the user-info part or in
// the query string, percent-encoded ones; and a malformed URL is an error value, not a crash.
#include "team/pgconnection.h"

#include <QTest>

using namespace djp;

class TestPgConnection : public QObject
{
    Q_OBJECT
private slots:
    void redactsPasswords_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("secret");
        QTest::newRow("user info") << QStringLiteral("postgresql://ann:s3cret@db.example.org:6543/team?sslmode=require")
                                   << QStringLiteral("postgresql://ann@db.example.org:6543/team?sslmode=require")
                                   << QStringLiteral("s3cret");
        QTest::newRow("percent-encoded") << QStringLiteral("postgresql://ann:p%40ss%2Fw0rd@db/team")
                                         << QStringLiteral("postgresql://ann@db/team") << QStringLiteral("p%40ss");
        QTest::newRow("query password") << QStringLiteral("postgres://ann@db/team?password=hunter2&sslmode=verify-full")
                                        << QStringLiteral("postgres://ann@db/team?sslmode=verify-full")
                                        << QStringLiteral("hunter2");
        QTest::newRow("no password") << QStringLiteral("postgresql://ann@db/team")
                                     << QStringLiteral("postgresql://ann@db/team") << QStringLiteral("");
        QTest::newRow("key=value") << QStringLiteral("host=db port=5432 user=ann password='two words' dbname=team")
                                   << QStringLiteral("user=ann dbname=team host=db port=5432")
                                   << QStringLiteral("two words");
    }
    void redactsPasswords()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QFETCH(QString, secret);
        const QString redacted = redactDbUrl(url);
        if (url.startsWith(QLatin1String("host="))) {
            // libpq orders key=value options its own way: compare as sets.
            const QStringList got = redacted.split(QLatin1Char(' '));
            const QStringList want = expected.split(QLatin1Char(' '));
            QCOMPARE(QSet<QString>(got.begin(), got.end()), QSet<QString>(want.begin(), want.end()));
        } else {
            QCOMPARE(redacted, expected);
        }
        if (!secret.isEmpty())
            QVERIFY(!redacted.contains(secret));
    }

    // How the desktop app names a team history: host, port and database, never the password.
    void labelsAndPasswordPresence()
    {
        QCOMPARE(dbUrlLabel(QStringLiteral("postgresql://alice:s3cret@db.example.com:6543/team?sslmode=require")),
            QStringLiteral("db.example.com:6543/team"));
        QCOMPARE(dbUrlLabel(QStringLiteral("host=10.0.0.5 dbname=djp user=bob password=s3cret")),
            QStringLiteral("10.0.0.5/djp"));
        QCOMPARE(dbUrlLabel(QStringLiteral("postgresql://carol@/")), QStringLiteral("localhost/carol"));
        QVERIFY(dbUrlHasPassword(QStringLiteral("postgresql://alice:s3cret@db/team")));
        QVERIFY(dbUrlHasPassword(QStringLiteral("postgresql://alice@db/team?password=s3cret")));
        QVERIFY(dbUrlHasPassword(QStringLiteral("host=db password='a b'")));
        QVERIFY(!dbUrlHasPassword(QStringLiteral("postgresql://alice@db/team?sslmode=require")));
        QVERIFY(!dbUrlHasPassword(QStringLiteral("host=db dbname=team")));
    }

    void badUrlsAreErrorValues_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("empty") << QStringLiteral("");
        QTest::newRow("unknown parameter") << QStringLiteral("postgresql://ann:pw-777@127.0.0.1/db?bogus=1");
        QTest::newRow("bad port") << QStringLiteral("postgresql://ann:pw-777@127.0.0.1:notaport/db");
        QTest::newRow("bad sslmode") << QStringLiteral("postgresql://ann:pw-777@127.0.0.1/db?sslmode=sometimes");
    }
    void badUrlsAreErrorValues()
    {
        QFETCH(QString, url);
        DbError e;
        QVERIFY(!PgConnection::open(url, &e));
        QCOMPARE(e.code, QStringLiteral("bad_url"));
        QVERIFY(!e.message.contains('\n'));
        QVERIFY(!e.message.contains(QStringLiteral("pw-777")));
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
