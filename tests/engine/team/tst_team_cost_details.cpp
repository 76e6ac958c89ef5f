// The 0.2 cost details over the team history (docs/team-history.md, "Cost details"): the server prices
// each (run, label) row at the rates the client sends and must pick the same period and tier as
// PricingTable::ratesFor() and round each bucket up as bucketCost() does. Compared with the folder
// path's aggregateCostDetails() over the same records: run by run (period edges, tier thresholds,
// bare model names, unpriced labels, saturation) and in sums under the dashboard's filters; and a
// history pushed at schema version 2, upgraded by team init, gets its details back-filled from the
// stored artifacts with the same figures.
#include "pgcluster.h"

#include "benchdata/syntheticartifacts.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "store/runstore.h"
#include "team/teampush.h"
#include "team/teamquery.h"
#include "team/teamschema.h"

#include <QDateTime>
#include <QTest>
#include <numeric>

using namespace djp;
using namespace djp::test;

namespace {
constexpr qint64 kNowMs = 1790000000000; // 2026-09-21T14:13:20Z
constexpr qint64 kDay = 24ll * 3600 * 1000;

qint64 utcMs(int y, int m, int d, int h = 0, int min = 0, int sec = 0, int ms = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, sec, ms), Qt::UTC).toMSecsSinceEpoch();
}

// Periods: an undated oldest one, 2026-06-01 and the current one from 2026-08-15; tiers that differ
// per period (and an unsorted pair, which ratesFor() reads from the last one backwards); a model whose
// oldest period is dated (days before it get it anyway); rates with fractions of a nano-dollar per
// token; a zero rate; a rate so high that a bucket saturates.
const char* kPricing = R"JSON({
  "updated": "2026-09-01",
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
    "acme/flat": { "input": 0.15, "output": 0, "cache_read": 0.075 },
    "acme/huge": { "input": 9000000, "output": 1 },
    "openai/gpt-4o": { "input": 2.5, "output": 10, "cache_read": 1.25 },
    "openai/gpt-4o-mini": { "input": 0.15, "output": 0.6 },
    "anthropic/claude-3-5-sonnet-20240620": { "input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75 },
    "google/gemini-1.5-pro": { "input": 1.25, "output": 5,
      "tiers": [ { "above_input_tokens": 2000, "input": 2.5, "output": 10 } ] }
  }
})JSON";

// Rates that are whole nano-dollars per token, one period, no tiers: every (month, label) group of the
// cost rollup can be priced from its sums, except where a bucket saturates (acme/huge).
const char* kWholePricing = R"JSON({
  "updated": "2026-09-01",
  "models": {
    "acme/tiered": { "input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75 },
    "acme/dated": { "input": 0.5, "output": 1.5 },
    "acme/flat": { "input": 0.15, "output": 0, "cache_read": 0.075 },
    "acme/huge": { "input": 9000000, "output": 1 },
    "openai/gpt-4o": { "input": 2.5, "output": 10, "cache_read": 1.25 },
    "openai/gpt-4o-mini": { "input": 0.15, "output": 0.6 },
    "openai/gpt-4.1": { "input": 2, "output": 8 },
    "anthropic/claude-3-5-sonnet-20240620": { "input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75 },
    "anthropic/claude-3-haiku-20240307": { "input": 0.25, "output": 1.25 },
    "google/gemini-1.5-pro": { "input": 1.25, "output": 5 },
    "google/gemini-1.5-flash": { "input": 0.075, "output": 0.3, "cache_read": 0.01875 },
    "mistral/mistral-large-latest": { "input": 2, "output": 6 }
  }
})JSON";

PricingTable pricing(const char* json = kPricing)
{
    QString error;
    const std::optional<PricingTable> t = PricingTable::fromJson(json, &error);
    if (!t)
        qFatal("pricing: %s", qPrintable(error));
    return *t;
}

// A compact text of the KPI cost-detail fields (what `djp metrics --json` prints, plus the exact nanos).
QString detailsText(const CostDetailAggregates& a)
{
    Kpis k;
    applyCostDetails(k, a);
    const OrderedJson j = kpisToOrderedJson(k);
    QString s = QStringLiteral("total_nano=%1 cache_savings_nano=%2 ").arg(k.totalCostNano).arg(k.cacheSavingsNano);
    for (const char* key :
        { "reported_vs_computed_drift_pct", "reported_cost_runs", "reported_cost_usd", "computed_cost_usd",
            "cache_read_tokens", "cache_savings_usd", "cache_savings_complete", "cost_by_bucket" })
        s += QString::fromLatin1(key) + QLatin1Char('=') + QString::fromStdString(j[key].dump()) + QLatin1Char(' ');
    for (const auto& [label, b] : k.costByBucket)
        s += QStringLiteral("%1:%2/%3/%4/%5 ").arg(label).arg(b.input).arg(b.cacheRead).arg(b.cacheWrite).arg(b.output);
    return s;
}

// The (label, UTC month) groups of the records' (run, label) rows with one of `labels`; 0 = undated.
QSet<QPair<QString, qint64>> labelMonths(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const QStringList& labels)
{
    QSet<QPair<QString, qint64>> groups;
    for (int i : indices) {
        const RunRecord& r = records[size_t(i)];
        qint64 month = 0;
        if (r.hasTimestamp) {
            const QDate d = QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC).date();
            month = d.year() * 12 + d.month();
        }
        for (const RunRecord::LabelBuckets& b : r.bucketsByLabel)
            if (labels.contains(b.label))
                groups.insert({ b.label, month });
    }
    return groups;
}

RunRecord::LabelBuckets bucket(const QString& label, qint64 maxCall, qint64 in, qint64 cr, qint64 cw, qint64 out)
{
    RunRecord::LabelBuckets b;
    b.label = label;
    b.maxCallInputTokens = maxCall;
    b.inputTokens = in;
    b.cacheReadTokens = cr;
    b.cacheWriteTokens = cw;
    b.outputTokens = out;
    return b;
}
} // namespace

class TestTeamCostDetails : public QObject
{
    Q_OBJECT

    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    LoadResult m_folder; // synthetic 2.0 runs with calls[]
    std::vector<RunRecord> m_edges; // hand-made buckets on every edge
    PricingTable m_pricing = pricing();

    std::optional<PgConnection> connect(const QString& db)
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE %1").arg(db), QStringLiteral("postgres"), &ok);
        if (!ok)
            return std::nullopt;
        DbError e;
        return PgConnection::open(m_cluster.url(db), &e);
    }

    static std::vector<int> all(const std::vector<RunRecord>& records)
    {
        std::vector<int> v(records.size());
        std::iota(v.begin(), v.end(), 0);
        return v;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        SyntheticOptions o;
        o.count = 400;
        o.seed = 7;
        o.endMs = kNowMs - 3600 * 1000;
        o.spanDays = 150;
        o.noTimestampShare = 0.03;
        QVERIFY(writeSyntheticArtifacts(m_tmp.filePath(QStringLiteral("runs")), o).ok);
        LoadOptions lo;
        lo.runsDir = m_tmp.filePath(QStringLiteral("runs"));
        lo.useIndex = false;
        m_folder = loadRuns(lo);
        QVERIFY(m_folder.records.size() > 350);
        size_t withBuckets = 0, legacy = 0;
        for (const RunRecord& r : m_folder.records) {
            withBuckets += r.bucketsByLabel.empty() ? 0 : 1;
            legacy += r.schemaVersion.startsWith(QLatin1String("1.")) ? 1 : 0;
        }
        QVERIFY(withBuckets > 100 && legacy > 50); // legacy files have no calls[]: no (run, label) rows

        // Edge records: each a copy of a stored run (the push reads its file) with chosen buckets.
        const qint64 days[] = {
            utcMs(2026, 5, 31, 23, 59, 59, 999), utcMs(2026, 6, 1), utcMs(2026, 6, 30, 23, 59, 59, 999),
            utcMs(2026, 7, 1), utcMs(2026, 8, 14, 23, 59, 59, 999), utcMs(2026, 8, 15), utcMs(2026, 9, 1),
            utcMs(1969, 12, 31, 23, 59, 59, 999), // before the epoch: the day is still the UTC day
            0, // undated: the current period
        };
        const qint64 inputs[] = { 0, 1, 999, 1000, 1001, 1999, 2000, 2001, 2999, 3000, 3001, 1000000 };
        const RunRecord& base = m_folder.records.back();
        int n = 0;
        for (qint64 day : days) {
            for (qint64 in : inputs) {
                RunRecord r = base;
                r.runId = QStringLiteral("edge-%1").arg(n);
                r.task = QStringLiteral("edge run %1 end").arg(n, 4, 10, QLatin1Char('0'));
                r.hasTimestamp = day != 0;
                r.timestampMs = day;
                r.estCostNano = 1000 + n;
                r.cacheReadTokens = in / 4;
                r.reportedCostCalls = n % 3 == 0 ? 1 : 0;
                r.reportedCostNano = r.reportedCostCalls ? 700 + 3 * n : 0;
                r.computedCostNano = r.reportedCostCalls ? 710 + 2 * n : 0;
                r.bucketsByLabel = {
                    bucket(QStringLiteral("acme/tiered"), in, in + 37, in / 4, n % 2 ? in / 8 : 0, 101 + n),
                    bucket(QStringLiteral("acme/dated"), in, in, n % 5 ? in / 3 : 0, 0, 3 * n + 1),
                    bucket(QStringLiteral("flat"), in, in * 2 + 1, in / 2 + 1, 0, 9), // bare name of acme/flat
                    bucket(QStringLiteral("tiered"), in, in, 0, 0, 1), // bare name too
                    bucket(QStringLiteral("acme/flat/extra"), in, in, 3, 0, 1), // not a bare name: unpriced
                };
                if (n % 11 == 0)
                    r.bucketsByLabel.push_back(bucket(QStringLiteral("ghost/unpriced"), in, in, 5, 0, 1));
                if (n % 50 == 0)
                    r.bucketsByLabel.push_back(bucket(QStringLiteral("acme/huge"), 1, 4'000'000'000'000'000'000LL, 0, 0,
                        4'000'000'000'000'000'000LL)); // saturates at kNanoUsdSaturation
                m_edges.push_back(r);
                ++n;
            }
        }
    }

    // Each edge run alone (a search filter for its unique task): the server picks the same period and
    // tier as ratesFor() for every (run, label) row and rounds every bucket the same way.
    void everyRunPricedAsTheFolderPricesIt()
    {
        std::optional<PgConnection> conn = connect(QStringLiteral("edges"));
        QVERIFY(conn);
        DbError e;
        QVERIFY2(initTeamSchema(*conn, false, nullptr, &e), qPrintable(e.message));
        PushSummary s;
        QVERIFY2(pushRecords(*conn, m_edges, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(m_edges.size()));
        for (size_t i = 0; i < m_edges.size(); ++i) {
            RunFilter f;
            f.lastMs.reset();
            f.search = m_edges[i].task;
            const std::vector<int> idx = filterRuns(m_edges, f, kNowMs);
            QCOMPARE(idx.size(), size_t(1));
            CostDetailAggregates db;
            qint64 without = -1;
            QVERIFY2(teamCostDetails(*conn, f, kNowMs, m_pricing, &db, &without, &e), qPrintable(e.message));
            QCOMPARE(without, qint64(0));
            QCOMPARE(detailsText(db), detailsText(aggregateCostDetails(m_edges, idx, &m_pricing)));
        }
        // The edges really reach every period and tier of acme/tiered (3 periods: 1 + 2 + 3 rate sets).
        QSet<QString> picked;
        for (const RunRecord& r : m_edges) {
            const auto rates = m_pricing.ratesFor(
                QStringLiteral("acme/tiered"), runPricingDay(r), r.bucketsByLabel[0].maxCallInputTokens);
            QVERIFY(rates);
            picked.insert(QString::number(rates->first.input) + rates->second);
        }
        QCOMPARE(picked.size(), qsizetype(6));
        // And the sums over all of them, with an empty pricing table (everything unpriced) too.
        RunFilter everything;
        everything.lastMs.reset();
        CostDetailAggregates db;
        QVERIFY2(teamCostDetails(*conn, everything, kNowMs, m_pricing, &db, nullptr, &e), qPrintable(e.message));
        const CostDetailAggregates folder = aggregateCostDetails(m_edges, all(m_edges), &m_pricing);
        QCOMPARE(detailsText(db), detailsText(folder));
        QVERIFY(!folder.cacheSavingsComplete && folder.cacheSavingsNano > 0 && folder.reportedCostRuns > 0);
        const PricingTable empty;
        QVERIFY2(teamCostDetails(*conn, everything, kNowMs, empty, &db, nullptr, &e), qPrintable(e.message));
        QCOMPARE(detailsText(db), detailsText(aggregateCostDetails(m_edges, all(m_edges), &empty)));
        QVERIFY(db.costByBucket.empty());
    }

    // The cost rollup (schema version 4): whole months are priced from the (month, label) sums where that
    // is exact at the client's prices, the rest is read back from the runs of those months only. Either
    // way the figures equal the folder's; the plan says which groups went which way.
    void rollupPricesWholeMonthsAndReadsBackTheRest()
    {
        std::optional<PgConnection> conn = connect(QStringLiteral("rollup"));
        QVERIFY(conn);
        DbError e;
        QVERIFY2(initTeamSchema(*conn, false, nullptr, &e), qPrintable(e.message));
        std::vector<RunRecord> records = m_folder.records;
        records.insert(records.end(), m_edges.begin(), m_edges.end());
        PushSummary s;
        QVERIFY2(pushRecords(*conn, records, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(records.size()));

        std::vector<RunFilter> filters;
        RunFilter f;
        f.lastMs.reset();
        filters.push_back(f); // all time, undated runs included
        f.lastMs = 90 * kDay; // whole months plus two partial ones
        filters.push_back(f);
        f = RunFilter {};
        f.custom = true; // from a month's first instant: no partial month at the start
        f.fromMs = utcMs(2026, 6, 1);
        f.status = QStringLiteral("published");
        filters.push_back(f);
        f = RunFilter {};
        f.lastMs.reset();
        f.preset = records.front().presetName;
        f.groundedOnly = true;
        filters.push_back(f);

        // Whole rates: only the saturating acme/huge groups (one per month it has runs in) need the runs.
        const PricingTable whole = pricing(kWholePricing);
        // A price change on 2026-08-15 splits August for gpt-4o; acme/flat's input rate of 0.1500001 per
        // 1M tokens is not whole, so all its groups (and its bare name "flat") go to the runs too.
        QByteArray split = kWholePricing;
        split.replace(R"("openai/gpt-4o": { "input": 2.5, "output": 10, "cache_read": 1.25 })",
            R"("openai/gpt-4o": { "input": 2.5, "output": 10, "cache_read": 1.25, "effective": "2026-08-15",
                                   "history": [ { "input": 5, "output": 15 } ] })");
        split.replace(R"("acme/flat": { "input": 0.15,)", R"("acme/flat": { "input": 0.1500001,)");
        const PricingTable partly = pricing(split.constData());
        QVERIFY(partly.find(QStringLiteral("openai/gpt-4o"))->periods.size() == 2);

        for (const RunFilter& filter : filters) {
            const std::vector<int> idx = filterRuns(records, filter, kNowMs);
            const bool wholeMonthsOnly = !filter.lastMs || filter.custom;
            for (const PricingTable* table : { &whole, &partly }) {
                CostDetailAggregates db;
                TeamCostDetailsPlan plan;
                qint64 without = -1;
                QVERIFY2(teamCostDetails(*conn, filter, kNowMs, *table, &db, &without, &e, {}, &plan),
                    qPrintable(e.message));
                QCOMPARE(without, qint64(0));
                const CostDetailAggregates folder = aggregateCostDetails(records, idx, table);
                QCOMPARE(detailsText(db), detailsText(folder));
                QVERIFY(plan.rollupGroups > 0);
                if (!wholeMonthsOnly)
                    continue; // the partial months' groups are read from the runs and not counted
                QSet<QPair<QString, qint64>> expected = labelMonths(records, idx, { QStringLiteral("acme/huge") });
                if (table == &partly) {
                    expected += labelMonths(records, idx, { QStringLiteral("acme/flat"), QStringLiteral("flat") });
                    if (labelMonths(records, idx, { QStringLiteral("openai/gpt-4o") })
                            .contains({ QStringLiteral("openai/gpt-4o"), 2026 * 12 + 8 }))
                        expected.insert({ QStringLiteral("openai/gpt-4o"), 2026 * 12 + 8 });
                }
                if (&filter == &filters.front())
                    QVERIFY(expected.size() >= (table == &partly ? 6 : 3));
                QCOMPARE(plan.rowGroups, qint64(expected.size()));
            }
        }
    }

    // A history at schema version 2 (before the cost details), upgraded by init: every stored run gets
    // its details from its stored artifact, and the sums equal the folder's under the filters; runs
    // pushed later by a djp that does not write them are counted, and the next init fills them.
    void upgradeBackFillsFromStoredArtifacts()
    {
        std::optional<PgConnection> conn = connect(QStringLiteral("v2"));
        QVERIFY(conn);
        DbError e;
        TeamInitResult init;
        QVERIFY2(initTeamSchema(*conn, false, &init, &e, 2), qPrintable(e.message));
        QCOMPARE(init.versionAfter, 2);
        PushSummary s;
        QVERIFY2(pushRecords(*conn, m_folder.records, {}, &s, &e), qPrintable(e.message)); // a v2 row each
        QCOMPARE(s.pushed, qint64(m_folder.records.size()));
        CostDetailAggregates db;
        RunFilter allTime;
        allTime.lastMs.reset();
        QVERIFY(!teamCostDetails(*conn, allTime, kNowMs, m_pricing, &db, nullptr, &e));
        QCOMPARE(e.code, QStringLiteral("schema_outdated"));

        QVERIFY2(initTeamSchema(*conn, false, &init, &e), qPrintable(e.message));
        QCOMPARE(init.versionBefore, 2);
        QCOMPARE(init.versionAfter, teamSchemaVersion());
        QCOMPARE(init.costDetailsFilled, qint64(m_folder.records.size()));
        QCOMPARE(init.costDetailsUnreadable, qint64(0));

        std::vector<RunFilter> filters;
        RunFilter f;
        f.lastMs.reset();
        filters.push_back(f);
        f.lastMs = 30 * kDay;
        filters.push_back(f);
        f = RunFilter {};
        f.custom = true;
        f.fromMs = kNowMs - 100 * kDay;
        f.toMs = kNowMs - 10 * kDay;
        f.status = QStringLiteral("published");
        filters.push_back(f);
        f = RunFilter {};
        f.lastMs.reset();
        f.provider = QStringLiteral("openai/gpt-4o");
        f.providerMatch = ProviderMatch::AnyCall;
        filters.push_back(f);
        for (const RunFilter& filter : filters) {
            qint64 without = -1;
            QVERIFY2(teamCostDetails(*conn, filter, kNowMs, m_pricing, &db, &without, &e), qPrintable(e.message));
            QCOMPARE(without, qint64(0));
            const CostDetailAggregates folder
                = aggregateCostDetails(m_folder.records, filterRuns(m_folder.records, filter, kNowMs), &m_pricing);
            QCOMPARE(detailsText(db), detailsText(folder));
            if (!filter.lastMs && !filter.custom && filter.provider.isEmpty())
                QVERIFY(folder.costByBucket.size() >= 4 && folder.totalCostNano > 0);
        }
        // What an older djp's push leaves: rows without the details. Readers count them and stop
        // calling the savings complete; the next init fills them from their artifacts.
        const qint64 stripped
            = conn->exec(QStringLiteral("WITH s AS (UPDATE djp.runs SET cost_details = false, est_cost_nano = 0, "
                                        "bucket_labels = '{}', bucket_max_call_input = '{}', bucket_input = '{}', "
                                        "bucket_cache_read = '{}', bucket_cache_write = '{}', bucket_output = '{}' "
                                        "WHERE run_key IN (SELECT run_key FROM djp.runs ORDER BY run_key LIMIT 25) "
                                        "RETURNING 1) SELECT count(*) FROM s"),
                      {}, &e)
                  ->toLongLong(0, 0);
        QCOMPARE(stripped, qint64(25));
        // The update keeps the cost rollup in step: all time is answered from it (plan), and still right.
        qint64 without = 0;
        TeamCostDetailsPlan plan;
        QVERIFY2(
            teamCostDetails(*conn, allTime, kNowMs, m_pricing, &db, &without, &e, {}, &plan), qPrintable(e.message));
        QVERIFY(plan.rollupGroups > 0);
        QCOMPARE(without, qint64(25));
        QVERIFY(!db.cacheSavingsComplete);
        QVERIFY2(initTeamSchema(*conn, false, &init, &e), qPrintable(e.message));
        QVERIFY(init.applied.isEmpty());
        QCOMPARE(init.costDetailsFilled, qint64(25));
        QVERIFY2(teamCostDetails(*conn, allTime, kNowMs, m_pricing, &db, &without, &e), qPrintable(e.message));
        QCOMPARE(without, qint64(0));
        QCOMPARE(
            detailsText(db), detailsText(aggregateCostDetails(m_folder.records, all(m_folder.records), &m_pricing)));
        // Runs pushed after the upgrade carry their details at once (nothing left for init).
        QVERIFY2(initTeamSchema(*conn, false, &init, &e), qPrintable(e.message));
        QCOMPARE(init.costDetailsFilled, qint64(0));
    }

    void cleanupTestCase() { QVERIFY(m_cluster.stop()); }
};

QTEST_GUILESS_MAIN(TestTeamCostDetails)
#include "tst_team_cost_details.moc"
