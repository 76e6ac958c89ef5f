// `djp run --db URL`: the artifact is written locally first, then pushed; with the server down the
// run still succeeds locally, says so, and the next `djp team push` catches up. Nothing is lost.
#include "clirunner.h"
#include "pgcluster.h"

#include <QDir>
#include <QRegularExpression>
#include <QTest>
#include <nlohmann/json.hpp>

using namespace djp::test;

class TestTeamRun : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    CliRunner m_cli;

    QStringList runArgs(const QString& runsDir, const QString& url, const QString& task)
    {
        return { "run", "--offline", "--preset", "quick", "--quiet", "--task", task, "--runs-dir", runsDir, "--db",
            url };
    }
    static QString artifactPath(const QByteArray& out)
    {
        const QRegularExpressionMatch m
            = QRegularExpression(QStringLiteral("Artifact: (\\S+)")).match(QString::fromUtf8(out));
        return m.hasMatch() ? m.captured(1) : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE team"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        QCOMPARE(m_cli.run({ "team", "init", "--db", m_cluster.url(QStringLiteral("team")) }).exitCode, 0);
    }

    void runThenServerDownThenCatchUp()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs"));
        QString url = m_cluster.url(QStringLiteral("team"));

        // 1. Server up: the run lands in both places.
        CliResult r = m_cli.run(runArgs(runs, url, QStringLiteral("First team run")));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("Team history: pushed to postgresql://djp_admin@127.0.0.1"), r.out.constData());
        QVERIFY(!r.out.contains(m_cluster.superuserPassword().toUtf8()));
        const QString first = artifactPath(r.out);
        QVERIFY(QFileInfo::exists(first));
        QFile f(first);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::string runId = nlohmann::json::parse(f.readAll().toStdString())["run_id"].get<std::string>();
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT run_key || '|' || artifact_file || '|' || task FROM djp.runs"),
                     QStringLiteral("team")),
            QString::fromStdString(runId) + QLatin1Char('|') + first + QStringLiteral("|First team run"));

        // 2. Server down: the run still succeeds locally and says the history was not updated.
        QVERIFY(m_cluster.stop());
        r = m_cli.run(runArgs(runs, url, QStringLiteral("Run while the server is down")), 90000);
        QVERIFY2(r.finished, "djp run hung on a stopped server");
        QCOMPARE(r.exitCode, 0);
        const QString second = artifactPath(r.out);
        QVERIFY(QFileInfo::exists(second));
        QVERIFY2(r.err.contains("the run is saved locally; the team history was not updated"), r.err.constData());
        QVERIFY(r.err.contains("djp team push"));
        QVERIFY(!r.err.contains(m_cluster.superuserPassword().toUtf8()));

        // 3. Server back (on a new port): a push catches up; pushing again changes nothing.
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        url = m_cluster.url(QStringLiteral("team"));
        r = m_cli.run({ "team", "push", "--db", url, "--runs-dir", runs, "--json" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        nlohmann::json j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["pushed"].get<int>(), 1);
        QCOMPARE(j["present"].get<int>(), 1);
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM djp.runs"), QStringLiteral("team")).toInt(), 2);
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT task FROM djp.runs WHERE artifact_file = '%1'").arg(second),
                     QStringLiteral("team")),
            QStringLiteral("Run while the server is down"));
        r = m_cli.run({ "team", "push", "--db", url, "--runs-dir", runs, "--json" });
        j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["pushed"].get<int>(), 0);
        QCOMPARE(j["present"].get<int>(), 2);
        QCOMPARE(m_cluster.psql(QStringLiteral("SELECT count(*) FROM djp.runs"), QStringLiteral("team")).toInt(), 2);
    }

    void runWithWrongPasswordStillSavesLocally()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs2"));
        const QString url
            = QStringLiteral("postgresql://djp_admin:wrong-pw-77@127.0.0.1:%1/team").arg(m_cluster.port());
        const CliResult r = m_cli.run(runArgs(runs, url, QStringLiteral("Wrong password run")));
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFileInfo::exists(artifactPath(r.out)));
        QVERIFY2(r.err.contains("wrong or missing password"), r.err.constData());
        QVERIFY(!r.err.contains("wrong-pw-77"));
        QVERIFY(!r.out.contains("wrong-pw-77"));
    }

    void cleanupTestCase() { QVERIFY(m_cluster.stop()); }
};

QTEST_GUILESS_MAIN(TestTeamRun)
#include "tst_team_run.moc"
