// The throw-away cluster every team-history test stands on: it starts as an unprivileged user even
// when the tests run as root, accepts only the generated password, and is gone after stop().
#include "pgcluster.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTest>

using djp::test::PgCluster;

class TestPgCluster : public QObject
{
    Q_OBJECT
private slots:
    void startsQueriesAndStops()
    {
        PgCluster cluster;
        QVERIFY2(cluster.start(), qPrintable(cluster.error()));
        QVERIFY(cluster.port() > 0);
        bool ok = false;
        QCOMPARE(cluster.psql(QStringLiteral("select 40 + 2"), QStringLiteral("postgres"), &ok), QStringLiteral("42"));
        QVERIFY(ok);
        const QString version = cluster.psql(QStringLiteral("show server_version_num"));
        QVERIFY2(version.toInt() >= 150000, qPrintable(version));
        // The server never runs as root.
        QVERIFY(
            cluster.psql(QStringLiteral("select current_setting('data_directory')")).endsWith(QStringLiteral("/data")));
        // Password authentication is on: a wrong password is refused.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QStringLiteral("wrong"));
        p.setProcessEnvironment(env);
        p.start(cluster.binDir() + QStringLiteral("/psql"),
            { QStringLiteral("-X"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                QString::number(cluster.port()), QStringLiteral("-U"), cluster.superuser(), QStringLiteral("-c"),
                QStringLiteral("select 1"), QStringLiteral("postgres") });
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY2(p.readAllStandardError().contains("password authentication failed"), "wrong password accepted");

        QVERIFY(cluster.stop());
        QVERIFY(!cluster.isRunning());
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(cluster.port()));
        QVERIFY(!socket.waitForConnected(5000));
    }
};

QTEST_GUILESS_MAIN(TestPgCluster)
#include "tst_pgcluster.moc"
