// The Runs page with a set large enough to be sorted on a worker: a click on a column header
// returns at once, the rows take the new order when the worker is done, and the selected run stays
// selected and in view across a new filtered set (docs/gui.md, "Data flow and threads").
#include "models/runtablemodel.h"
#include "widgets/runspage.h"

#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace djp;

namespace {

RecordChunk makeRuns(int n)
{
    auto v = std::make_shared<std::vector<RunRecord>>();
    for (int i = 0; i < n; ++i) {
        RunRecord r;
        r.artifactFile = QStringLiteral("/runs/run-%1.json").arg(i, 5, 10, QLatin1Char('0'));
        r.hasTimestamp = true;
        r.timestampMs = 1'700'000'000'000 + qint64(i) * 60'000; // oldest first, as the session hands them
        r.estCost = 0.001 * ((i * 7919) % 1000);
        r.totalTokens = 100 + (i * 31) % 977;
        v->push_back(r);
    }
    return v;
}

std::vector<int> all(int n)
{
    std::vector<int> v(size_t(n), 0);
    for (int i = 0; i < n; ++i)
        v[size_t(i)] = i;
    return v;
}

} // namespace

class TestRunsPageSort : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headerClickSortsOnAWorkerAndSelectionStays()
    {
        RunTableModel model;
        RunsPage page(&model);
        page.resize(900, 400);
        page.show();
        RunSortProxyModel* proxy = page.proxy();
        proxy->setSynchronousLimit(50); // stands in for 20,000 rows
        const int n = 4000;
        QSignalSpy finished(proxy, &RunSortProxyModel::sortFinished);
        model.setRows(makeRuns(n), all(n));
        if (proxy->isSorting())
            QVERIFY(finished.wait(30000));
        // The page's default order: newest first.
        QCOMPARE(page.view()->model()->index(0, 0).data(RunTableModel::ArtifactPathRole).toString(),
            QStringLiteral("/runs/run-03999.json"));

        const QString chosen = QStringLiteral("/runs/run-01234.json");
        QVERIFY(page.selectPath(chosen));

        // A click on the Cost header: the view asks the proxy to sort, which hands the work to a worker.
        finished.clear();
        page.view()->horizontalHeader()->setSortIndicator(RunTableModel::Cost, Qt::AscendingOrder);
        QCOMPARE(proxy->sortColumn(), int(RunTableModel::Cost));
        if (finished.isEmpty())
            QVERIFY(finished.wait(30000));
        QAbstractItemModel* shown = page.view()->model();
        for (int row = 1; row < n; ++row)
            QVERIFY(shown->index(row - 1, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble()
                <= shown->index(row, RunTableModel::Cost).data(RunTableModel::SortRole).toDouble());
        QCOMPARE(page.currentPath(), chosen);

        // A new filtered set (a reset) with the chosen run in it: still selected, and in view once the
        // worker's order is applied.
        finished.clear();
        page.view()->scrollToTop();
        model.setRows(makeRuns(n), all(n));
        QVERIFY(proxy->isSorting());
        QVERIFY(finished.wait(30000));
        QCOMPARE(page.currentPath(), chosen);
        const QRect cell = page.view()->visualRect(page.view()->currentIndex());
        QVERIFY(page.view()->viewport()->rect().intersects(cell));
    }
};

QTEST_MAIN(TestRunsPageSort)
#include "tst_runspagesort.moc"
