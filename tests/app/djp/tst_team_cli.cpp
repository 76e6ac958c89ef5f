// `djp team init`, `push` and `spend` against a real throw-away PostgreSQL server: idempotent
// migrations and roles, idempotent and resumable push with problems listed, append-only rights,
// spend per analyst, and one clear line for every connection failure.
#include "clirunner.h"
#include "pgcluster.h"

#include "benchdata/syntheticartifacts.h"
#include "store/runstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <limits>
#include <nlohmann/json.hpp>

using namespace djp;
using namespace djp::test;
using Json = nlohmann::json;

namespace {
constexpr qint64 kEndMs = 1790000000000; // 2026-09-21, fixed so the data is the same on any day
}

class TestTeamCli : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    QString m_runs;
    SyntheticResult m_fixture;
    SyntheticOptions m_options;
    CliRunner m_cli;

    QString createDb(const QString& name)
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE %1").arg(name), QStringLiteral("postgres"), &ok);
        return ok ? m_cluster.url(name) : QString();
    }
    Json pushJson(const QString& url, const QString& runsDir, CliResult* raw = nullptr)
    {
        const CliResult r
            = m_cli.run({ "team", "push", "--db", url, "--runs-dir", runsDir, "--json", "--batch-size", "50" });
        if (raw)
            *raw = r;
        if (r.exitCode != 0)
            return Json();
        return Json::parse(r.out.toStdString(), nullptr, false);
    }
    qint64 count(const QString& db, const QString& sql) { return m_cluster.psql(sql, db).toLongLong(); }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        m_runs = m_tmp.filePath(QStringLiteral("runs"));
        m_options.count = 160;
        m_options.seed = 11;
        m_options.corruptShare = 0.03;
        m_options.noTimestampShare = 0.02;
        m_options.endMs = kEndMs;
        m_options.spanDays = 200; // several month partitions
        m_fixture = writeSyntheticArtifacts(m_runs, m_options);
        QVERIFY2(m_fixture.ok, qPrintable(m_fixture.error));
        QVERIFY(!m_fixture.corruptFiles.isEmpty());
        QVERIFY(m_fixture.legacyFiles > 0);
    }

    void initIsIdempotent()
    {
        const QString url = createDb(QStringLiteral("t_init"));
        QVERIFY(!url.isEmpty());
        CliResult r = m_cli.run({ "team", "init", "--db", url, "--create-roles" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("schema version 6 (applied: 1 runs history, 2 rollups, 3 cost details, 4 cost rollups, "
                                "5 all-time rollups, 6 analyst rollup)"),
            r.out.constData());
        QVERIFY(r.out.contains("Created the group roles"));
        QVERIFY2(!r.out.contains(m_cluster.superuserPassword().toUtf8()), "password printed");
        r = m_cli.run({ "team", "init", "--db", url, "--create-roles" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("up to date, nothing to do"), r.out.constData());
        QVERIFY(!r.out.contains("Created the group roles"));
        QCOMPARE(count("t_init", "SELECT count(*) FROM djp.schema_migrations"), 6);
        QCOMPARE(count("t_init", "SELECT count(*) FROM pg_roles WHERE rolname IN ('djp_reader','djp_writer')"), 2);
        // The URL may come from the environment instead of the command line.
        CliRunner envCli;
        envCli.setEnv(QStringLiteral("DJP_DB_URL"), url);
        r = envCli.run({ "team", "init" });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("nothing to do"));
    }

    void pushIsIdempotentAndListsProblems()
    {
        const QString url = createDb(QStringLiteral("t_push"));
        QVERIFY(m_cli.run({ "team", "init", "--db", url }).exitCode == 0);
        const int valid = m_fixture.written - static_cast<int>(m_fixture.corruptFiles.size());
        CliResult raw;
        Json j = pushJson(url, m_runs, &raw);
        QVERIFY2(j.is_object(), raw.err.constData());
        QCOMPARE(j["pushed"].get<int>(), valid);
        QCOMPARE(j["present"].get<int>(), 0);
        QStringList problemPaths;
        for (const Json& p : j["problems"])
            problemPaths << QString::fromStdString(p["path"].get<std::string>());
        problemPaths.sort();
        problemPaths.removeDuplicates(); // a run with a bad timestamp is pushed and also listed
        // Unreadable files are listed and not pushed; runs whose timestamp is unusable are pushed (they
        // count under "all time") and listed too.
        QStringList expectedProblems = m_fixture.corruptFiles + m_fixture.badTimestampFiles;
        expectedProblems.sort();
        expectedProblems.removeDuplicates();
        QCOMPARE(problemPaths, expectedProblems);
        QVERIFY2(raw.err.contains(QByteArray(QByteArray::number(valid) + "/" + QByteArray::number(valid))),
            raw.err.constData()); // progress on stderr
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs"), valid);
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.run_keys"), valid);
        // Runs are spread over month partitions; undated runs sit in the default partition.
        QVERIFY(count("t_push", "SELECT count(*) FROM pg_inherits WHERE inhparent = 'djp.runs'::regclass") >= 7);
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs_undated"), m_fixture.noTimestamp);
        // Legacy files have no run_id: their identity is the hash of their bytes.
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs WHERE run_key LIKE 'sha256:%'"), m_fixture.legacyFiles);
        // The stored artifact is the file.
        const QString someFile = m_cluster.psql(
            "SELECT artifact_file FROM djp.runs WHERE run_key LIKE 'sha256:%' ORDER BY artifact_file LIMIT 1",
            "t_push");
        QFile f(someFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString digest
            = QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        QCOMPARE(
            count("t_push",
                QStringLiteral("SELECT count(*) FROM djp.runs WHERE run_key = 'sha256:%1' AND artifact_file = '%2' "
                               "AND (artifact::jsonb->'run_metadata') IS NOT NULL")
                    .arg(digest, someFile)),
            1);

        // Every run carries its cost details; rows without them (what an older djp pushes) are filled
        // by the next init from their stored artifact, and then equal what the push wrote.
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs WHERE NOT cost_details"), 0);
        QVERIFY(count("t_push", "SELECT count(*) FROM djp.run_buckets") > valid);
        const QString before = m_cluster.psql("SELECT md5(string_agg(run_key || est_cost_nano || cache_read_tokens || "
                                              "bucket_labels::text || bucket_input::text || bucket_output::text || "
                                              "coalesce(price_day::text, '-'), ',' ORDER BY run_key)) FROM djp.runs",
            "t_push");
        m_cluster.psql("UPDATE djp.runs SET cost_details = false, est_cost_nano = 0, bucket_labels = '{}', "
                       "bucket_input = '{}', bucket_output = '{}', price_day = NULL WHERE run_key IN "
                       "(SELECT run_key FROM djp.runs ORDER BY run_key LIMIT 7)",
            "t_push");
        const CliResult refill = m_cli.run({ "team", "init", "--db", url });
        QVERIFY2(refill.out.contains("Filled in the cost details of 7 runs from their stored artifacts."),
            refill.out.constData());
        QCOMPARE(m_cluster.psql("SELECT md5(string_agg(run_key || est_cost_nano || cache_read_tokens || "
                                "bucket_labels::text || bucket_input::text || bucket_output::text || "
                                "coalesce(price_day::text, '-'), ',' ORDER BY run_key)) FROM djp.runs",
                     "t_push"),
            before);

        // Again: nothing new.
        j = pushJson(url, m_runs);
        QCOMPARE(j["pushed"].get<int>(), 0);
        QCOMPARE(j["present"].get<int>(), valid);
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs"), valid);

        // A copy of a run in a sub-folder is the same run; a new run is pushed alone.
        QDir(m_runs).mkpath(QStringLiteral("copies"));
        QVERIFY(QFile::copy(someFile, m_runs + QStringLiteral("/copies/copy.json")));
        const std::string extra = syntheticArtifactBytes(m_options, 100000, false);
        QFile nf(m_runs + QStringLiteral("/extra-run.json"));
        QVERIFY(nf.open(QIODevice::WriteOnly));
        nf.write(extra.data(), static_cast<qint64>(extra.size()));
        nf.close();
        j = pushJson(url, m_runs);
        QCOMPARE(j["pushed"].get<int>(), 1);
        QCOMPARE(j["present"].get<int>(), valid + 1);
        QCOMPARE(count("t_push", "SELECT count(*) FROM djp.runs"), valid + 1);
        QFile::remove(m_runs + QStringLiteral("/copies/copy.json"));
        QFile::remove(m_runs + QStringLiteral("/extra-run.json"));
        QDir(m_runs + QStringLiteral("/copies")).removeRecursively();

        // Plain output names the counts.
        const CliResult plain = m_cli.run({ "team", "push", "--db", url, "--runs-dir", m_runs });
        QCOMPARE(plain.exitCode, 0);
        QVERIFY2(plain.out.contains("Pushed 0 new runs"), plain.out.constData());
        QVERIFY(!plain.out.contains(m_cluster.superuserPassword().toUtf8()));
        QVERIFY(plain.out.contains("postgresql://djp_admin@127.0.0.1"));
    }

    // The push summary counts runs, problems and files as plurals (docs/architecture.md, "Plurals").
    void pushSummaryCountsReadAsPlurals()
    {
        const QString url = createDb(QStringLiteral("t_plurals"));
        QVERIFY(m_cli.run({ "team", "init", "--db", url }).exitCode == 0);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto write = [&](const QString& name, const std::string& bytes) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.data(), static_cast<qint64>(bytes.size()));
        };
        const auto push = [&] { return m_cli.run({ "team", "push", "--db", url, "--runs-dir", dir.path() }); };
        SyntheticOptions clean = m_options;
        clean.noTimestampShare = 0; // no run is listed as a problem too

        write(QStringLiteral("run-1.json"), syntheticArtifactBytes(clean, 200001, false));
        write(QStringLiteral("broken-1.json"), "{ not json");
        CliResult r = push();
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("Pushed 1 new run to "), r.out.constData());
        QVERIFY2(r.out.contains("; 0 already there; 1 problem not pushed ("), r.out.constData());
        QVERIFY2(r.err.contains("djp team push: 1 file not pushed:\n"), r.err.constData());

        write(QStringLiteral("run-2.json"), syntheticArtifactBytes(clean, 200002, false));
        write(QStringLiteral("run-3.json"), syntheticArtifactBytes(clean, 200003, false));
        write(QStringLiteral("broken-2.json"), "[1,");
        r = push();
        QVERIFY2(r.out.startsWith("Pushed 2 new runs to "), r.out.constData());
        QVERIFY2(r.out.contains("; 1 already there; 2 problems not pushed ("), r.out.constData());
        QVERIFY2(r.err.contains("djp team push: 2 files not pushed:\n"), r.err.constData());

        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("broken-1.json"))));
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("broken-2.json"))));
        r = push();
        QVERIFY2(r.out.startsWith("Pushed 0 new runs to "), r.out.constData());
        QVERIFY2(r.out.contains("; 3 already there; 0 problems not pushed ("), r.out.constData());
        QVERIFY2(!r.err.contains("not pushed"), r.err.constData());
    }

    void rolesAreAppendOnly()
    {
        const QString url = createDb(QStringLiteral("t_roles"));
        QVERIFY(m_cli.run({ "team", "init", "--db", url, "--create-roles" }).exitCode == 0);
        bool ok = false;
        m_cluster.psql("CREATE ROLE ann LOGIN PASSWORD 'ann-secret-1' IN ROLE djp_reader;"
                       "CREATE ROLE wes LOGIN PASSWORD 'wes-secret-1' IN ROLE djp_writer;",
            "t_roles", &ok);
        QVERIFY2(ok, qPrintable(m_cluster.error()));
        const QString readerUrl = m_cluster.urlFor("ann", "ann-secret-1", "t_roles");
        const QString writerUrl = m_cluster.urlFor("wes", "wes-secret-1", "t_roles");

        // The reader cannot push: one line, non-zero exit, no password.
        CliResult r = m_cli.run({ "team", "push", "--db", readerUrl, "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("lacks the rights"), r.err.constData());
        QVERIFY(!r.err.contains("ann-secret-1"));
        QCOMPARE(count("t_roles", "SELECT count(*) FROM djp.runs"), 0);

        // The writer can, including creating month partitions it has no right to create itself.
        const Json j = pushJson(writerUrl, m_runs, &r);
        QVERIFY2(j.is_object(), r.err.constData());
        QVERIFY(j["pushed"].get<int>() > 0);
        QCOMPARE(count("t_roles", "SELECT count(DISTINCT pushed_by) FROM djp.runs WHERE pushed_by = 'wes'"), 1);

        // Append-only: the writer can neither change nor delete history; the reader can read it.
        QString why;
        m_cluster.psqlAs("wes", "wes-secret-1", "UPDATE djp.runs SET task = 'x'", "t_roles", &ok, &why);
        QVERIFY(!ok);
        QVERIFY2(why.contains("permission denied"), qPrintable(why));
        m_cluster.psqlAs("wes", "wes-secret-1", "DELETE FROM djp.runs", "t_roles", &ok, &why);
        QVERIFY(!ok);
        m_cluster.psqlAs("wes", "wes-secret-1", "TRUNCATE djp.runs", "t_roles", &ok, &why);
        QVERIFY(!ok);
        m_cluster.psqlAs("wes", "wes-secret-1", "CREATE TABLE djp.sneaky (x int)", "t_roles", &ok, &why);
        QVERIFY(!ok);
        const QString n = m_cluster.psqlAs("ann", "ann-secret-1", "SELECT count(*) FROM djp.runs", "t_roles", &ok);
        QVERIFY(ok);
        QCOMPARE(n.toLongLong(), j["pushed"].get<qint64>());
    }

    // `djp team spend`: who spent what. Two analysts push half of the folder each under their own
    // login; each one's runs, cost and tokens equal what `djp metrics` says of their half as a folder,
    // most spent first, with the exact total; a reader may ask too.
    void spendIsPerAnalyst()
    {
        CliRunner cli; // "now" pinned for the windows below
        cli.setEnv(QStringLiteral("DJP_NOW"), QString::number(kEndMs));
        const QString url = createDb(QStringLiteral("t_spend"));
        QVERIFY(cli.run({ "team", "init", "--db", url, "--create-roles" }).exitCode == 0);
        bool ok = false;
        m_cluster.psql("CREATE ROLE alice LOGIN PASSWORD 'alice-secret-1' IN ROLE djp_writer;"
                       "CREATE ROLE bob LOGIN PASSWORD 'bob-secret-1' IN ROLE djp_writer;"
                       "CREATE ROLE cleo LOGIN PASSWORD 'cleo-secret-1' IN ROLE djp_reader;",
            "t_spend", &ok);
        QVERIFY2(ok, qPrintable(m_cluster.error()));
        // Every third file to bob, the rest to alice (corrupt files stay problems in either half).
        const QString halves[] = { m_tmp.filePath(QStringLiteral("alice")), m_tmp.filePath(QStringLiteral("bob")) };
        for (const QString& h : halves)
            QVERIFY(QDir().mkpath(h));
        const QStringList files = QDir(m_runs).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        QVERIFY(files.size() > 100);
        for (qsizetype i = 0; i < files.size(); ++i)
            QVERIFY(QFile::copy(m_runs + u'/' + files[i], halves[i % 3 == 0 ? 1 : 0] + u'/' + files[i]));
        const char* users[] = { "alice", "bob" };
        for (int k = 0; k < 2; ++k) {
            CliResult r;
            const QString password = QString::fromLatin1(users[k]) + QStringLiteral("-secret-1");
            QVERIFY2(pushJson(m_cluster.urlFor(users[k], password, "t_spend"), halves[k], &r).is_object(),
                r.err.constData());
        }

        // All time and a status (whole months from the analyst rollup), 120 days from a pinned "now" (whole
        // months plus partial ones from the runs), and a search (the runs only).
        LoadOptions lo;
        lo.runsDir = m_runs;
        lo.useIndex = false;
        for (const RunRecord& r : loadRuns(lo).records) // the two processes' clocks may differ by seconds
            QVERIFY(!r.hasTimestamp || std::abs(r.timestampMs - (kEndMs - 120ll * 24 * 3600 * 1000)) > 60000);
        for (const QStringList& filter :
            { QStringList { "--since", "all" }, QStringList { "--since", "all", "--status", "published" },
                QStringList { "--since", "120d" }, QStringList { "--since", "all", "--search", "e" } }) {
            const CliResult spend = cli.run(QStringList { "team", "spend", "--db", url, "--json" } + filter);
            QVERIFY2(spend.exitCode == 0, spend.err.constData());
            const Json j = Json::parse(spend.out.toStdString(), nullptr, false);
            QVERIFY2(j.is_object() && j["analysts"].size() == 2, spend.out.constData());
            double previous = std::numeric_limits<double>::infinity();
            qint64 runs = 0;
            for (const Json& a : j["analysts"]) {
                const QString who = QString::fromStdString(a["analyst"].get<std::string>());
                QVERIFY2(who == QLatin1String("alice") || who == QLatin1String("bob"), qPrintable(who));
                const CliResult folder
                    = cli.run(QStringList { "metrics", "--json", "--runs-dir", m_tmp.filePath(who) } + filter);
                const Json k = Json::parse(folder.out.toStdString(), nullptr, false);
                QVERIFY2(k.is_object(), folder.err.constData());
                QCOMPARE(a["runs"].get<qint64>(), k["total_runs"].get<qint64>());
                QCOMPARE(a["cost_usd"].get<double>(), k["total_cost"].get<double>());
                // avg_tokens is the exact token sum over the runs, rounded once.
                QCOMPARE(a["tokens"].get<double>() / a["runs"].get<double>(), k["avg_tokens"].get<double>());
                QVERIFY(a["cost_usd"].get<double>() <= previous); // most spent first
                previous = a["cost_usd"].get<double>();
                runs += a["runs"].get<qint64>();
            }
            QVERIFY(runs > 50);
            QCOMPARE(j["total"]["runs"].get<qint64>(), runs);
            const CliResult all = cli.run(QStringList { "metrics", "--json", "--db", url } + filter);
            QCOMPARE(j["total"]["cost_usd"].get<double>(),
                Json::parse(all.out.toStdString(), nullptr, false)["total_cost"].get<double>());
            // The reader sees the same; the table names both analysts and the total.
            const CliResult asReader = cli.run(
                QStringList { "team", "spend", "--json", "--db", m_cluster.urlFor("cleo", "cleo-secret-1", "t_spend") }
                + filter);
            QCOMPARE(asReader.out, spend.out);
        }
        const CliResult table = cli.run({ "team", "spend", "--db", url, "--since", "all" });
        QVERIFY2(table.exitCode == 0, table.err.constData());
        for (const char* text : { "alice", "bob", "total", "all time: " })
            QVERIFY2(table.out.contains(text), table.out.constData());
        QVERIFY(!table.out.contains("run(s)"));
    }

    void connectionFailuresAreOneClearLine_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expected");
        const int port = m_cluster.port();
        QTest::newRow("wrong password")
            << QStringLiteral("postgresql://djp_admin:not-the-secret-9@127.0.0.1:%1/postgres").arg(port) << 1
            << QStringLiteral("wrong or missing password");
        QTest::newRow("missing database") << m_cluster.url(QStringLiteral("no_such_db")) << 1
                                          << QStringLiteral("the database 'no_such_db' does not exist");
        QTest::newRow("unknown host") << QStringLiteral("postgresql://u:not-the-secret-9@no-such-host.invalid/db") << 1
                                      << QStringLiteral("unknown database host 'no-such-host.invalid'");
        QTest::newRow("nothing listening") << QStringLiteral("postgresql://u:not-the-secret-9@127.0.0.1:1/db") << 1
                                           << QStringLiteral("cannot reach the database server at 127.0.0.1:1");
        QTest::newRow("malformed URL") << QStringLiteral("postgresql://u:not-the-secret-9@127.0.0.1:notaport/db") << 2
                                       << QStringLiteral("invalid database URL");
        QTest::newRow("schema missing") << m_cluster.url(QStringLiteral("postgres")) << 1
                                        << QStringLiteral("team history schema is missing");
    }
    void connectionFailuresAreOneClearLine()
    {
        QFETCH(QString, url);
        QFETCH(int, exitCode);
        QFETCH(QString, expected);
        const CliResult r = m_cli.run({ "team", "push", "--db", url, "--runs-dir", m_runs }, 60000);
        QVERIFY2(r.finished, "djp hung");
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
        QVERIFY(!r.err.contains("not-the-secret-9"));
        QVERIFY(!r.err.contains(m_cluster.superuserPassword().toUtf8()));
        QVERIFY(r.out.isEmpty());
    }

    void cleanupTestCase() { QVERIFY(m_cluster.stop()); }
};

QTEST_GUILESS_MAIN(TestTeamCli)
#include "tst_team_cli.moc"
