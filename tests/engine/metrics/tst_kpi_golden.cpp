// KPI golden test: the hand-written legacy 1.1 fixture folder tests/data/kpi-fixture/ is loaded
// through the real store and scanner; the KPI dump must equal tests/data/golden/kpi-fixture.txt,
// whose numbers were derived by hand from the docs/metrics.md definitions (derivation in docs/metrics.md).
#include "kpidump.h"
#include "metrics/alerts.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "store/runstore.h"
#include "testclock.h"
#include "testpaths.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <numeric>

using namespace djp;

class TestKpiGolden : public QObject
{
    Q_OBJECT
    // Fixtures and the product's time windows share one "now" (faketime may move it).
    test::PinnedClock m_clock;
private slots:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8());
        qputenv("DJP_CONFIG_DIR", m_cache.path().toUtf8());
    }

    void fixtureMatchesGolden_data()
    {
        QTest::addColumn<bool>("useIndex");
        QTest::newRow("no index") << false;
        QTest::newRow("index, cold") << true;
        QTest::newRow("index, warm") << true;
    }
    void fixtureMatchesGolden()
    {
        QFETCH(bool, useIndex);
        const QString dir = djp::test::dataDir() + QStringLiteral("/kpi-fixture");
        LoadOptions options;
        options.runsDir = dir;
        options.useIndex = useIndex;
        options.indexPath = m_cache.filePath(QStringLiteral("index.db"));
        const LoadResult loaded = loadRuns(options);
        QCOMPARE(loaded.records.size(), size_t(10));

        RunFilter all;
        all.lastMs.reset();
        const std::vector<int> idx = filterRuns(loaded.records, all, Clock::nowMs());
        QCOMPARE(idx.size(), loaded.records.size()); // all time includes the run without a timestamp
        const Kpis k = computeKpis(loaded.records, idx);

        QList<QPair<QString, QString>> problems;
        for (const Problem& p : loaded.problems)
            problems << qMakePair(QDir(dir).relativeFilePath(p.path), p.code);
        QString message;
        const bool same = djp::test::compareWithGolden(djp::test::dumpKpis(kpisToOrderedJson(k), problems),
            djp::test::dataDir() + QStringLiteral("/golden/kpi-fixture.txt"), QCoreApplication::applicationDirPath(),
            &message);
        QVERIFY2(same, qPrintable(message));
    }

    void groundedCitationSuccessOnFixture()
    {
        LoadOptions options;
        options.runsDir = djp::test::dataDir() + QStringLiteral("/kpi-fixture");
        options.useIndex = false;
        const LoadResult loaded = loadRuns(options);
        std::vector<int> all(loaded.records.size());
        std::iota(all.begin(), all.end(), 0);
        int grounded = 0;
        // Two grounded runs: 3 citations of 2 required (met), 1 of 3 (unmet).
        QCOMPARE(groundedCitationSuccess(loaded.records, all, &grounded), std::optional<double>(0.5));
        QCOMPARE(grounded, 2);
        // The run without a timestamp never passes a relative window.
        RunFilter years;
        years.lastMs = 100ll * 365 * 24 * 3600 * 1000;
        const qint64 now = QDateTime(QDate(2030, 1, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(filterRuns(loaded.records, years, now).size(), size_t(9));
    }

private:
    QTemporaryDir m_cache;
};

QTEST_GUILESS_MAIN(TestKpiGolden)
#include "tst_kpi_golden.moc"
