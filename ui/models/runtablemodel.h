#pragma once
// The Runs table: one row per run of the filtered set. The model holds plain pointers into
// immutable record vectors it keeps alive (shared_ptr<const vector<RunRecord>>), so chunks arriving
// during a load and the consolidated snapshot afterwards are shown without copying records.
// Which rows exist is decided by the engine's filter (djp::filterRuns, run in RunSession); this
// model never filters. Sorting is done by RunSortProxyModel through raw record fields.
//
// Threading: GUI thread only. The vectors it points into are never mutated by anyone.
#include "artifact/runrecord.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
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

Q_SIGNALS:
    void moreRowsWanted(int loadedRows);

private:
    qint64 m_available = -1;
    bool m_fetching = false;
    std::vector<RecordChunk> m_keepAlive;
    std::vector<const RunRecord*> m_rows;
};

// Sorting only (filtering is the engine's). Sorts 100k rows by raw fields in tens of milliseconds.
class RunSortProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit RunSortProxyModel(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace djp
