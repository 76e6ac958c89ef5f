// The legacy KPIs of a generated folder (legacy 1.1 and 2.x runs mixed, every status and reason) must
// equal what the legacy definitions compute on the same files: legacy_kpis.py flattens each artifact
// with the legacy row builder and computes the KPIs with pandas, the way the legacy dashboard did,
// through the very functions of bench/legacy_loader.py that `djp bench` times beside our load. The hand-derived golden
// test covers 10 files; this one covers hundreds, from several seeds, without anyone's arithmetic in between.
#include "benchdata/syntheticartifacts.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "store/runstore.h"
#include "testclock.h"
#include "testpaths.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace djp;

namespace {
// Debian's interpreter, where python3-pandas lives (scripts/setup-debian.sh installs it).
const QString kPython = QStringLiteral("/usr/bin/python3");

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max({ 1.0, std::abs(a), std::abs(b) });
}
} // namespace

class TestKpiLegacyReference : public QObject
{
    Q_OBJECT
    test::PinnedClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8());
        qputenv("DJP_CONFIG_DIR", m_cache.path().toUtf8());
        QProcess probe;
        probe.start(kPython, { QStringLiteral("-c"), QStringLiteral("import pandas") });
        QVERIFY2(probe.waitForFinished(60000) && probe.exitCode() == 0,
            "the reference needs Debian's python3-pandas: run scripts/setup-debian.sh");
    }

    void kpisEqualTheLegacyDefinitions_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<double>("legacyShare");
        QTest::newRow("mostly 2.x") << quint64(7) << 0.2;
        QTest::newRow("half legacy") << quint64(1234) << 0.5;
        QTest::newRow("all legacy") << quint64(99) << 1.0;
    }
    void kpisEqualTheLegacyDefinitions()
    {
        QFETCH(quint64, seed);
        QFETCH(double, legacyShare);
        QTemporaryDir runs;
        SyntheticOptions o;
        o.count = 400;
        o.seed = seed;
        o.legacyShare = legacyShare;
        o.endMs = m_clock.nowMs();
        o.spanDays = 30;
        const SyntheticResult written = writeSyntheticArtifacts(runs.path(), o);
        QVERIFY2(written.ok, qPrintable(written.error));

        QProcess py;
        py.start(kPython,
            { test::dataDir() + QStringLiteral("/../engine/metrics/legacy_kpis.py"),
                test::dataDir() + QStringLiteral("/../../bench"), runs.path() });
        QVERIFY(py.waitForFinished(120000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const Json ref = Json::parse(py.readAllStandardOutput().toStdString());

        LoadOptions lo;
        lo.runsDir = runs.path();
        lo.useIndex = false;
        const LoadResult loaded = loadRuns(lo);
        // No file is refused; runs whose timestamp is unusable load but are listed as bad_timestamp.
        QStringList problemPaths;
        for (const Problem& p : loaded.problems) {
            QCOMPARE(p.code, QStringLiteral("bad_timestamp"));
            problemPaths << p.path;
        }
        problemPaths.sort();
        QCOMPARE(problemPaths, written.badTimestampFiles);
        const Json ours = kpisToJson(computeKpis(loaded.records));

        QCOMPARE(ours["total_runs"].get<int>(), ref["total_runs"].get<int>());
        QCOMPARE(ours["total_runs"].get<int>(), o.count);
        for (const char* key : { "published_runs", "advisory_runs", "failed_runs" })
            QCOMPARE(ours[key].get<int>(), ref[key].get<int>());
        // A fixture without every outcome would prove little.
        QVERIFY(ref["published_runs"].get<int>() > 0 && ref["advisory_runs"].get<int>() > 0
            && ref["failed_runs"].get<int>() > 0);
        for (const char* key : { "publish_rate", "advisory_rate", "failure_rate", "avg_cost", "avg_tokens",
                 "avg_duration", "citations_compliance_rate", "total_cost", "p50_duration", "p95_duration",
                 "grounded_rate", "redacted_rate" })
            QVERIFY2(near(ours[key].get<double>(), ref[key].get<double>()),
                qPrintable(QStringLiteral("%1: ours %2, legacy %3")
                               .arg(QLatin1String(key))
                               .arg(ours[key].get<double>(), 0, 'g', 17)
                               .arg(ref[key].get<double>(), 0, 'g', 17)));

        QCOMPARE(ours["provider_mix"].size(), ref["provider_mix"].size());
        for (const auto& [provider, share] : ref["provider_mix"].items())
            QVERIFY2(ours["provider_mix"].contains(provider)
                    && near(ours["provider_mix"][provider].get<double>(), share.get<double>()),
                provider.c_str());

        QCOMPARE(ours["cost_by_provider"].size(), ref["cost_by_provider"].size());
        for (const auto& [label, cost] : ref["cost_by_provider"].items())
            QVERIFY2(ours["cost_by_provider"].contains(label)
                    && near(ours["cost_by_provider"][label].get<double>(), cost.get<double>()),
                label.c_str());
        QCOMPARE(ref["top_failure_reasons"].size(), ours["top_failure_reasons"].size());

        // Ours is a valid top 5 of the legacy counts: same counts, nothing left out that counts more.
        const Json& counts = ref["failure_reason_counts"];
        const Json& top = ours["top_failure_reasons"];
        QCOMPARE(int(top.size()), std::min(5, int(counts.size())));
        QVERIFY(top.size() >= 2);
        int smallestShown = INT_MAX;
        for (const auto& [reason, count] : top.items()) {
            QVERIFY2(counts.contains(reason), reason.c_str());
            QCOMPARE(count.get<int>(), counts[reason].get<int>());
            smallestShown = std::min(smallestShown, count.get<int>());
        }
        for (const auto& [reason, count] : counts.items())
            if (!top.contains(reason))
                QVERIFY2(count.get<int>() <= smallestShown, reason.c_str());
    }

private:
    QTemporaryDir m_cache;
};

QTEST_MAIN(TestKpiLegacyReference)
#include "tst_kpi_legacy_reference.moc"
