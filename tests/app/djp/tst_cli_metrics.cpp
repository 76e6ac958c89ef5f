// `djp metrics`, `djp export` and `djp alerts` end to end: the KPI fixture copied to a temp runs
// folder, the built CLI run through QProcess with temp config/cache dirs, webhooks received by a
// local QHttpServer.
#include "clirunner.h"
#include "kpidump.h"
#include "metrics/runexport.h"
#include "testpaths.h"
#include "webhookreceiver.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <nlohmann/json.hpp>

using namespace djp;
using OJson = nlohmann::ordered_json;

namespace {

using test::CliResult;

bool copyTree(const QString& from, const QString& to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = to + QLatin1Char('/') + QDir(from).relativeFilePath(src);
        QDir().mkpath(QFileInfo(dst).absolutePath());
        if (!QFile::copy(src, dst))
            return false;
    }
    return true;
}

} // namespace

class TestCliMetrics : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(QFileInfo(djp::test::cliPath()).isExecutable());
        QVERIFY(m_tmp.isValid());
        m_runs = m_tmp.filePath("runs");
        QVERIFY(copyTree(djp::test::dataDir() + "/kpi-fixture", m_runs));
        m_config = m_tmp.filePath("config");
        m_cache = m_tmp.filePath("cache");
        QDir().mkpath(m_config);
        QDir().mkpath(m_cache);
    }

    void metricsJsonMatchesGolden()
    {
        const CliResult r = run({ "metrics", "--json", "--since", "all", "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        const OJson j = OJson::parse(r.out.toStdString());
        QCOMPARE(j["runs_loaded"].get<int>(), 10);
        QCOMPARE(j["runs_matched"].get<int>(), 10);
        QList<QPair<QString, QString>> problems;
        for (const OJson& p : j["problems"]) {
            problems << qMakePair(QDir(m_runs).relativeFilePath(QString::fromStdString(p["path"].get<std::string>())),
                QString::fromStdString(p["code"].get<std::string>()));
            QVERIFY(p.contains("detail"));
        }
        QCOMPARE(problems, (QList<QPair<QString, QString>> { { "2026.11.26-1200.json", "not_json" } }));
        QString message;
        QVERIFY2(
            djp::test::compareWithGolden(djp::test::dumpKpis(j, problems),
                djp::test::dataDir() + "/golden/kpi-fixture.txt", QCoreApplication::applicationDirPath(), &message),
            qPrintable(message));
    }

    void noIndexWritesNoIndex()
    {
        QTemporaryDir cache;
        const CliResult r = run({ "metrics", "--json", "--since", "all", "--no-index", "--runs-dir", m_runs },
            { { "DJP_CACHE_DIR", cache.path() } });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(OJson::parse(r.out.toStdString())["total_runs"].get<int>(), 10);
        QVERIFY2(QDir(cache.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty(),
            "--no-index must not write the index");
    }

    void filters_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("total");
        QTest::newRow("status") << QStringList { "--status", "published" } << 3;
        QTest::newRow("search") << QStringList { "--search", "VENDORS" } << 2;
        QTest::newRow("search trace") << QStringList { "--search", "grounded-f" } << 2;
        QTest::newRow("grounded") << QStringList { "--grounded-only" } << 2;
        QTest::newRow("redacted") << QStringList { "--redacted-only" } << 2;
        QTest::newRow("preset") << QStringList { "--preset", "thorough" } << 2;
        QTest::newRow("default preset") << QStringList { "--preset", "manual" } << 3;
        QTest::newRow("provider") << QStringList { "--provider", "openai/gpt-4o" } << 3;
        QTest::newRow("combined") << QStringList { "--provider", "openai/gpt-4o", "--status", "published" } << 2;
        QTest::newRow("provider published explicit")
            << QStringList { "--provider", "openai/gpt-4o", "--provider-match", "published" } << 3;
        // Any call: also the failed run whose only (priced) call was gpt-4o.
        QTest::newRow("provider any call")
            << QStringList { "--provider", "openai/gpt-4o", "--provider-match", "any-call" } << 4;
        // Claude published two runs and debated in a third that gpt-4o published.
        QTest::newRow("debater published") << QStringList { "--provider", "anthropic/claude-3-5-sonnet-20240620" } << 2;
        QTest::newRow("debater any call")
            << QStringList { "--provider", "anthropic/claude-3-5-sonnet-20240620", "--provider-match", "any-call" }
            << 3;
        QTest::newRow("window excludes no timestamp") << QStringList { "--since", "520w" } << 9;
    }
    void filters()
    {
        QFETCH(QStringList, args);
        QFETCH(int, total);
        QStringList all = { "metrics", "--json", "--runs-dir", m_runs };
        if (!args.contains("--since"))
            all << "--since"
                << "all";
        const CliResult r = run(all + args);
        QCOMPARE(r.exitCode, 0);
        const OJson j = OJson::parse(r.out.toStdString());
        QCOMPARE(j["total_runs"].get<int>(), total);
        QCOMPARE(j["runs_matched"].get<int>(), total);
    }

    void cancelledRunsAreNotFailures()
    {
        // The fixture plus one of its failed runs re-labelled as cancelled by the user.
        const QString runs = m_tmp.filePath("runs-cancelled");
        QVERIFY(copyTree(djp::test::dataDir() + "/kpi-fixture", runs));
        QFile f(runs + "/2026.11.22-0800.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        nlohmann::json doc = nlohmann::json::parse(f.readAll().toStdString());
        f.close();
        QCOMPARE(doc["publish"]["status"].get<std::string>(), std::string("none"));
        doc["publish"]["reason"] = "cancelled";
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray::fromStdString(doc.dump(2)));
        f.close();

        const CliResult r = run({ "metrics", "--json", "--since", "all", "--runs-dir", runs });
        QCOMPARE(r.exitCode, 0);
        const OJson j = OJson::parse(r.out.toStdString());
        QCOMPARE(j["total_runs"].get<int>(), 10);
        QCOMPARE(j["failed_runs"].get<int>(), 2); // 3 in the fixture, one of them now cancelled
        QCOMPARE(j["cancelled_runs"].get<int>(), 1);
        QCOMPARE(j["failure_rate"].get<double>(), 0.2);
        QCOMPARE(j["cancelled_rate"].get<double>(), 0.1);
        QCOMPARE(j["top_failure_reasons"]["No ranked drafts available"].get<int>(), 1); // was 2
        QVERIFY(!j["top_failure_reasons"].contains("cancelled"));
        // The status filter still finds it under none.
        const CliResult none = run({ "metrics", "--json", "--since", "all", "--status", "none", "--runs-dir", runs });
        QCOMPARE(OJson::parse(none.out.toStdString())["total_runs"].get<int>(), 3);
        const CliResult human = run({ "metrics", "--since", "all", "--runs-dir", runs });
        QVERIFY2(human.out.contains("cancelled_runs") && human.out.contains("20.0%"), human.out.constData());
    }

    void humanOutput()
    {
        const CliResult r = run({ "metrics", "--since", "all", "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.contains("total_runs") && text.contains("10") && text.contains("failure_rate")
                && text.contains("30.0%") && text.contains("problems"),
            r.out.constData());
        QVERIFY(r.err.contains("2026.11.26-1200.json")); // problems named on stderr
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("unknown flag") << QStringList { "metrics", "--bogus" };
        QTest::newRow("bad window") << QStringList { "metrics", "--since", "5x" };
        QTest::newRow("bad status") << QStringList { "metrics", "--status", "failed" };
        QTest::newRow("bad provider match") << QStringList { "metrics", "--provider-match", "sometimes" };
        QTest::newRow("export without out") << QStringList { "export" };
        QTest::newRow("export bad format") << QStringList { "export", "--out", "x", "--format", "xml" };
        QTest::newRow("alerts bad threshold") << QStringList { "alerts", "--threshold-cost", "cheap" };
        QTest::newRow("alerts bad min runs") << QStringList { "alerts", "--min_runs", "-1" };
        QTest::newRow("alerts bad url") << QStringList { "alerts", "--webhook-url", "ftp://x" };
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        const CliResult r = run(args + QStringList { "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
    }

    void exportCsvAndJsonl()
    {
        const QString csv = m_tmp.filePath("out.csv");
        CliResult r = run({ "export", "--out", csv, "--since", "all", "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 12); // header + 10 rows, each ending in CRLF
        QCOMPARE(lines[0], runColumns().join(',').toUtf8() + "\r");
        QVERIFY(lines[11].isEmpty());
        int withAllowedList = 0;
        for (int i = 1; i <= 10; ++i) {
            QVERIFY(lines[i].endsWith('\r'));
            withAllowedList += lines[i].contains(",Winner google/gemini-1.5-pro not in allowed list [openai/gpt-4o],");
        }
        QCOMPARE(withAllowedList, 2);

        const QString jsonl = m_tmp.filePath("none.jsonl");
        r = run({ "export", "--out", jsonl, "--format", "jsonl", "--status", "none", "--since", "all", "--runs-dir",
            m_runs });
        QCOMPARE(r.exitCode, 0);
        QFile g(jsonl);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = g.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 3);
        for (const QByteArray& row : rows)
            QCOMPARE(OJson::parse(row.toStdString())["status"].get<std::string>(), std::string("none"));

        // Nothing matches: the header alone.
        const QString empty = m_tmp.filePath("empty.csv");
        r = run({ "export", "--out", empty, "--search", "no such task", "--since", "all", "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        QFile e(empty);
        QVERIFY(e.open(QIODevice::ReadOnly));
        QCOMPARE(e.readAll(), runColumns().join(',').toUtf8() + "\r\n");
    }

    void alertsDryRun()
    {
        const QString state = m_tmp.filePath("dry-state.json");
        CliResult r = run({ "alerts", "--dry-run", "--since", "all", "--state-file", state, "--runs-dir", m_runs });
        // advisory 0.4 (warning), failure 0.3 (critical), redacted 0.2 (critical), grounded 0.5 (warning)
        QCOMPARE(r.exitCode, 1);
        const nlohmann::json p = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(p["text"].is_string());
        QCOMPARE(p["attachments"].size(), size_t(4));
        QStringList colours;
        for (const auto& a : p["attachments"])
            colours << QString::fromStdString(a["color"].get<std::string>());
        QCOMPARE(colours, QStringList({ "#ffc107", "#dc3545", "#dc3545", "#ffc107" }));
        QVERIFY(!QFile::exists(state));
        QVERIFY(!QFile::exists(m_config + "/alert-state.json"));

        // Legacy underscore spellings; no critical alert left: exit 0.
        r = run({ "alerts", "--dry-run", "--since", "all", "--threshold_failure", "0.5", "--threshold_redacted", "0.5",
            "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["attachments"].size(), size_t(2));

        // Too few runs for the window: nothing evaluated.
        r = run({ "alerts", "--dry-run", "--since", "all", "--min_runs", "11", "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(nlohmann::json::parse(r.out.toStdString())["attachments"].empty());
        QVERIFY(r.err.contains("Not enough runs"));
    }

    void alertsWebhookOncePerWindowAndResolved()
    {
        test::WebhookReceiver hook;
        QVERIFY(hook.port);
        const QString url = hook.url();
        const QList<QByteArray>& bodies = hook.bodies;
        const QString state = m_tmp.filePath("state.json");
        const QStringList base = { "alerts", "--since", "all", "--state-file", state, "--runs-dir", m_runs };

        CliResult r = run(base + QStringList { "--webhook_url", url });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(bodies.size(), 1);
        nlohmann::json p = nlohmann::json::parse(bodies[0].toStdString());
        QCOMPARE(p["attachments"].size(), size_t(4));
        QVERIFY(r.out.contains("sent 4 alerts and 0 resolved messages"));
        QVERIFY(QFile::exists(state));

        // Still firing, sent less than a window ago: not sent again (URL from WEBHOOK_URL this time).
        r = run(base, { { "WEBHOOK_URL", url } });
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(bodies.size(), 1);
        QVERIFY2(r.out.contains("nothing new to send (4 alerts already sent within the window)."), r.out.constData());

        // Thresholds raised: every alert clears, one message with four resolved attachments.
        const QStringList relaxed = { "--threshold-advisory", "0.9", "--threshold-failure", "0.9",
            "--threshold-redacted", "0.9", "--threshold-grounded", "0.1", "--webhook-url", url };
        r = run(base + relaxed);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(bodies.size(), 2);
        p = nlohmann::json::parse(bodies[1].toStdString());
        QCOMPARE(p["attachments"].size(), size_t(4));
        for (const auto& a : p["attachments"])
            QCOMPARE(a["color"].get<std::string>(), std::string("#28a745"));
        QVERIFY2(r.out.contains("sent 0 alerts and 4 resolved messages"), r.out.constData());
        // Resolved once only.
        r = run(base + relaxed);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(bodies.size(), 2);
    }

    // The webhook summary lines count alerts as plurals (docs/architecture.md, "Plurals"): one or two
    // rules firing (the others relaxed), then suppressed, then resolved.
    void alertsWebhookCountsReadAsPlurals()
    {
        test::WebhookReceiver hook;
        QVERIFY(hook.port);
        const QString url = hook.url();
        const QStringList relaxAll = { "--threshold-advisory", "0.9", "--threshold-failure", "0.9",
            "--threshold-redacted", "0.9", "--threshold-grounded", "0.1" };
        for (int firing : { 1, 2 }) {
            const QString state = m_tmp.filePath(QString("plural-state-%1.json").arg(firing));
            const QStringList base
                = { "alerts", "--since", "all", "--state-file", state, "--runs-dir", m_runs, "--webhook-url", url };
            // Relax all but `firing` of the four rules that fire on the fixture.
            const QStringList relaxSome = relaxAll.mid(0, 2 * (4 - firing));
            const QByteArray alerts = firing == 1 ? "1 alert" : "2 alerts";
            const QByteArray messages = firing == 1 ? "1 resolved message" : "2 resolved messages";
            CliResult r = run(base + relaxSome);
            QVERIFY2(r.out.contains(QByteArray("Webhook: sent " + alerts + " and 0 resolved messages to 127.0.0.1.")),
                r.out.constData());
            r = run(base + relaxSome);
            QVERIFY2(r.out.contains(QByteArray("nothing new to send (" + alerts + " already sent within the window).")),
                r.out.constData());
            r = run(base + relaxAll);
            QVERIFY2(r.out.contains(QByteArray("Webhook: sent 0 alerts and " + messages + " to 127.0.0.1.")),
                r.out.constData());
        }
        QCOMPARE(hook.bodies.size(), 4);
    }

    void alertsWebhookFailureKeepsExitCode()
    {
        test::WebhookReceiver hook;
        hook.status = 500;
        QVERIFY(hook.port);
        const QString state = m_tmp.filePath("failing-state.json");
        const CliResult r = run(
            { "alerts", "--since", "all", "--state-file", state, "--webhook-url", hook.url(), "--runs-dir", m_runs });
        QCOMPARE(r.exitCode, 1); // the alerts are critical; the failed delivery does not change that
        QCOMPARE(hook.bodies.size(), 3); // retried per docs/providers.md
        QVERIFY2(
            r.err.contains("webhook POST") && r.err.contains("failed after 3 attempts: ") && r.err.contains("HTTP 500"),
            r.err.constData());
        QVERIFY(!QFile::exists(state)); // not delivered: nothing remembered
    }

private:
    // Runs the CLI while this process keeps serving its event loop (the webhook servers live here).
    CliResult run(const QStringList& args, const QList<QPair<QString, QString>>& extraEnv = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DJP_CONFIG_DIR", m_config);
        env.insert("DJP_CACHE_DIR", m_cache);
        env.remove("DJP_RUNS_DIR");
        env.remove("WEBHOOK_URL");
        // The fixture's runs are dated 2026-11-18..27: relative windows are measured from a fixed
        // instant after them, so the results do not depend on the day the suite runs.
        env.insert("DJP_NOW", "2026-12-01T12:00:00Z");
        for (const auto& [k, v] : extraEnv)
            env.insert(k, v);
        return test::runCliServingEvents(env, args, 60000);
    }

    QTemporaryDir m_tmp;
    QString m_runs, m_config, m_cache;
};

QTEST_GUILESS_MAIN(TestCliMetrics)
#include "tst_cli_metrics.moc"
