// KPIs of docs/metrics.md on records built in code: empty set, every definition, ties in failure
// reasons, compliance with no requirement, percentiles, JSON keys. The golden fixture test
// (tst_kpi_golden) checks the same through real artifacts.
#include "metrics/kpis.h"
#include "records.h"

#include <QTest>
#include <map>
#include <random>

using namespace djp;
using djp::test::allIndices;
using djp::test::makeRun;

class TestKpis : public QObject
{
    Q_OBJECT
private slots:
    void emptySetHasEveryKeyWithZeros()
    {
        const Kpis k = computeKpis({});
        QCOMPARE(k.totalRuns, 0);
        QCOMPARE(k.publishRate, 0.0);
        QCOMPARE(k.avgCost, 0.0);
        QCOMPARE(k.p95Duration, 0.0);
        QCOMPARE(k.citationsComplianceRate, 1.0);
        QVERIFY(k.costComplete);

        const OrderedJson j = kpisToOrderedJson(k);
        QStringList keys;
        for (auto it = j.begin(); it != j.end(); ++it)
            keys << QString::fromStdString(it.key());
        QCOMPARE(keys, kpiKeys());
        QCOMPARE(keys.mid(0, 13),
            QStringList({ "total_runs", "published_runs", "advisory_runs", "failed_runs", "publish_rate",
                "advisory_rate", "failure_rate", "avg_cost", "avg_tokens", "avg_duration", "provider_mix",
                "top_failure_reasons", "citations_compliance_rate" }));
        for (const char* zero : { "total_runs", "published_runs", "advisory_runs", "failed_runs", "publish_rate",
                 "advisory_rate", "failure_rate", "avg_cost", "avg_tokens", "avg_duration", "total_cost",
                 "p50_duration", "p95_duration", "grounded_rate", "redacted_rate", "simulated_runs" }) {
            QVERIFY2(j[zero].is_number(), zero);
            QVERIFY2(j[zero].get<double>() == 0.0, zero);
        }
        QVERIFY(j["provider_mix"].is_object() && j["provider_mix"].empty());
        QVERIFY(j["top_failure_reasons"].is_object() && j["top_failure_reasons"].empty());
        QVERIFY(j["cost_by_provider"].is_object() && j["cost_by_provider"].empty());
        QCOMPARE(j["citations_compliance_rate"].get<double>(), 1.0);
        QCOMPARE(j["cost_complete"].get<bool>(), true);
        // The sorted-key Json form holds the same content.
        QCOMPARE(kpisToJson(k).size(), j.size());
    }

    void definitions()
    {
        std::vector<RunRecord> v;
        RunRecord a = makeRun("published");
        a.provider = "openai/gpt-4o";
        a.estCost = 0.01;
        a.totalTokens = 100;
        a.duration = 2;
        a.citationsRequired = 2;
        a.citationsOk = true;
        a.grounded = true;
        a.costByLabel = { { "openai/gpt-4o", 0.006 }, { "anthropic/claude", 0.004 } };
        v.push_back(a);
        RunRecord b = makeRun("published");
        b.provider = "anthropic/claude";
        b.estCost = 0.02;
        b.totalTokens = 300;
        b.duration = 4;
        b.citationsRequired = 1;
        b.citationsOk = false;
        b.redacted = true;
        b.costByLabel = { { "anthropic/claude", 0.02 } };
        v.push_back(b);
        RunRecord c = makeRun("published");
        c.provider = "openai/gpt-4o";
        c.simulated = true;
        c.costComplete = false;
        v.push_back(c);
        RunRecord d = makeRun("advisory_only");
        d.duration = 10;
        d.estCost = 0.03;
        d.totalTokens = 600;
        v.push_back(d);
        RunRecord e = makeRun("weird_status"); // counted in total only
        v.push_back(e);

        const Kpis k = computeKpis(v, allIndices(v));
        QCOMPARE(k.totalRuns, 5);
        QCOMPARE(k.publishedRuns, 3);
        QCOMPARE(k.advisoryRuns, 1);
        QCOMPARE(k.failedRuns, 0);
        QCOMPARE(k.publishRate, 3.0 / 5);
        QCOMPARE(k.advisoryRate, 1.0 / 5);
        QCOMPARE(k.failureRate, 0.0);
        QCOMPARE(k.totalCost, 0.06);
        QCOMPARE(k.avgCost, 0.06 / 5);
        QCOMPARE(k.avgTokens, 1000.0 / 5);
        QCOMPARE(k.avgDuration, 16.0 / 5);
        // provider_mix: published runs only, share descending.
        QCOMPARE(k.providerMix.size(), size_t(2));
        QCOMPARE(k.providerMix[0].first, QString("openai/gpt-4o"));
        QCOMPARE(k.providerMix[0].second, 2.0 / 3);
        QCOMPARE(k.providerMix[1].first, QString("anthropic/claude"));
        QCOMPARE(k.providerMix[1].second, 1.0 / 3);
        // top_failure_reasons: advisory_only + none only.
        QCOMPARE(k.topFailureReasons.size(), size_t(1));
        QCOMPARE(k.topFailureReasons[0], std::make_pair(QString("not_from_allowed_provider"), 1));
        // compliance over runs requiring citations: a ok, b not.
        QCOMPARE(k.citationsComplianceRate, 0.5);
        // cost by model label: anthropic 0.024, openai 0.006.
        QCOMPARE(k.costByProvider.size(), size_t(2));
        QCOMPARE(k.costByProvider[0].first, QString("anthropic/claude"));
        QVERIFY(qFuzzyCompare(k.costByProvider[0].second, 0.024));
        QCOMPARE(k.costByProvider[1].first, QString("openai/gpt-4o"));
        QCOMPARE(k.costByProvider[1].second, 0.006);
        // durations {2, 4, 0, 10, 0} sorted {0, 0, 2, 4, 10}: p50 = 2; p95 at rank 3.8 = 4 + 0.8 * 6.
        QCOMPARE(k.p50Duration, 2.0);
        QCOMPARE(k.p95Duration, 8.8);
        QCOMPARE(k.groundedRate, 0.2);
        QCOMPARE(k.redactedRate, 0.2);
        QCOMPARE(k.simulatedRuns, 1);
        QVERIFY(!k.costComplete);

        // Only the selected indices count.
        const Kpis sub = computeKpis(v, { 1, 3 });
        QCOMPARE(sub.totalRuns, 2);
        QCOMPARE(sub.publishedRuns, 1);
        QCOMPARE(sub.providerMix.size(), size_t(1));
        QCOMPARE(sub.providerMix[0].second, 1.0);
        QCOMPARE(sub.citationsComplianceRate, 0.0);
        QCOMPARE(sub.p50Duration, 7.0);
        QCOMPARE(sub.p95Duration, 4 + 0.95 * 6);
        QVERIFY(sub.costComplete);
    }

    void failureReasonTiesAndTopFive()
    {
        std::vector<RunRecord> v;
        const auto add = [&](const char* status, const char* reason, int times) {
            for (int i = 0; i < times; ++i) {
                RunRecord r = makeRun(status);
                r.advisoryReason = reason;
                v.push_back(r);
            }
        };
        add("advisory_only", "zeta", 3);
        add("none", "beta", 3); // ties with zeta: reason ascending
        add("advisory_only", "alpha", 1);
        add("none", "delta", 1);
        add("advisory_only", "gamma", 1);
        add("none", "epsilon", 1); // sixth reason: cut
        add("published", "ignored", 5); // published runs never count
        const Kpis k = computeKpis(v);
        const std::vector<std::pair<QString, int>> expected
            = { { "beta", 3 }, { "zeta", 3 }, { "alpha", 1 }, { "delta", 1 }, { "epsilon", 1 } };
        QCOMPARE(k.topFailureReasons, expected);
        QCOMPARE(k.failedRuns, 5);
        QCOMPARE(k.advisoryRuns, 5);

        // JSON keeps that order in the ordered form.
        const OrderedJson j = kpisToOrderedJson(k);
        QStringList order;
        for (auto it = j["top_failure_reasons"].begin(); it != j["top_failure_reasons"].end(); ++it)
            order << QString::fromStdString(it.key());
        QCOMPARE(order, QStringList({ "beta", "zeta", "alpha", "delta", "epsilon" }));
        QCOMPARE(j["top_failure_reasons"]["beta"].get<int>(), 3);
    }

    void cancelledRunsAreNotFailures()
    {
        std::vector<RunRecord> v;
        v.push_back(makeRun("published"));
        v.push_back(makeRun("advisory_only"));
        v.push_back(makeRun("none")); // a failure
        for (int i = 0; i < 2; ++i) {
            RunRecord r = makeRun("none");
            r.advisoryReason = QStringLiteral("cancelled");
            v.push_back(r);
        }
        QVERIFY(isCancelledRun(v[3]));
        QVERIFY(!isCancelledRun(v[2]));
        const Kpis k = computeKpis(v);
        QCOMPARE(k.totalRuns, 5);
        QCOMPARE(k.failedRuns, 1);
        QCOMPARE(k.failureRate, 0.2);
        QCOMPARE(k.cancelledRuns, 2);
        QCOMPARE(k.cancelledRate, 0.4);
        // Published + advisory + failed + cancelled cover every run of the three statuses.
        QCOMPARE(k.publishRate + k.advisoryRate + k.failureRate + k.cancelledRate, 1.0);
        // A cancellation is no failure reason.
        const std::vector<std::pair<QString, int>> reasons
            = { { "no_valid_content", 1 }, { "not_from_allowed_provider", 1 } };
        QCOMPARE(k.topFailureReasons, reasons);
        const OrderedJson j = kpisToOrderedJson(k);
        QCOMPARE(j["cancelled_runs"].get<int>(), 2);
        QCOMPARE(j["failed_runs"].get<int>(), 1);
        // "cancelled" as the reason of an advisory run is just a reason: only status none cancels.
        RunRecord odd = makeRun("advisory_only");
        odd.advisoryReason = QStringLiteral("cancelled");
        QVERIFY(!isCancelledRun(odd));
        QCOMPARE(computeKpis({ odd }).cancelledRuns, 0);
    }

    void complianceWithoutRequirementIsOne()
    {
        std::vector<RunRecord> v(3, makeRun("published"));
        v[0].citationsOk = false; // no requirement: ignored even if the flag says false
        QCOMPARE(computeKpis(v).citationsComplianceRate, 1.0);
        v[1].citationsRequired = 3;
        v[1].citationsOk = true;
        QCOMPARE(computeKpis(v).citationsComplianceRate, 1.0);
        v[2].citationsRequired = 1;
        v[2].citationsOk = false;
        QCOMPARE(computeKpis(v).citationsComplianceRate, 0.5);
    }

    void percentilesLikeNumpy_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p95");
        // numpy.percentile(values, [50, 95]) with the default linear method.
        QTest::newRow("one") << QList<double> { 7 } << 7.0 << 7.0;
        QTest::newRow("two") << QList<double> { 1, 3 } << 2.0 << 2.9;
        QTest::newRow("unsorted") << QList<double> { 9, 1, 5, 3, 7 } << 5.0 << 8.6;
        QTest::newRow("ten") << QList<double> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 } << 5.5 << 9.55;
    }
    void percentilesLikeNumpy()
    {
        QFETCH(QList<double>, values);
        QFETCH(double, p50);
        QFETCH(double, p95);
        std::vector<RunRecord> v;
        for (double d : values) {
            RunRecord r = makeRun("published");
            r.duration = d;
            v.push_back(r);
        }
        const Kpis k = computeKpis(v);
        QVERIFY2(qAbs(k.p50Duration - p50) < 1e-9, qPrintable(QString::number(k.p50Duration)));
        QVERIFY2(qAbs(k.p95Duration - p95) < 1e-9, qPrintable(QString::number(k.p95Duration)));
    }

    // The team history's percentiles come from (value, count) pairs; they must be the same doubles as
    // percentileLinear() over the values themselves, with duplicates, at every quantile.
    void percentileOfCountsEqualsPercentileLinear()
    {
        std::mt19937 rng(7);
        for (int round = 0; round < 200; ++round) {
            std::map<double, qint64> counts;
            std::vector<double> values;
            const int distinct = 1 + round % 23;
            for (int i = 0; i < distinct; ++i) {
                const double v = std::uniform_int_distribution<int>(1, 90000)(rng) / 1000.0;
                const qint64 n = std::uniform_int_distribution<int>(1, 1 + round % 5)(rng);
                counts[v] += n;
                for (qint64 k = 0; k < n; ++k)
                    values.push_back(v);
            }
            const std::vector<std::pair<double, qint64>> sorted(counts.begin(), counts.end());
            for (double q : { 0.0, 0.05, 0.5, 0.95, 1.0 }) {
                std::vector<double> copy = values;
                QCOMPARE(percentileOfCounts(sorted, q), percentileLinear(copy, q));
            }
        }
        QCOMPARE(percentileOfCounts({}, 0.5), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestKpis)
#include "tst_kpis.moc"
