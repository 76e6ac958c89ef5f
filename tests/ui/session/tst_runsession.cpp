// RunSession: chunked loading into the table, problems, the filtered view computed off-thread
// (latest request wins), cancel, live reload when a file appears, and export of the filtered set.
#include "benchdata/syntheticartifacts.h"
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "models/problemsmodel.h"
#include "runfixtures.h"
#include "session/runsession.h"
#include "store/runstore.h"
#include "testclock.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {
constexpr qint64 kHour = 3600ll * 1000;
constexpr qint64 kDay = 24 * kHour;
} // namespace

class TestRunSession : public QObject
{
    Q_OBJECT
    // Fixtures and the product's time windows share one "now" (faketime may move it).
    test::PinnedClock m_clock;

private:
    QTemporaryDir m_cache;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8());
        qputenv("DJP_CONFIG_DIR", m_cache.filePath(QStringLiteral("config")).toUtf8());
    }

    void loadsInChunksAndComputesTheFilteredView()
    {
        QTemporaryDir runs;
        SyntheticOptions opts;
        opts.count = 3000;
        opts.corruptShare = 0.02;
        opts.endMs = Clock::nowMs() - kHour;
        opts.spanDays = 60;
        const SyntheticResult written = writeSyntheticArtifacts(runs.path(), opts);
        QVERIFY2(written.ok, qPrintable(written.error));

        RunSession session;
        QAbstractItemModelTester tester(session.runsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester problemsTester(
            session.problemsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        LoadOptions lo;
        lo.chunkSize = 256;
        session.setLoadOptions(lo);
        FilterState all;
        all.range = TimeRange::All;
        session.setFilter(all);
        QSignalSpy finished(&session, &RunSession::loadFinished);
        QSignalSpy appended(&session, &RunSession::rowsAppended);
        QSignalSpy inserted(session.runsModel(), &QAbstractItemModel::rowsInserted);
        session.openFolder(runs.path());
        QVERIFY(session.isLoading());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(session.isSettled(), 10000);

        // Rows arrived chunk by chunk, never one update per file.
        QVERIFY(appended.count() >= 2);
        QVERIFY(inserted.count() < 3000 / 10);

        // Everything the engine's synchronous loader finds, in the same order.
        LoadOptions sync;
        sync.runsDir = runs.path();
        sync.useIndex = false;
        const LoadResult expected = loadRuns(sync);
        const auto view = session.view();
        QVERIFY(view);
        QCOMPARE(int(view->records->size()), int(expected.records.size()));
        for (size_t i = 0; i < expected.records.size(); ++i)
            QCOMPARE((*view->records)[i].artifactFile, expected.records[i].artifactFile);
        QCOMPARE(session.totalLoaded(), int(expected.records.size()));
        QCOMPARE(session.problemCount(), int(expected.problems.size()));
        QCOMPARE(session.problemCount(), written.corruptFiles.size() + written.badTimestampFiles.size());
        QCOMPARE(session.runsModel()->rowCount(), int(view->indices.size()));
        QCOMPARE(view->dashboard->totalLoaded, int(expected.records.size()));
        QCOMPARE(view->dashboard->kpis.totalRuns, int(view->indices.size()));
        QVERIFY(!view->facets.presets.isEmpty());
        QVERIFY(view->newestIndex >= 0);

        // Latest request wins: three quick changes, only the last one's result is published.
        FilterState a = all;
        a.range = TimeRange::Last24h;
        FilterState b = all;
        b.status = QStringLiteral("published");
        FilterState c = all;
        c.range = TimeRange::Last30d;
        c.status = QStringLiteral("advisory_only");
        QSignalSpy filtered(&session, &RunSession::filteredChanged);
        session.setFilter(a);
        session.setFilter(b);
        session.setFilter(c);
        QTRY_VERIFY_WITH_TIMEOUT(session.isSettled(), 10000);
        QVERIFY(filtered.count() >= 1);
        const auto last = session.view();
        QCOMPARE(last->filter, c.toRunFilter());
        const std::vector<int> want = filterRuns(*last->records, c.toRunFilter(), last->nowMs);
        QCOMPARE(last->indices, want);
        QCOMPARE(session.runsModel()->rowCount(), int(want.size()));
        QCOMPARE(last->dashboard->kpis.totalRuns, int(want.size()));
        QCOMPARE(last->dashboard->kpis.advisoryRuns, int(want.size()));
        QVERIFY(want.size() > 0 && want.size() < expected.records.size());
        QCOMPARE(last->dashboard->bucketSize, BucketSize::Day); // 30-day window

        // Export writes exactly the filtered set, byte for byte what the engine writes.
        const QString mine = runs.filePath(QStringLiteral("out/mine.csv"));
        QDir().mkpath(runs.filePath(QStringLiteral("out")));
        QString error;
        QVERIFY2(session.exportFiltered(mine, QStringLiteral("csv"), &error), qPrintable(error));
        const QString ref = runs.filePath(QStringLiteral("out/ref.csv"));
        QVERIFY(exportRunsToFile(
            ref, QStringLiteral("csv"), expected.records, filterRuns(expected.records, c.toRunFilter(), last->nowMs)));
        QFile f1(mine), f2(ref);
        QVERIFY(f1.open(QIODevice::ReadOnly) && f2.open(QIODevice::ReadOnly));
        QCOMPARE(f1.readAll(), f2.readAll());
        QVERIFY(
            !session.exportFiltered(runs.filePath(QStringLiteral("no/such/dir/x.csv")), QStringLiteral("csv"), &error));
        QVERIFY(!error.isEmpty());
    }

    // The GUI thread takes the chunks a few milliseconds at a time and appends their rows in batches
    // that grow with the table; a sorted table merges each batch into its order. Whatever the timing,
    // the first chunk shows at once, the table is updated far fewer times than there are chunks, it
    // is sorted after every update, and the end state equals a plain load: rows, order, KPIs.
    void rowsArriveInBatchesAndEndAsAPlainLoad()
    {
        QTemporaryDir runs;
        SyntheticOptions opts;
        opts.count = 3000;
        opts.endMs = Clock::nowMs() - kHour;
        opts.spanDays = 60;
        QVERIFY(writeSyntheticArtifacts(runs.path(), opts).ok);

        RunSession session;
        RunSortProxyModel proxy;
        proxy.setSynchronousLimit(100); // merges into sets far above the limit, as with 100k runs
        proxy.setSourceModel(session.runsModel());
        proxy.sort(RunTableModel::Time, Qt::DescendingOrder);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        LoadOptions lo;
        lo.chunkSize = 32; // about 94 chunks
        lo.useIndex = false;
        session.setLoadOptions(lo);
        FilterState all;
        all.range = TimeRange::All;
        session.setFilter(all);
        QSignalSpy inserted(session.runsModel(), &QAbstractItemModel::rowsInserted);
        int unsortedAfterInsert = 0;
        int checkedInserts = 0;
        connect(session.runsModel(), &QAbstractItemModel::rowsInserted, this, [&] {
            if (proxy.isSorting())
                return; // a worker's order is pending (not while rows only arrive)
            ++checkedInserts;
            for (int row = 1; row < proxy.rowCount(); ++row)
                if (proxy.index(row - 1, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong()
                    < proxy.index(row, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong())
                    ++unsortedAfterInsert;
        });
        QSignalSpy finished(&session, &RunSession::loadFinished);
        session.openFolder(runs.path());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(session.isSettled() && !proxy.isSorting(), 20000);

        LoadOptions sync;
        sync.runsDir = runs.path();
        sync.useIndex = false;
        const LoadResult expected = loadRuns(sync);
        QVERIFY(expected.records.size() > 2900);
        // First chunk alone, then batches of at least 1,024 records, then the rest: never per chunk.
        QVERIFY2(inserted.count() >= 2 && inserted.count() <= 6, qPrintable(QString::number(inserted.count())));
        QVERIFY(checkedInserts >= 2);
        QCOMPARE(unsortedAfterInsert, 0);

        const auto view = session.view();
        QCOMPARE(session.runsModel()->rowCount(), int(expected.records.size()));
        QCOMPARE(proxy.rowCount(), int(expected.records.size()));
        QCOMPARE(int(view->records->size()), int(expected.records.size()));
        for (size_t i = 0; i < expected.records.size(); ++i)
            QCOMPARE((*view->records)[i].artifactFile, expected.records[i].artifactFile);
        // Newest first: the proxy's first row has the plain load's newest time.
        QVERIFY(expected.records.back().hasTimestamp);
        QCOMPARE(proxy.index(0, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong(),
            expected.records.back().timestampMs);
        const Json ours = kpisToJson(view->dashboard->kpis);
        const Json plain = kpisToJson(computeKpis(expected.records));
        for (const char* key : { "total_runs", "published_runs", "advisory_runs", "failed_runs", "avg_cost",
                 "avg_tokens", "avg_duration", "provider_mix", "top_failure_reasons", "total_cost", "cost_by_provider",
                 "p50_duration", "p95_duration", "grounded_rate", "redacted_rate" })
            QVERIFY2(ours[key] == plain[key], key);
        QCOMPARE(view->dashboard->totalLoaded, int(expected.records.size()));
    }

    void cancelMidLoadKeepsWhatWasRead()
    {
        QTemporaryDir runs;
        SyntheticOptions opts;
        opts.count = 5000;
        const SyntheticResult written = writeSyntheticArtifacts(runs.path(), opts);
        QVERIFY2(written.ok, qPrintable(written.error));
        RunSession session;
        LoadOptions lo;
        lo.useIndex = false;
        lo.chunkSize = 64;
        session.setLoadOptions(lo);
        QSignalSpy finished(&session, &RunSession::loadFinished);
        session.openFolder(runs.path());
        QTRY_VERIFY_WITH_TIMEOUT(session.totalLoaded() > 0, 20000);
        session.cancelLoad();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(session.isSettled(), 10000);
        QVERIFY(session.lastLoadStats().cancelled);
        QVERIFY(session.totalLoaded() < 5000);
        QCOMPARE(int(session.view()->records->size()), session.totalLoaded());
    }

    void newArtifactAppearsAndDeletedOneDisappears()
    {
        QTemporaryDir runs;
        const qint64 now = Clock::nowMs();
        test::FixtureRun run;
        run.timestampMs = now - 2 * kHour;
        test::writeFixtureRun(runs.path(), run);
        run.timestampMs = now - 3 * kDay;
        run.legacy = true;
        const QString legacy = test::writeFixtureRun(runs.path(), run);
        test::writeBrokenFiles(runs.path());

        RunSession session;
        session.setWatchDebounceMs(100);
        QSignalSpy finished(&session, &RunSession::loadFinished);
        session.openFolder(runs.path());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(session.isSettled(), 10000);
        QCOMPARE(session.runsModel()->rowCount(), 2); // default filter: last 7 days
        QCOMPARE(session.problemCount(), 3);

        run.legacy = false;
        run.timestampMs = now - kHour;
        const QString added = test::writeFixtureRun(runs.path(), run);
        QTRY_COMPARE_WITH_TIMEOUT(session.runsModel()->rowCount(), 3, 2000);
        QVERIFY(session.runsModel()->rowOfPath(added) >= 0);
        QCOMPARE(session.problemCount(), 3);

        QVERIFY(QFile::remove(legacy));
        QTRY_COMPARE_WITH_TIMEOUT(session.runsModel()->rowCount(), 2, 2000);
        QCOMPARE(session.runsModel()->rowOfPath(legacy), -1);
        QCOMPARE(session.totalLoaded(), 2);
    }
};

QTEST_MAIN(TestRunSession)
#include "tst_runsession.moc"
