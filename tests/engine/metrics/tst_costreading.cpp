// Reader side of schema 2.1 (docs/metrics.md): artifacts written here in the 2.1 shape are loaded through
// the real store (with and without the index); their usage buckets, reported costs and exact money reach
// the run records, the KPIs (reported vs computed, cache savings, cost by bucket) and the CSV columns.
// Every expected figure is worked out by hand in the comments, from the rates of
// tests/data/pricing/pricing-history-tiers.json.
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "store/runstore.h"
#include "testpaths.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A 2.1 call record with every key of the schema.
QByteArray call(const char* label, const char* status, int attempt, qint64 in, qint64 cacheRead, qint64 cacheWrite,
    qint64 out, qint64 reasoning, const char* source, const char* cost, const char* reported)
{
    return QStringLiteral(R"({"stage":"debate","label":"%1","api":"openai_chat","simulated":false,"attempt":%2,)"
                          R"("status":"%3","http_status":200,"error":"","input_tokens":%4,"output_tokens":%5,)"
                          R"("cache_read_tokens":%6,"cache_write_tokens":%7,"reasoning_tokens":%8,)"
                          R"("usage_source":"%9","latency_ms":120,"cost_usd":%10,"pricing_id":"2026-01-01#abcdef12",)"
                          R"("reported_cost_usd":%11,"held_usd":0})")
        .arg(QLatin1String(label))
        .arg(attempt)
        .arg(QLatin1String(status))
        .arg(in)
        .arg(out)
        .arg(cacheRead)
        .arg(cacheWrite)
        .arg(reasoning)
        .arg(QLatin1String(source), QLatin1String(cost), QLatin1String(reported))
        .toUtf8();
}

QByteArray artifact(const char* version, const char* timestamp, const QByteArray& calls, const QByteArray& costs)
{
    return QByteArray(R"({"schema_version":")") + version + R"(","run_id":"r-)" + timestamp
        + R"(","run_metadata":{"timestamp":")" + timestamp
        + R"(","task":"t","trace_name":"djp_run","parameters":{"max_tokens":800,"temperature":0.7,)"
          R"("allowed_models":[],"require_citations":0}},"publish":{"status":"published","provider":"openai/gpt-4o",)"
          R"("text":"x","text_length":1},"calls":[)"
        + calls + R"(],"provenance":{"estimated_costs":)" + costs
        + R"(},"budget":{"cost_complete":true,"cap_exceeded":false,"overrun_usd":0,"held_usd":0}})";
}

} // namespace

class TestCostReading : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_cache;
    PricingTable m_pricing;

    void write(const QString& name, const QByteArray& bytes)
    {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    LoadResult load(bool useIndex)
    {
        LoadOptions o;
        o.runsDir = m_dir.path();
        o.useIndex = useIndex;
        o.indexPath = m_cache.filePath(QStringLiteral("index.bin"));
        LoadResult r = loadRuns(o);
        std::sort(r.records.begin(), r.records.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.timestampMs < b.timestampMs; });
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid() && m_cache.isValid());
        qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8());
        const auto t
            = PricingTable::fromJson(readFile(test::dataDir() + QStringLiteral("/pricing/pricing-history-tiers.json")));
        QVERIFY(t);
        m_pricing = *t;

        // Run A: Sonnet 4.5 with cache reads and writes; gpt-4o with a router-reported cost, then a retry
        // whose usage was estimated.
        //   sonnet: 1,000 uncached × 3 = $0.003; 8,000 × 0.3 = $0.0024; 1,000 × 3.75 = $0.00375;
        //           500 × 15 = $0.0075 -> $0.01665
        //   gpt-4o: 1,000 × 2.5 = $0.0025; 1,000 × 1.25 = $0.00125; 300 × 10 = $0.003 -> $0.00675 (reported $0.0066)
        //   retry:  500 × 2.5 = $0.00125 (estimated)
        write(QStringLiteral("a.json"),
            artifact("2.1", "2026-01-10T12:00:00+00:00",
                call("anthropic/claude-sonnet-4-5", "ok", 1, 10000, 8000, 1000, 500, 0, "reported", "0.01665", "null")
                    + "," + call("openai/gpt-4o", "ok", 1, 2000, 1000, 0, 300, 100, "reported", "0.00675", "0.0066")
                    + "," + call("openai/gpt-4o", "error", 2, 500, 0, 0, 0, 0, "estimated", "0.00125", "null"),
                R"({"anthropic/claude-sonnet-4-5":0.01665,"openai/gpt-4o":0.008})"));
        // Run B: a 300k prompt on Gemini 2.5 Pro, priced at its long-context tier:
        //   200,000 × 2.5 = $0.5; 100,000 × 0.25 = $0.025; 2,000 × 15 = $0.03 -> $0.555 (reported $0.5)
        write(QStringLiteral("b.json"),
            artifact("2.1", "2026-01-11T12:00:00+01:00",
                call("google/gemini-2.5-pro", "ok", 1, 300000, 100000, 0, 2000, 1500, "reported", "0.555", "0.5"),
                R"({"google/gemini-2.5-pro":0.555})"));
        // Run C: a 1.1-style run whose estimated costs add up to float noise (0.1 + 0.2).
        write(QStringLiteral("c.json"),
            R"({"schema_version":"1.1","run_metadata":{"timestamp":"2026-01-12T09:00:00","task":"c",)"
            R"("trace_name":"x","parameters":{"max_tokens":800,"temperature":0.7,"allowed_models":[]}},)"
            R"("publish":{"status":"published","provider":"openai/gpt-4o","text":"x","text_length":1},)"
            R"("provenance":{"estimated_costs":{"openai/gpt-4o":0.1,"openai/gpt-4o-mini":0.2}}})");
    }

    void recordsCarryTheBuckets_data()
    {
        QTest::addColumn<bool>("useIndex");
        QTest::newRow("no index") << false;
        QTest::newRow("index, cold") << true;
        QTest::newRow("index, warm") << true;
    }
    void recordsCarryTheBuckets()
    {
        QFETCH(bool, useIndex);
        const LoadResult loaded = load(useIndex);
        QVERIFY(loaded.problems.empty());
        QCOMPARE(loaded.records.size(), size_t(3));
        const RunRecord& a = loaded.records[0];
        QCOMPARE(a.schemaVersion, QStringLiteral("2.1"));
        QCOMPARE(a.cacheReadTokens, 9000);
        QCOMPARE(a.cacheWriteTokens, 1000);
        QCOMPARE(a.reasoningTokens, 100);
        QCOMPARE(a.estimatedUsageCalls, 1);
        QCOMPARE(a.reportedCostCalls, 1);
        QCOMPARE(a.reportedCostNano, 6'600'000);
        QCOMPARE(a.computedCostNano, 6'750'000);
        QCOMPARE(a.estCostNano, 24'650'000); // 0.01665 + 0.008
        QCOMPARE(a.bucketsByLabel.size(), size_t(2));
        const RunRecord::LabelBuckets& gpt = a.bucketsByLabel[1];
        QCOMPARE(gpt.label, QStringLiteral("openai/gpt-4o"));
        QCOMPARE(gpt.inputTokens, 2500);
        QCOMPARE(gpt.cacheReadTokens, 1000);
        QCOMPARE(gpt.outputTokens, 300);
        QCOMPARE(gpt.maxCallInputTokens, 2000);
        QCOMPARE(gpt.costNano, 8'000'000);
        const RunRecord& b = loaded.records[1];
        QCOMPARE(b.reasoningTokens, 1500);
        QCOMPARE(b.bucketsByLabel.at(0).maxCallInputTokens, 300000);
        const RunRecord& c = loaded.records[2];
        QCOMPARE(c.estCostNano, 300'000'000); // exactly 0.3, not 0.30000000000000004
        QVERIFY(!c.hasReportedCost());
        QVERIFY(c.bucketsByLabel.empty());
        if (useIndex)
            QVERIFY(loaded.stats.parsedFiles + loaded.stats.indexedFiles == 3);
    }

    void kpis()
    {
        const LoadResult loaded = load(false);
        const Kpis k = computeKpis(loaded.records, &m_pricing);
        // 0.02465 + 0.555 + 0.3, summed exactly
        QCOMPARE(k.totalCostNano, 879'650'000);
        QCOMPARE(kpisToOrderedJson(k)["total_cost"].dump(), std::string("0.87965"));
        // Reported vs computed over runs A and B: computed 0.00675 + 0.555 = 0.56175, reported 0.0066 + 0.5
        // = 0.5066; (0.56175 - 0.5066) / 0.5066 × 100 = 10.8863008290...%
        QCOMPARE(k.reportedCostRuns, 2);
        QCOMPARE(k.reportedCostNano, 506'600'000);
        QCOMPARE(k.computedCostNano, 561'750'000);
        QVERIFY(k.reportedVsComputedDriftPct);
        QVERIFY(qAbs(*k.reportedVsComputedDriftPct - 10.886300829056438) < 1e-9);
        // Cache savings: sonnet 8,000 × (3 − 0.3) = $0.0216; gpt-4o 1,000 × (2.5 − 1.25) = $0.00125;
        // gemini (tier of its 300k call) 100,000 × (2.5 − 0.25) = $0.225 -> $0.24785
        QCOMPARE(k.cacheReadTokens, 109000);
        QCOMPARE(k.cacheSavingsNano, 247'850'000);
        QVERIFY(k.cacheSavingsComplete);
        // Cost by bucket, by label, descending total.
        QCOMPARE(k.costByBucket.size(), size_t(3));
        QCOMPARE(k.costByBucket[0].first, QStringLiteral("google/gemini-2.5-pro"));
        QCOMPARE(k.costByBucket[0].second.input, 500'000'000);
        QCOMPARE(k.costByBucket[0].second.cacheRead, 25'000'000);
        QCOMPARE(k.costByBucket[0].second.output, 30'000'000);
        QCOMPARE(k.costByBucket[1].first, QStringLiteral("anthropic/claude-sonnet-4-5"));
        QCOMPARE(k.costByBucket[1].second.input, 3'000'000);
        QCOMPARE(k.costByBucket[1].second.cacheRead, 2'400'000);
        QCOMPARE(k.costByBucket[1].second.cacheWrite, 3'750'000);
        QCOMPARE(k.costByBucket[1].second.output, 7'500'000);
        // gpt-4o sums: 1,500 uncached × 2.5 = $0.00375; 1,000 × 1.25; 300 × 10
        QCOMPARE(k.costByBucket[2].second.input, 3'750'000);
        QCOMPARE(k.costByBucket[2].second.cacheRead, 1'250'000);
        QCOMPARE(k.costByBucket[2].second.output, 3'000'000);
        const auto j = kpisToOrderedJson(k);
        QCOMPARE(j["cache_savings_usd"].dump(), std::string("0.24785"));
        QCOMPARE(j["cost_by_bucket"]["google/gemini-2.5-pro"]["cache_read"].dump(), std::string("0.025"));

        // Only the filtered set counts: run C alone has no reported cost and no cached reads.
        const Kpis onlyC = computeKpis(loaded.records, std::vector<int> { 2 }, &m_pricing);
        QVERIFY(!onlyC.reportedVsComputedDriftPct);
        QCOMPARE(onlyC.reportedCostRuns, 0);
        QCOMPARE(onlyC.cacheSavingsNano, 0);
        QVERIFY(kpisToOrderedJson(onlyC)["reported_vs_computed_drift_pct"].is_null());
        QCOMPARE(kpisToOrderedJson(onlyC)["total_cost"].dump(), std::string("0.3"));

        // Without a pricing table, savings cannot be valued and say so.
        const Kpis unpriced = computeKpis(loaded.records);
        QCOMPARE(unpriced.cacheSavingsNano, 0);
        QVERIFY(!unpriced.cacheSavingsComplete);
        QCOMPARE(unpriced.reportedCostRuns, 2); // needs no table
    }

    void csvColumnsAfterTheLegacyOnes()
    {
        const LoadResult loaded = load(false);
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY(writeRunsCsv(buf, loaded.records, { 0, 1, 2 }));
        const QList<QByteArray> lines = buf.data().split('\n');
        const QList<QByteArray> header = lines[0].trimmed().split(',');
        QCOMPARE(header.indexOf("schema_version"), kLegacyColumnCount - 1);
        const qsizetype first = header.indexOf("cache_read_tokens");
        QVERIFY(first > header.indexOf("retries"));
        auto cellOf = [&](int row, const char* column) {
            return lines[row + 1].trimmed().split(',').value(header.indexOf(column));
        };
        QCOMPARE(cellOf(0, "cache_read_tokens"), QByteArray("9000"));
        QCOMPARE(cellOf(0, "cache_write_tokens"), QByteArray("1000"));
        QCOMPARE(cellOf(0, "reasoning_tokens"), QByteArray("100"));
        QCOMPARE(cellOf(0, "estimated_usage_calls"), QByteArray("1"));
        QCOMPARE(cellOf(0, "reported_cost_usd"), QByteArray("0.0066"));
        QCOMPARE(cellOf(0, "computed_cost_usd"), QByteArray("0.00675"));
        // (0.00675 − 0.0066) / 0.0066 × 100
        QVERIFY(qAbs(cellOf(0, "cost_drift_pct").toDouble() - 2.272727272727272) < 1e-9);
        QCOMPARE(cellOf(0, "est_cost"), QByteArray("0.02465"));
        QCOMPARE(cellOf(1, "est_cost"), QByteArray("0.555"));
        // Exact money: 0.1 + 0.2 is written 0.3.
        QCOMPARE(cellOf(2, "est_cost"), QByteArray("0.3"));
        QVERIFY(!buf.data().contains("0.30000000000000004"));
        // No reported cost: empty cells, not 0.
        QCOMPARE(cellOf(2, "reported_cost_usd"), QByteArray());
        QCOMPARE(cellOf(2, "cost_drift_pct"), QByteArray());
        QCOMPARE(cellOf(2, "cache_read_tokens"), QByteArray("0"));
    }
};

QTEST_GUILESS_MAIN(TestCostReading)
#include "tst_costreading.moc"
