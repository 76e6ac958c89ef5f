// The same runs in a folder and in the team database give the same output, byte for byte:
// `djp metrics --json`, the metrics table, `djp export` (CSV and JSONL) and `djp alerts`, under many
// filters, with "now" pinned (DJP_NOW) so the windows are the same on any day. The database side is
// computed by SQL aggregates on the server (engine/team/teamquery.h), the folder side by the store
// and engine/metrics; both end in kpisFromAggregates() and applyCostDetails(). The 0.2 cost details
// are priced by the server at the rates of a pricing table with price history and long-context
// tiers; the runs carry calls[] with cache reads and writes, provider-reported costs, inputs on and
// around the tier thresholds, pricing days on and around the effective dates, bare model names and
// an unpriced model with cached reads.
#include "clirunner.h"
#include "pgcluster.h"
#include "runfixtures.h"
#include "webhookreceiver.h"

#include "benchdata/syntheticartifacts.h"
#include "store/runstore.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>
#include <nlohmann/json.hpp>

using namespace djp;
using OJson = nlohmann::ordered_json;
using namespace djp::test;

namespace {
constexpr qint64 kNowMs = 1790000000000; // 2026-09-21T14:13:20Z
constexpr qint64 kHour = 3600ll * 1000;

qint64 utcMs(int y, int m, int d, int h = 0, int min = 0, int sec = 0, int ms = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, sec, ms), Qt::UTC).toMSecsSinceEpoch();
}

// Prices with a history and tiers (docs/pricing.md). USD per 1M tokens; rates such as 0.0375 (37.5
// nano-dollars a token) make the per-bucket rounding up visible.
const char* kPricing = R"JSON({
  "updated": "2026-09-01", "source": "tst_team_metrics",
  "models": {
    "acme/tiered": {
      "input": 3.0000007, "output": 15, "cache_read": 0.3, "cache_write": 3.75, "effective": "2026-08-15",
      "tiers": [ { "above_input_tokens": 1000, "input": 6, "output": 22.5, "cache_read": 0.6, "cache_write": 7.5 },
                 { "above_input_tokens": 3000, "input": 9.0000003, "output": 30, "cache_read": 0.9 } ],
      "history": [
        { "input": 1.0000001, "output": 5, "cache_read": 0.0375 },
        { "input": 2, "output": 10, "cache_read": 0.2, "effective": "2026-06-01",
          "tiers": [ { "above_input_tokens": 2000, "input": 4, "output": 20, "cache_read": 0.4 } ] } ] },
    "acme/dated": {
      "input": 0.5, "output": 1.5, "effective": "2026-09-01",
      "history": [ { "input": 0.25, "output": 0.75, "cache_read": 0.0125, "effective": "2026-07-01" } ] },
    "acme/flat": { "input": 0.15, "output": 0.6, "cache_read": 0.075 },
    "openai/gpt-4o": { "input": 2.5, "output": 10, "cache_read": 1.25 },
    "openai/gpt-4o-mini": { "input": 0.15, "output": 0.6 }
  }
})JSON";

struct Call
{
    QString label;
    qint64 in = 0, out = 0, cacheRead = 0, cacheWrite = 0;
    double cost = 0.0;
    std::optional<double> reported;
};

// A fixture run of schema 2.1 with these calls[]; timestampMs 0: no timestamp (priced at current rates).
void writeCallsRun(const QString& dir, FixtureRun run, const std::vector<Call>& calls)
{
    const bool undated = run.timestampMs == 0;
    if (undated)
        run.timestampMs = utcMs(2026, 1, 1);
    const QString path = writeFixtureRun(dir, run);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    root.insert(QStringLiteral("schema_version"), QStringLiteral("2.1"));
    if (undated) {
        QJsonObject meta = root.value(QStringLiteral("run_metadata")).toObject();
        meta.remove(QStringLiteral("timestamp"));
        root.insert(QStringLiteral("run_metadata"), meta);
    }
    QJsonArray array;
    for (const Call& c : calls) {
        QJsonObject o { { QStringLiteral("stage"), QStringLiteral("debate") }, { QStringLiteral("label"), c.label },
            { QStringLiteral("attempt"), 1 }, { QStringLiteral("status"), QStringLiteral("ok") },
            { QStringLiteral("input_tokens"), c.in }, { QStringLiteral("output_tokens"), c.out },
            { QStringLiteral("cache_read_tokens"), c.cacheRead },
            { QStringLiteral("cache_write_tokens"), c.cacheWrite }, { QStringLiteral("reasoning_tokens"), c.out / 3 },
            { QStringLiteral("usage_source"), c.in % 2 ? QStringLiteral("estimated") : QStringLiteral("reported") },
            { QStringLiteral("cost_usd"), c.cost } };
        o.insert(QStringLiteral("reported_cost_usd"), c.reported ? QJsonValue(*c.reported) : QJsonValue());
        array.append(o);
    }
    root.insert(QStringLiteral("calls"), array);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(root).toJson());
}

// 64 runs with calls[] over the pricing periods' edges, the tier thresholds and the odd cases.
int writeCostDetailRuns(const QString& dir)
{
    const qint64 inputs[] = { 999, 1000, 1001, 1999, 2000, 2001, 2999, 3000, 3001, 7777 };
    const qint64 days[] = {
        utcMs(2026, 5, 31, 23, 59, 59, 999), // last millisecond before the June period
        utcMs(2026, 6, 1), // its first
        utcMs(2026, 6, 30, 12), // acme/dated: before its oldest dated period (gets it anyway)
        utcMs(2026, 7, 1, 0, 0, 0, 1), utcMs(2026, 8, 14, 23, 59, 59, 999), // last day of the June period
        utcMs(2026, 8, 15, 0, 30), // the current period's first day
        utcMs(2026, 9, 1, 8), // acme/dated's current period
        kNowMs - 3 * kHour, // inside 24h
        0, // undated: current rates
    };
    const QStringList presets { "quick", "research", "deep" };
    const QStringList statuses { "published", "published", "advisory_only", "none" };
    int n = 0;
    for (int i = 0; i < 64; ++i) {
        FixtureRun r;
        r.timestampMs = days[i % std::size(days)];
        r.preset = presets[i % presets.size()];
        r.status = statuses[(i / 3) % statuses.size()];
        r.reason = r.status == QLatin1String("published") ? QString() : QStringLiteral("low_margin");
        r.provider = i % 2 ? QStringLiteral("acme/tiered") : QStringLiteral("openai/gpt-4o");
        r.task = QStringLiteral("Cost detail run %1").arg(i);
        r.cost = 0.001 * (i + 1) + 0.0000001;
        std::vector<Call> calls;
        const qint64 in = inputs[i % std::size(inputs)];
        calls.push_back({ "acme/tiered", in, 200 + i, i % 4 ? in / 3 : 0, i % 5 ? 17 * i : 0, 0.002 * i,
            i % 3 == 0 ? std::optional<double>(0.0021 * i + 0.00000007) : std::nullopt });
        // A second, smaller call of the same model: the tier follows the largest call, not the sum.
        calls.push_back({ "acme/tiered", 5 + i, 11, 0, 0, 0.0001, std::nullopt });
        calls.push_back({ "acme/dated", 100 * i + 1, 33, i % 2 ? 40 : 0, 0, 0.00005 * i, std::nullopt });
        if (i % 2)
            calls.push_back({ "flat", 700 + i, 90, 300, 0, 0.0002, 0.00025 }); // bare name of acme/flat
        if (i % 4 == 1)
            calls.push_back({ "openai/gpt-4o-mini", 10 * i, 7, 0, 0, 0.00001, std::nullopt });
        if (r.preset == QLatin1String("deep") && i % 2 == 0)
            calls.push_back({ "ghost/unpriced", 5000, 50, 1200, 0, 0.0, std::nullopt }); // cached reads, no rates
        if (i % 7 == 0)
            calls.push_back({ "acme/tiered", 0, 0, 0, 0, 0.0, std::nullopt }); // a failed call: no tokens
        writeCallsRun(dir, r, calls);
        ++n;
    }
    return n;
}
} // namespace

class TestTeamMetrics : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    QString m_runs;
    QString m_url;
    CliRunner m_cli;

    QByteArray readFile(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }
    static QByteArray withoutFirstLine(const QByteArray& text) { return text.mid(text.indexOf('\n') + 1); }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        m_runs = m_tmp.filePath(QStringLiteral("runs"));
        SyntheticOptions o;
        o.count = 700;
        o.seed = 2024;
        o.endMs = kNowMs - kHour;
        o.spanDays = 120;
        o.noTimestampShare = 0.02;
        o.corruptShare = 0.0; // problems are covered by tst_team_cli; here the outputs must be identical
        const SyntheticResult written = writeSyntheticArtifacts(m_runs, o);
        QVERIFY2(written.ok, qPrintable(written.error));
        // Hand-made runs: non-ASCII text for the case-insensitive search, costs that a naive sum
        // would round differently, and runs right inside the window edges.
        FixtureRun a;
        a.timestampMs = kNowMs - 2 * kHour;
        a.task = QStringLiteral("Größenvergleich der ÉTUDES für Ünternehmen");
        a.cost = 0.1;
        writeFixtureRun(m_runs, a);
        FixtureRun b = a;
        b.timestampMs = kNowMs - 24 * kHour + 5 * 60 * 1000; // 5 min inside 24h
        b.task = QStringLiteral("Résumé des études");
        b.status = QStringLiteral("advisory_only");
        b.reason = QStringLiteral("low_margin");
        b.cost = 0.2;
        b.legacy = true;
        writeFixtureRun(m_runs, b);
        FixtureRun c = a;
        c.timestampMs = kNowMs - 7 * 24 * kHour - 5 * 60 * 1000; // 5 min outside 7d
        c.task = QStringLiteral("Quarterly = formula? =SUM(A1)");
        c.cost = 0.3;
        c.redacted = true;
        writeFixtureRun(m_runs, c);
        const int detailRuns = writeCostDetailRuns(m_runs);
        QCOMPARE(detailRuns, 64);
        const QString config = m_tmp.filePath(QStringLiteral("config"));
        QVERIFY(QDir().mkpath(config));
        QFile pricing(config + QStringLiteral("/pricing.json"));
        QVERIFY(pricing.open(QIODevice::WriteOnly));
        pricing.write(kPricing);
        pricing.close();
        m_cli.setEnv(QStringLiteral("DJP_CONFIG_DIR"), config);

        // DJP_NOW starts each process's clock at kNowMs and lets it advance with elapsed time, so the two
        // processes' windows may differ by the seconds a (slow, loaded) process takes. Guard that no run
        // of this deterministic data sits within a minute of a window edge.
        LoadOptions lo;
        lo.runsDir = m_runs;
        lo.useIndex = false;
        const LoadResult loaded = loadRuns(lo);
        QCOMPARE(loaded.records.size(), size_t(767));
        for (qint64 hours : { 24, 36, 7 * 24, 30 * 24, 90 * 24, 21 * 24 }) {
            const qint64 edge = kNowMs - hours * kHour;
            for (const RunRecord& r : loaded.records)
                QVERIFY2(!r.hasTimestamp || std::abs(r.timestampMs - edge) > 60 * 1000, "a run sits on a window edge");
        }

        const QString db = QStringLiteral("team");
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE team"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        m_url = m_cluster.url(db);
        m_cli.setEnv(QStringLiteral("DJP_NOW"), QString::number(kNowMs));
        QCOMPARE(m_cli.run({ "team", "init", "--db", m_url }).exitCode, 0);
        const CliResult push = m_cli.run({ "team", "push", "--db", m_url, "--runs-dir", m_runs, "--json" });
        QVERIFY2(push.exitCode == 0, push.err.constData());
        QVERIFY2(push.out.contains("\"pushed\": 767"), push.out.constData());
        // The folder's own figures exercise what the database must match: a drift, savings, several
        // priced labels, and an unpriced model's cached reads making the savings incomplete.
        const CliResult all = m_cli.run({ "metrics", "--json", "--since", "all", "--runs-dir", m_runs });
        QVERIFY2(all.exitCode == 0, all.err.constData());
        const nlohmann::ordered_json k = nlohmann::ordered_json::parse(all.out.toStdString());
        QVERIFY(k["reported_vs_computed_drift_pct"].is_number());
        QVERIFY(k["reported_cost_runs"].get<int>() > 10);
        QVERIFY(k["cache_savings_usd"].get<double>() > 0);
        QCOMPARE(k["cache_savings_complete"].get<bool>(), false);
        for (const char* label : { "acme/tiered", "acme/dated", "flat", "openai/gpt-4o-mini" })
            QVERIFY2(k["cost_by_bucket"].contains(label), label);
        QVERIFY(!k["cost_by_bucket"].contains("ghost/unpriced"));
    }

    void sameOutputFromFolderAndDatabase_data()
    {
        QTest::addColumn<QStringList>("filter");
        QTest::addColumn<int>("matched"); // -1: many (checked to be > 0); else exactly
        QTest::newRow("all time") << QStringList { "--since", "all" } << -1;
        QTest::newRow("default 7d") << QStringList {} << -1;
        QTest::newRow("24h") << QStringList { "--since", "24h" } << -1;
        QTest::newRow("36h") << QStringList { "--since", "36h" } << -1;
        QTest::newRow("30d") << QStringList { "--since", "30d" } << -1;
        QTest::newRow("90d") << QStringList { "--since", "90d" } << -1;
        QTest::newRow("3w") << QStringList { "--since", "3w" } << -1;
        QTest::newRow("preset") << QStringList { "--since", "all", "--preset", "research" } << -1;
        QTest::newRow("provider") << QStringList { "--since", "90d", "--provider", "openai/gpt-4o" } << -1;
        QTest::newRow("published") << QStringList { "--since", "all", "--status", "published" } << -1;
        QTest::newRow("advisory") << QStringList { "--since", "30d", "--status", "advisory_only" } << -1;
        QTest::newRow("failed") << QStringList { "--since", "all", "--status", "none" } << -1;
        QTest::newRow("grounded") << QStringList { "--since", "all", "--grounded-only" } << -1;
        QTest::newRow("redacted") << QStringList { "--since", "90d", "--redacted-only" } << -1;
        QTest::newRow("search ascii") << QStringList { "--since", "all", "--search", "QUARTERLY" } << -1;
        QTest::newRow("search trace") << QStringList { "--since", "all", "--search", "Support-Bot" } << -1;
        QTest::newRow("search non-ascii") << QStringList { "--since", "all", "--search", "études" } << 2;
        QTest::newRow("search folded") << QStringList { "--since", "all", "--search", "GRÖSSEN" } << 0;
        QTest::newRow("combined") << QStringList { "--since", "30d", "--status", "published", "--preset", "quick",
            "--grounded-only" } << -1;
        QTest::newRow("deep (unpriced cached reads)") << QStringList { "--since", "all", "--preset", "deep" } << -1;
        QTest::newRow("quick (all priced)") << QStringList { "--since", "all", "--preset", "quick" } << -1;
        QTest::newRow("provider any-call")
            << QStringList { "--since", "all", "--provider", "acme/tiered", "--provider-match", "any-call" } << -1;
        QTest::newRow("empty set") << QStringList { "--since", "all", "--preset", "no-such-preset" } << 0;
    }
    void sameOutputFromFolderAndDatabase()
    {
        QFETCH(QStringList, filter);
        QFETCH(int, matched);
        const QStringList folder { "--runs-dir", m_runs };
        const QStringList db { "--db", m_url };

        // KPIs as JSON: every key, every digit, the cost details included.
        const CliResult fj = m_cli.run(QStringList { "metrics", "--json" } + filter + folder);
        const CliResult dj = m_cli.run(QStringList { "metrics", "--json" } + filter + db);
        QVERIFY2(fj.exitCode == 0 && dj.exitCode == 0, dj.err.constData());
        QVERIFY2(dj.err.isEmpty(), dj.err.constData()); // every run has its cost details
        nlohmann::ordered_json fk = nlohmann::ordered_json::parse(fj.out.toStdString());
        nlohmann::ordered_json dk = nlohmann::ordered_json::parse(dj.out.toStdString());
        // `problems` lists the folder's unreadable files and runs with unusable timestamps; the database
        // holds only what was pushed, so it has none to list.
        QVERIFY(dk["problems"].is_array() && dk["problems"].empty());
        fk.erase("problems");
        dk.erase("problems");
        for (const auto& [key, value] : fk.items())
            QVERIFY2(dk.contains(key) && dk[key] == value,
                qPrintable(QString::fromStdString(key + ": folder " + value.dump() + ", database "
                    + (dk.contains(key) ? dk[key].dump() : std::string("missing")))));
        QCOMPARE(QString::fromStdString(dk.dump(2)), QString::fromStdString(fk.dump(2)));
        const QByteArray matchedKey = "\"runs_matched\": ";
        const qsizetype at = fj.out.indexOf(matchedKey);
        QVERIFY(at > 0);
        const int n = fj.out.mid(at + matchedKey.size()).split('\n').first().toInt();
        if (matched < 0)
            QVERIFY2(n > 0, "the filter should match runs");
        else
            QCOMPARE(n, matched);

        // The table: everything but the first line (which names the source).
        const CliResult ft = m_cli.run(QStringList { "metrics" } + filter + folder);
        const CliResult dt = m_cli.run(QStringList { "metrics" } + filter + db);
        QVERIFY(ft.out.startsWith("Runs folder: "));
        QVERIFY(dt.out.startsWith("Team history: postgresql://djp_admin@127.0.0.1"));
        QVERIFY(!dt.out.contains(m_cluster.superuserPassword().toUtf8()));
        const auto withoutProblems = [](QByteArray text) {
            QList<QByteArray> lines = withoutFirstLine(text).split('\n');
            lines.removeIf([](const QByteArray& l) { return l.trimmed().startsWith("problems"); });
            return QString::fromUtf8(lines.join('\n'));
        };
        QVERIFY(ft.out.contains("reported_vs_computed") && ft.out.contains("cache_savings"));
        QCOMPARE(withoutProblems(dt.out), withoutProblems(ft.out));

        // Exports: the same rows in the same order.
        for (const QString& format : { QStringLiteral("csv"), QStringLiteral("jsonl") }) {
            const QString fo = m_tmp.filePath(QStringLiteral("folder.") + format);
            const QString dbo = m_tmp.filePath(QStringLiteral("db.") + format);
            const CliResult fe = m_cli.run(QStringList { "export", "--format", format, "--out", fo } + filter + folder);
            const CliResult de = m_cli.run(QStringList { "export", "--format", format, "--out", dbo } + filter + db);
            QVERIFY2(fe.exitCode == 0 && de.exitCode == 0, de.err.constData());
            // "Exported N of M runs to PATH (format)": the same apart from the output path.
            QCOMPARE(QString::fromUtf8(de.out).replace(dbo, QStringLiteral("OUT")),
                QString::fromUtf8(fe.out).replace(fo, QStringLiteral("OUT")));
            const QByteArray folderBytes = readFile(fo);
            QCOMPARE(readFile(dbo), folderBytes);
            if (format == QLatin1String("csv"))
                QVERIFY(folderBytes.startsWith("artifact_file,timestamp,"));
        }
    }

    void exportCountsTheWholeHistory()
    {
        const CliResult r = m_cli.run({ "export", "--since", "24h", "--out", m_tmp.filePath("x.csv"), "--db", m_url });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains(" of 767 runs"), r.out.constData());
    }

    void alertsAgree_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("7d defaults") << QStringList { "--since", "7d" };
        QTest::newRow("all time, tight thresholds") << QStringList { "--since", "all", "--threshold-cost", "0.001",
            "--threshold-advisory", "0.05", "--threshold-grounded", "0.99" };
        QTest::newRow("24h, min runs 50") << QStringList { "--since", "24h", "--min-runs", "50" };
    }
    void alertsAgree()
    {
        QFETCH(QStringList, args);
        const QString state = m_tmp.filePath(QStringLiteral("state.json"));
        const QStringList common = QStringList { "alerts", "--dry-run", "--state-file", state } + args;
        const CliResult f = m_cli.run(common + QStringList { "--runs-dir", m_runs });
        const CliResult d = m_cli.run(common + QStringList { "--db", m_url });
        QCOMPARE(d.exitCode, f.exitCode);
        // The payload, but for its "ts": each process's clock starts at kNowMs and runs on, so a process
        // slowed by a loaded machine may stamp a later second. Both stamps come from that clock.
        const auto withoutTs = [](const QByteArray& out, qint64* ts) {
            OJson j = OJson::parse(out.toStdString(), nullptr, false);
            if (j.is_discarded())
                return QString::fromUtf8(out); // not a payload: compared as printed
            if (j.is_object() && j.contains("attachments"))
                for (OJson& a : j["attachments"]) {
                    *ts = a.value("ts", qint64(-1));
                    a.erase("ts");
                }
            return QString::fromStdString(j.dump(2));
        };
        qint64 dbTs = -1, folderTs = -1;
        QCOMPARE(withoutTs(d.out, &dbTs), withoutTs(f.out, &folderTs));
        QCOMPARE(dbTs < 0, folderTs < 0); // "ts" in both payloads or in neither
        for (const qint64 ts : { folderTs, dbTs })
            QVERIFY2(ts < 0 || (ts >= kNowMs / 1000 && ts < kNowMs / 1000 + 600), f.out.constData());
        // The checks; the folder first lists its problem files, which the database does not hold.
        QList<QByteArray> folderErr = f.err.split('\n');
        if (!folderErr.isEmpty() && folderErr.front().startsWith("djp alerts: ")) {
            folderErr.removeFirst();
            while (!folderErr.isEmpty()
                && (folderErr.front().startsWith("  /") || folderErr.front().startsWith("  ... and ")))
                folderErr.removeFirst();
        }
        QCOMPARE(QString::fromUtf8(d.err), QString::fromUtf8(folderErr.join('\n')));
        QVERIFY(f.err.contains("Alerts over"));
    }

    void alertStateIsKeptPerSource()
    {
        // A webhook in this process: the CLI runs while the event loop serves it.
        WebhookReceiver receiver;
        QVERIFY(receiver.port);
        const QString hook = receiver.url();
        const QList<QByteArray>& bodies = receiver.bodies;
        const QString state = m_tmp.filePath(QStringLiteral("scoped-state.json"));
        const QStringList firing = { "alerts", "--since", "all", "--threshold-cost", "0.0000001", "--state-file", state,
            "--webhook-url", hook };
        const QStringList quiet = { "alerts", "--since", "all", "--threshold-cost", "1000", "--threshold-advisory",
            "0.99", "--threshold-failure", "0.99", "--threshold-redacted", "0.99", "--threshold-grounded", "0",
            "--state-file", state, "--webhook-url", hook };

        // The database fires and is told once.
        CliResult r = runServing(firing + QStringList { "--db", m_url });
        QVERIFY2(r.out.contains("Webhook: sent"), r.out.constData());
        QCOMPARE(bodies.size(), 1);
        const QString dbSource
            = QStringLiteral("db:%1@127.0.0.1:%2/team").arg(m_cluster.superuser()).arg(m_cluster.port());
        std::map<QString, QString> windows = scopesIn(state);
        QCOMPARE(windows.size(), size_t(1));
        QVERIFY2(windows.count(dbSource), qPrintable(windows.begin()->first));
        QVERIFY(!readFile(state).contains(m_cluster.superuserPassword().toUtf8()));

        // The folder holding the same runs is another source: its alerts are its own, sent once.
        r = runServing(firing + QStringList { "--runs-dir", m_runs });
        QVERIFY2(r.out.contains("Webhook: sent"), r.out.constData());
        QCOMPARE(bodies.size(), 2);
        QCOMPARE(scopesIn(state).size(), size_t(2));

        // The folder clears: it resolves its own alerts only ...
        r = runServing(quiet + QStringList { "--runs-dir", m_runs });
        QCOMPARE(bodies.size(), 3);
        QVERIFY2(bodies.last().contains("#28a745"), bodies.last().constData()); // resolved
        windows = scopesIn(state);
        QCOMPARE(stateOf(windows, dbSource), QStringLiteral("firing"));
        QCOMPARE(stateOf(windows, QStringLiteral("folder:") + QFileInfo(m_runs).canonicalFilePath()),
            QStringLiteral("clear"));
        // ... so the database, still firing, has nothing new to say (its alerts were not resolved).
        r = runServing(firing + QStringList { "--db", m_url });
        QVERIFY2(r.out.contains("nothing new to send"), r.out.constData());
        QCOMPARE(bodies.size(), 3);
        // And the database clearing resolves its own, never the folder's (already clear: one message).
        r = runServing(quiet + QStringList { "--db", m_url });
        QCOMPARE(bodies.size(), 4);
        QCOMPARE(stateOf(scopesIn(state), dbSource), QStringLiteral("clear"));
        for (const QByteArray& body : bodies)
            QVERIFY(!body.contains(m_cluster.superuserPassword().toUtf8()));
    }

    void cleanupTestCase() { QVERIFY(m_cluster.stop()); }

private:
    // source -> "firing" / "clear", from the shared state file.
    std::map<QString, QString> scopesIn(const QString& path)
    {
        std::map<QString, QString> out;
        const nlohmann::json j = nlohmann::json::parse(readFile(path).toStdString(), nullptr, false);
        if (!j.is_object() || !j.contains("scopes"))
            return out;
        for (const auto& scope : j["scopes"])
            out[QString::fromStdString(scope["source"].get<std::string>())]
                = scope["firing"].empty() ? QStringLiteral("clear") : QStringLiteral("firing");
        return out;
    }

    static QString stateOf(const std::map<QString, QString>& scopes, const QString& source)
    {
        const auto it = scopes.find(source);
        return it == scopes.end() ? QStringLiteral("clear") : it->second; // a scope with nothing firing may go
    }

    // Like CliRunner::run, but keeps this thread's event loop turning (the webhook lives here).
    CliResult runServing(const QStringList& args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DJP_CONFIG_DIR"), m_tmp.filePath(QStringLiteral("serving-config")));
        env.insert(QStringLiteral("DJP_CACHE_DIR"), m_tmp.filePath(QStringLiteral("serving-cache")));
        env.insert(QStringLiteral("DJP_NOW"), QString::number(kNowMs));
        env.remove(QStringLiteral("DJP_DB_URL"));
        env.remove(QStringLiteral("WEBHOOK_URL"));
        return runCliServingEvents(env, args);
    }
};

QTEST_GUILESS_MAIN(TestTeamMetrics)
#include "tst_team_metrics.moc"
