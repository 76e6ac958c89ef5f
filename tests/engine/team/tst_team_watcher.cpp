// Live updates: a TeamWatcher listening on the team history hears another process's push (through
// LISTEN/NOTIFY, no polling) with the number of runs inserted, hears nothing for a push that inserts
// nothing, and reports a lost connection when the server goes away.
#include "clirunner.h"
#include "isolatedenv.h"
#include "pgcluster.h"

#include "benchdata/syntheticartifacts.h"
#include "team/teamwatcher.h"

#include <QSignalSpy>
#include <QTest>

using namespace djp;
using namespace djp::test;

class TestTeamWatcher : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    test::IsolatedEnvironment m_env;
    CliRunner m_cli;

    int pushAsync(const QString& url, const QString& runs)
    {
        // Another analyst: a separate process. The event loop keeps running meanwhile.
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        p.setProcessEnvironment(env);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(cliPath(), { "team", "push", "--db", url, "--runs-dir", runs });
        if (!finished.wait(120000))
            return -1;
        return p.exitCode();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE live"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        QCOMPARE(m_cli.run({ "team", "init", "--db", m_cluster.url(QStringLiteral("live")) }).exitCode, 0);
    }

    void hearsAnotherAnalystsPush()
    {
        const QString url = m_cluster.url(QStringLiteral("live"));
        TeamWatcher watcher;
        QSignalSpy arrived(&watcher, &TeamWatcher::runsArrived);
        DbError e;
        QVERIFY2(watcher.start(url, &e), qPrintable(e.message));
        QVERIFY(watcher.isListening());

        SyntheticOptions o;
        o.count = 30;
        o.endMs = 1790000000000;
        const QString runs = m_env.path(QStringLiteral("runs"));
        QVERIFY(writeSyntheticArtifacts(runs, o).ok);
        QCOMPARE(pushAsync(url, runs), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!arrived.isEmpty(), 10000);
        int total = 0;
        for (const QList<QVariant>& a : arrived)
            total += a.at(0).toInt();
        QCOMPARE(total, 30);

        // A push that inserts nothing notifies nothing; a later real push is heard again (so the
        // first check is not just slow delivery).
        arrived.clear();
        QCOMPARE(pushAsync(url, runs), 0);
        SyntheticOptions more = o;
        more.seed = 77;
        more.count = 3;
        QVERIFY(writeSyntheticArtifacts(m_env.path(QStringLiteral("more")), more).ok);
        QCOMPARE(pushAsync(url, m_env.path(QStringLiteral("more"))), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!arrived.isEmpty(), 10000);
        QCOMPARE(arrived.size(), 1);
        QCOMPARE(arrived.first().at(0).toInt(), 3);
    }

    void reportsALostConnection()
    {
        TeamWatcher watcher;
        QSignalSpy lost(&watcher, &TeamWatcher::connectionLost);
        DbError e;
        QVERIFY2(watcher.start(m_cluster.url(QStringLiteral("live")), &e), qPrintable(e.message));
        QVERIFY(m_cluster.stop());
        QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty(), 20000);
        QVERIFY(lost.first().at(0).toString().contains(QStringLiteral("lost the connection")));
        QVERIFY(!lost.first().at(0).toString().contains(m_cluster.superuserPassword()));
        QVERIFY(!watcher.isListening());
    }
};

QTEST_GUILESS_MAIN(TestTeamWatcher)
#include "tst_team_watcher.moc"
