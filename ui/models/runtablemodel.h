#pragma once
// The Runs table: one row per run of the filtered set. The model holds plain pointers into
// immutable record vectors it keeps alive (shared_ptr<const vector<RunRecord>>), so chunks arriving
// during a load and the consolidated snapshot afterwards are shown without copying records.
// Which rows exist is decided by the engine's filter (djp::filterRuns, run in RunSession); this
// model never filters. Sorting is done by RunSortProxyModel through raw record fields.
//
// Threading: GUI thread only. The vectors it points into are never mutated by anyone, so a
// snapshot of the row pointers (with the vectors kept alive) may be read on any thread.
#include "artifact/runrecord.h"

#include <QAbstractProxyModel>
#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <memory>
#include <vector>

namespace djp {

using RecordChunk = std::shared_ptr<const std::vector<RunRecord>>;

class RunTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Preset,
        Status,
        Provider,
        Tokens,
        Cost,
        Duration,
        Reason,
        Simulated,
        Task, // appended so saved column indices keep their meaning; the view shows it after Time
        TraceName,
        ColumnCount
    };
    // Decimals of the Cost column: every row the same, so the column reads as one scale.
    static constexpr int kCostDecimals = 4;

    enum Role
    {
        SortRole = Qt::UserRole + 1, // raw value (qint64 ms, double, QString, bool) for sorting
        ArtifactPathRole, // absolute path of the run's artifact
        StatusRole, // raw status string
    };

    explicit RunTableModel(QObject* parent = nullptr);
    ~RunTableModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Replaces all rows with records[indices[i]] (one model reset). Everything is loaded again
    // (availableRows() = -1) until setAvailableRows() says otherwise.
    void setRows(const RecordChunk& records, const std::vector<int>& indices);
    // Appends chunk[indices[i]] (one beginInsertRows for the whole chunk).
    void appendRows(const RecordChunk& chunk, const std::vector<int>& indices);
    // Appends several chunks' rows in order, with one beginInsertRows for all of them.
    void appendChunks(const std::vector<std::pair<RecordChunk, std::vector<int>>>& chunks);
    void clear();

    // A paged source (the team history): the filtered set has `total` rows of which rowCount() are
    // loaded. The view's fetchMore() then asks for the next page through moreRowsWanted(); the session
    // fetches it off the GUI thread and hands it to appendRows() (or pageFailed()). -1: all loaded.
    void setAvailableRows(qint64 total);
    qint64 availableRows() const { return m_available; }
    bool isFetching() const { return m_fetching; }
    void pageFailed() { m_fetching = false; }

    const RunRecord* recordAt(int row) const;
    int rowOfPath(const QString& artifactPath) const; // -1 if not shown
    // Source-row order for the sort proxy: compares raw fields, no QVariant, no formatting.
    bool lessThan(int leftRow, int rightRow, int column) const;
    // The same order on records (ties: older first); callable from any thread.
    static bool lessThan(const RunRecord& left, const RunRecord& right, int column);

    // The current rows as plain pointers plus what keeps them alive, for sorting on a worker.
    struct Snapshot
    {
        std::vector<RecordChunk> keepAlive;
        std::vector<const RunRecord*> rows;
    };
    Snapshot snapshot() const { return { m_keepAlive, m_rows }; }

Q_SIGNALS:
    void moreRowsWanted(int loadedRows);

private:
    qint64 m_available = -1;
    bool m_fetching = false;
    std::vector<RecordChunk> m_keepAlive;
    std::vector<const RunRecord*> m_rows;
};

// Sorting only (filtering is the engine's), over a RunTableModel. Small sets (up to
// synchronousLimit() rows) are sorted at once; larger ones on a worker thread from a snapshot of
// the row pointers, so the GUI thread never spends 100k-row sorts: until the worker is done the rows
// keep their previous order (new rows at the end), then the new order is applied in one
// layoutChanged (persistent indexes and the selection follow their rows) and sortFinished() is
// emitted. Appended rows are merged into a complete order at once (no full sort), whatever the size. The latest request
// wins: a sort or a change of the source while a worker runs makes its result stale; it is dropped and one more sort is
// started. Same order as a stable sort with RunTableModel::lessThan (descending: the reverse comparison), like
// QSortFilterProxyModel.
//
// Threading: GUI thread only; the workers see only the immutable snapshot.
class RunSortProxyModel : public QAbstractProxyModel
{
    Q_OBJECT
public:
    explicit RunSortProxyModel(QObject* parent = nullptr);
    ~RunSortProxyModel() override;

    void setSourceModel(QAbstractItemModel* source) override; // a RunTableModel
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QModelIndex sibling(int row, int column, const QModelIndex& idx) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    int sortColumn() const { return m_column; }
    Qt::SortOrder sortOrder() const { return m_order; }
    // True while a worker computes an order that has not been applied yet.
    bool isSorting() const { return m_running || m_pending; }
    void setSynchronousLimit(int rows) { m_syncLimit = rows; }
    int synchronousLimit() const { return m_syncLimit; }

Q_SIGNALS:
    // A worker's order was applied (after layoutChanged).
    void sortFinished();

private:
    void resort(); // sorts now when small, else starts (or queues) a worker
    void placeInsertedRows(int count); // the last `count` rows were just appended
    void startWorker();
    void applyOrder(std::vector<int> order);
    bool rebuildIndexFromOrder();

    RunTableModel* m_source = nullptr;
    std::vector<int> m_proxyToSource;
    std::vector<int> m_sourceToProxy;
    int m_column = -1; // -1: source order
    Qt::SortOrder m_order = Qt::AscendingOrder;
    int m_syncLimit = 20000;
    quint64 m_generation = 0; // bumped by every change that makes a running worker's result stale
    bool m_running = false; // a worker is computing
    bool m_pending = false; // another sort is wanted once the running worker returns
    QFutureWatcher<std::pair<quint64, std::vector<int>>> m_watcher;
    std::vector<QMetaObject::Connection> m_sourceConnections;
};

} // namespace djp
