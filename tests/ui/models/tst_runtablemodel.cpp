// RunTableModel, its sort proxy and ProblemsModel under QAbstractItemModelTester (created before
// any data arrives), plus what each role shows.
#include "models/problemsmodel.h"
#include "models/runtablemodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QtTest>

using namespace djp;

namespace {

RunRecord makeRecord(int i)
{
    RunRecord r;
    r.artifactFile = QStringLiteral("/runs/run-%1.json").arg(i, 3, 10, QLatin1Char('0'));
    r.hasTimestamp = i % 7 != 0;
    r.timestampMs = 1'700'000'000'000 + qint64(i) * 3'600'000;
    r.presetName = i % 2 ? QStringLiteral("quick") : QStringLiteral("deep");
    r.status = i % 3 == 0 ? QStringLiteral("published")
                          : (i % 3 == 1 ? QStringLiteral("advisory_only") : QStringLiteral("none"));
    r.provider = QStringLiteral("openai/gpt-4o");
    r.totalTokens = 1000 + i;
    r.estCost = 0.01 * ((i * 37) % 11);
    r.costComplete = i % 5 != 0;
    r.duration = 1.5 + i;
    r.advisoryReason = r.status == QLatin1String("published") ? QString() : QStringLiteral("reason %1").arg(i % 4);
    r.simulated = i % 4 == 0;
    return r;
}

RecordChunk makeChunk(int from, int count)
{
    auto v = std::make_shared<std::vector<RunRecord>>();
    for (int i = from; i < from + count; ++i)
        v->push_back(makeRecord(i));
    return v;
}

std::vector<int> allIndices(int n)
{
    std::vector<int> v(static_cast<size_t>(n));
    std::iota(v.begin(), v.end(), 0);
    return v;
}

} // namespace

class TestRunTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendResetAndClearUnderTester()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        RunSortProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(RunTableModel::Time, Qt::DescendingOrder);

        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(RunTableModel::ColumnCount));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendRows(makeChunk(0, 40), allIndices(40));
        model.appendRows(makeChunk(40, 30), { 0, 2, 4 }); // only some rows of a chunk pass
        model.appendRows(makeChunk(70, 5), {}); // nothing passes: no signal
        QCOMPARE(inserted.count(), 2); // one update per chunk
        QCOMPARE(model.rowCount(), 43);
        QCOMPARE(proxy.rowCount(), 43);
        QCOMPARE(
            model.index(40, 0).data(RunTableModel::ArtifactPathRole).toString(), QStringLiteral("/runs/run-040.json"));
        QCOMPARE(
            model.index(42, 0).data(RunTableModel::ArtifactPathRole).toString(), QStringLiteral("/runs/run-044.json"));

        // Newest first under the descending time sort; undated runs sort as the oldest.
        const qint64 top = proxy.index(0, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong();
        for (int row = 1; row < proxy.rowCount(); ++row)
            QVERIFY(proxy.index(row, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong() <= top);
        QCOMPARE(proxy.index(proxy.rowCount() - 1, RunTableModel::Time).data().toString(), QStringLiteral("(no time)"));

        proxy.sort(RunTableModel::Cost, Qt::AscendingOrder);
        for (int row = 1; row < proxy.rowCount(); ++row)
            QVERIFY(proxy.index(row - 1, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble()
                <= proxy.index(row, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble());

        const RecordChunk snapshot = makeChunk(0, 100);
        model.setRows(snapshot, { 1, 3, 5, 99 });
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.recordAt(3)->artifactFile, QStringLiteral("/runs/run-099.json"));
        QCOMPARE(model.rowOfPath(QStringLiteral("/runs/run-005.json")), 2);
        QCOMPARE(model.rowOfPath(QStringLiteral("/runs/run-004.json")), -1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(proxy.rowCount(), 0);
    }

    // Sets above the synchronous limit are sorted on a worker: the rows keep their order until it
    // is done, then the model reports the new order (one layoutChanged), a persistent index and
    // the selection follow their run, and only the latest request is applied.
    void largeSortsRunOnAWorker()
    {
        RunTableModel model;
        RunSortProxyModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSynchronousLimit(100); // stands in for the 20,000 rows of the product
        QCOMPARE(proxy.synchronousLimit(), 100);
        const int n = 3000;
        model.setRows(makeChunk(0, n), allIndices(n));
        QCOMPARE(proxy.rowCount(), n);
        QVERIFY(!proxy.isSorting()); // no sort column yet: source order

        const QPersistentModelIndex followed = proxy.index(1234, RunTableModel::Cost);
        const QString followedPath = followed.data(RunTableModel::ArtifactPathRole).toString();
        QItemSelectionModel selection(&proxy);
        selection.select(proxy.index(42, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QString selectedPath = proxy.index(42, 0).data(RunTableModel::ArtifactPathRole).toString();

        QSignalSpy finished(&proxy, &RunSortProxyModel::sortFinished);
        QSignalSpy layout(&proxy, &QAbstractItemModel::layoutChanged);
        proxy.sort(RunTableModel::Tokens, Qt::AscendingOrder); // superseded below
        proxy.sort(RunTableModel::Cost, Qt::DescendingOrder);
        QCOMPARE(proxy.sortColumn(), int(RunTableModel::Cost));
        QCOMPARE(proxy.sortOrder(), Qt::DescendingOrder);
        if (finished.isEmpty())
            QVERIFY(finished.wait(30000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(layout.count(), 1);
        QVERIFY(!proxy.isSorting());

        // The expected order: a stable sort of the source rows with the reverse comparison.
        std::vector<RunRecord> records;
        for (int i = 0; i < n; ++i)
            records.push_back(makeRecord(i));
        std::vector<int> expected = allIndices(n);
        std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
            return RunTableModel::lessThan(records[size_t(b)], records[size_t(a)], RunTableModel::Cost);
        });
        for (int row = 0; row < n; ++row)
            QCOMPARE(proxy.index(row, 0).data(RunTableModel::ArtifactPathRole).toString(),
                records[size_t(expected[size_t(row)])].artifactFile);
        for (int row = 1; row < n; ++row)
            QVERIFY(proxy.index(row - 1, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble()
                >= proxy.index(row, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble());
        QCOMPARE(followed.data(RunTableModel::ArtifactPathRole).toString(), followedPath);
        const QModelIndexList rows = selection.selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().data(RunTableModel::ArtifactPathRole).toString(), selectedPath);

        // New rows arriving (a load in progress) are merged into the complete order at once, without
        // sorting the whole set again: exactly the stable sort's order, ties included (costs repeat).
        finished.clear();
        layout.clear();
        model.appendRows(makeChunk(n, 500), allIndices(500));
        model.appendChunks({ { makeChunk(n + 500, 300), allIndices(300) }, { makeChunk(n + 800, 20), { 0, 5, 7 } } });
        QCOMPARE(proxy.rowCount(), n + 803);
        QVERIFY(!proxy.isSorting());
        QCOMPARE(finished.count(), 0); // no worker was needed
        QCOMPARE(layout.count(), 2); // one per insert
        for (int i = n; i < n + 800; ++i)
            records.push_back(makeRecord(i));
        for (int i : { 0, 5, 7 })
            records.push_back(makeRecord(n + 800 + i));
        expected = allIndices(int(records.size()));
        std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
            return RunTableModel::lessThan(records[size_t(b)], records[size_t(a)], RunTableModel::Cost);
        });
        for (int row = 0; row < proxy.rowCount(); ++row)
            QCOMPARE(proxy.index(row, 0).data(RunTableModel::ArtifactPathRole).toString(),
                records[size_t(expected[size_t(row)])].artifactFile);
        QCOMPARE(followed.data(RunTableModel::ArtifactPathRole).toString(), followedPath);
        QCOMPARE(selection.selectedRows().size(), 1);
        QCOMPARE(selection.selectedRows().first().data(RunTableModel::ArtifactPathRole).toString(), selectedPath);

        // A new filtered set replaces the rows: sorted again on the worker.
        finished.clear();
        model.setRows(makeChunk(0, 2000), allIndices(2000));
        QVERIFY(proxy.isSorting());
        QVERIFY(finished.wait(30000));
        for (int row = 1; row < proxy.rowCount(); ++row)
            QVERIFY(proxy.index(row - 1, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble()
                >= proxy.index(row, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble());
    }

    void rolesShowWhatTheUserNeeds()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto v = std::make_shared<std::vector<RunRecord>>();
        RunRecord complete = makeRecord(3); // published, cost complete
        complete.estCost = 0.0123;
        RunRecord incomplete = makeRecord(5); // cost incomplete
        v->push_back(complete);
        v->push_back(incomplete);
        model.setRows(v, { 0, 1 });

        QCOMPARE(model.index(0, RunTableModel::Status).data().toString(), QStringLiteral("Published"));
        QCOMPARE(model.index(0, RunTableModel::Status).data(RunTableModel::StatusRole).toString(),
            QStringLiteral("published"));
        QCOMPARE(model.index(0, RunTableModel::Status).data(Qt::DecorationRole).value<QColor>(), QColor(0x28a745));
        QCOMPARE(model.index(1, RunTableModel::Status).data(Qt::DecorationRole).value<QColor>(), QColor(0xdc3545));
        QVERIFY(model.index(0, RunTableModel::Cost).data().toString().contains(QStringLiteral("0.0123")));
        QCOMPARE(model.index(1, RunTableModel::Cost).data().toString(), QStringLiteral("unknown"));
        QVERIFY(model.index(1, RunTableModel::Cost).data(Qt::ToolTipRole).toString().contains(QStringLiteral("price")));
        // Time is shown in local time.
        const QString local
            = QDateTime::fromMSecsSinceEpoch(complete.timestampMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        QCOMPARE(model.index(0, RunTableModel::Time).data().toString(), local);
        QCOMPARE(model.index(0, RunTableModel::Time).data(RunTableModel::SortRole).toLongLong(), complete.timestampMs);
        QCOMPARE(
            model.index(0, RunTableModel::Tokens).data(RunTableModel::SortRole).toLongLong(), complete.totalTokens);
        QCOMPARE(model.index(1, RunTableModel::Reason).data().toString(), incomplete.advisoryReason);
        QVERIFY(model.index(0, RunTableModel::Preset).data(Qt::ToolTipRole).toString().contains(complete.artifactFile));
        QCOMPARE(model.headerData(RunTableModel::Simulated, Qt::Horizontal).toString(), QStringLiteral("Simulated"));
    }

    void problemsModel()
    {
        ProblemsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBaseDir(QStringLiteral("/runs"));
        model.appendProblems(
            { { QStringLiteral("/runs/a/bad.json"), QStringLiteral("not_json"), QStringLiteral("offset 12") } });
        model.appendProblems({});
        model.appendProblems({ { QStringLiteral("/elsewhere/x.json"), QStringLiteral("empty"), QString() },
            { QStringLiteral("/runs/new.json"), QStringLiteral("mystery_code"), QStringLiteral("?") } });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, ProblemsModel::File).data().toString(), QStringLiteral("a/bad.json"));
        QCOMPARE(model.index(1, ProblemsModel::File).data().toString(), QStringLiteral("/elsewhere/x.json"));
        QCOMPARE(model.index(0, ProblemsModel::Code).data().toString(), QStringLiteral("Not valid JSON"));
        QCOMPARE(model.index(2, ProblemsModel::Code).data().toString(), QStringLiteral("mystery_code"));
        QCOMPARE(model.index(0, ProblemsModel::Detail).data().toString(), QStringLiteral("offset 12"));
        QCOMPARE(model.index(0, ProblemsModel::File).data(ProblemsModel::PathRole).toString(),
            QStringLiteral("/runs/a/bad.json"));
        model.setProblems({ { QStringLiteral("/runs/only.json"), QStringLiteral("too_deep"), QString() } });
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestRunTableModel)
#include "tst_runtablemodel.moc"
