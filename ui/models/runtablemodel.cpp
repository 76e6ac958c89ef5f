#include "models/runtablemodel.h"

#include "display/chartseries.h"
#include "display/displayformat.h"
#include "display/vocabularytext.h"

#include <QDateTime>
#include <QLocale>
#include <QtConcurrent>

#include <algorithm>

namespace djp {

namespace {

QString formatLocalTime(const RunRecord& r)
{
    if (!r.hasTimestamp)
        return QString();
    return QDateTime::fromMSecsSinceEpoch(r.timestampMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// Tasks are often multi-line: one line in a cell, the whole text in the tooltip.
QString oneLine(const QString& text)
{
    QString s = text.left(400);
    s.replace(u'\n', u' ');
    s.replace(u'\r', u' ');
    s.replace(u'\t', u' ');
    return s;
}

template <typename T> int threeWay(const T& a, const T& b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

int compareColumn(const RunRecord& a, const RunRecord& b, int column)
{
    switch (column) {
    case RunTableModel::Time:
        if (a.hasTimestamp != b.hasTimestamp)
            return a.hasTimestamp ? 1 : -1; // undated runs sort as the oldest
        return threeWay(a.timestampMs, b.timestampMs);
    case RunTableModel::Preset:
        return a.presetName.compare(b.presetName, Qt::CaseInsensitive);
    case RunTableModel::Status:
        return a.status.compare(b.status);
    case RunTableModel::Provider:
        return a.provider.compare(b.provider, Qt::CaseInsensitive);
    case RunTableModel::Tokens:
        return threeWay(a.totalTokens, b.totalTokens);
    case RunTableModel::Cost:
        return threeWay(a.estCost, b.estCost);
    case RunTableModel::Duration:
        return threeWay(a.duration, b.duration);
    case RunTableModel::Reason:
        return a.advisoryReason.compare(b.advisoryReason, Qt::CaseInsensitive);
    case RunTableModel::Simulated:
        return threeWay(a.simulated, b.simulated);
    case RunTableModel::Task:
        return a.task.compare(b.task, Qt::CaseInsensitive);
    case RunTableModel::TraceName:
        return a.traceName.compare(b.traceName, Qt::CaseInsensitive);
    }
    return 0;
}

} // namespace

// Source rows in display order: a stable sort of the source order, as QSortFilterProxyModel does
// (descending compares the other way round, so ties keep their source order). Any thread.
static std::vector<int> computeOrder(const RunTableModel::Snapshot& snap, int column, Qt::SortOrder order)
{
    std::vector<int> rows(snap.rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i] = int(i);
    if (column < 0)
        return rows;
    const auto& r = snap.rows;
    if (order == Qt::AscendingOrder)
        std::stable_sort(rows.begin(), rows.end(),
            [&](int a, int b) { return RunTableModel::lessThan(*r[size_t(a)], *r[size_t(b)], column); });
    else
        std::stable_sort(rows.begin(), rows.end(),
            [&](int a, int b) { return RunTableModel::lessThan(*r[size_t(b)], *r[size_t(a)], column); });
    return rows;
}

RunTableModel::RunTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

RunTableModel::~RunTableModel() = default;

int RunTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const RunRecord* RunTableModel::recordAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return m_rows[static_cast<size_t>(row)];
}

int RunTableModel::rowOfPath(const QString& artifactPath) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i]->artifactFile == artifactPath)
            return static_cast<int>(i);
    return -1;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& r = *m_rows[static_cast<size_t>(index.row())];
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Time:
            return r.hasTimestamp ? formatLocalTime(r) : tr("(no time)");
        case Preset:
            return r.presetName;
        case Status:
            return statusDisplayName(r.status);
        case Provider:
            return r.provider;
        case Tokens:
            return formatCount(r.totalTokens);
        case Cost:
            return r.costComplete ? formatMoneyFixed(r.estCost, kCostDecimals) : tr("unknown");
        case Duration:
            return r.duration > 0.0 ? formatDurationSeconds(r.duration) : QString();
        case Reason:
            return reasonDisplayText(r.advisoryReason);
        case Simulated:
            return r.simulated ? tr("yes") : QString();
        case Task:
            return oneLine(r.task);
        case TraceName:
            return r.traceName;
        }
        break;
    case SortRole:
        switch (column) {
        case Time:
            return r.hasTimestamp ? QVariant(r.timestampMs) : QVariant(std::numeric_limits<qint64>::min());
        case Preset:
            return r.presetName;
        case Status:
            return r.status;
        case Provider:
            return r.provider;
        case Tokens:
            return r.totalTokens;
        case Cost:
            return r.estCost;
        case Duration:
            return r.duration;
        case Reason:
            return r.advisoryReason;
        case Simulated:
            return r.simulated;
        case Task:
            return r.task;
        case TraceName:
            return r.traceName;
        }
        break;
    case Qt::DecorationRole:
        if (column == Status)
            return statusColor(r.status);
        break;
    case Qt::TextAlignmentRole:
        if (column == Tokens || column == Cost || column == Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole: {
        if (column == Cost && !r.costComplete)
            return tr("Some calls of this run had no price in the pricing table; the priced part is %1.")
                .arg(formatMoney(r.estCost));
        if (column == Cost)
            return tr("%1 (exact: %2 USD)").arg(formatMoney(r.estCost), QString::number(r.estCost, 'g', 12));
        if (column == Reason && !r.advisoryReason.isEmpty())
            return plainTextToolTip(reasonDisplayText(r.advisoryReason) == r.advisoryReason
                    ? r.advisoryReason
                    : tr("%1\nRecorded as: %2").arg(reasonDisplayText(r.advisoryReason), r.advisoryReason));
        if (column == Time && r.hasTimestamp) {
            const QDateTime written
                = QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::OffsetFromUTC, r.utcOffsetSeconds);
            return tr("%1 (local time)\nWritten as %2").arg(formatLocalTime(r), written.toString(Qt::ISODate));
        }
        QString task = r.task;
        if (task.size() > 300)
            task = task.left(300) + QChar(0x2026);
        return plainTextToolTip(tr("%1\n\n%2\nDouble-click or press Enter to inspect.").arg(task, r.artifactFile));
    }
    case ArtifactPathRole:
        return r.artifactFile;
    case StatusRole:
        return r.status;
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Time:
            return tr("Time");
        case Preset:
            return tr("Preset");
        case Status:
            return tr("Status");
        case Provider:
            return tr("Provider");
        case Tokens:
            return tr("Tokens");
        case Cost:
            return tr("Cost");
        case Duration:
            return tr("Duration");
        case Reason:
            return tr("Reason");
        case Simulated:
            return tr("Simulated");
        case Task:
            return tr("Task");
        case TraceName:
            return tr("Trace name");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Time:
            return tr("When the run started, in your local time zone");
        case Provider:
            return tr("Provider of the published answer");
        case Tokens:
            return tr("Input + output tokens over all calls");
        case Cost:
            return tr("Estimated cost in USD; \"unknown\" when some calls had no price");
        case Reason:
            return tr("Why the run was advisory only or published nothing");
        case Simulated:
            return tr("Run made with the simulated (offline) provider");
        case Task:
            return tr("The task the run was given (the search box matches it)");
        case TraceName:
            return tr("The run's trace name (the search box matches it)");
        default:
            break;
        }
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

void RunTableModel::setRows(const RecordChunk& records, const std::vector<int>& indices)
{
    beginResetModel();
    m_keepAlive.clear();
    m_rows.clear();
    m_available = -1;
    m_fetching = false;
    if (records) {
        m_keepAlive.push_back(records);
        m_rows.reserve(indices.size());
        for (int i : indices)
            m_rows.push_back(&(*records)[static_cast<size_t>(i)]);
    }
    endResetModel();
}

void RunTableModel::appendRows(const RecordChunk& chunk, const std::vector<int>& indices)
{
    m_fetching = false;
    if (!chunk || indices.empty())
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(indices.size()) - 1);
    m_keepAlive.push_back(chunk);
    for (int i : indices)
        m_rows.push_back(&(*chunk)[static_cast<size_t>(i)]);
    endInsertRows();
}

void RunTableModel::appendChunks(const std::vector<std::pair<RecordChunk, std::vector<int>>>& chunks)
{
    m_fetching = false;
    size_t added = 0;
    for (const auto& [chunk, indices] : chunks)
        added += chunk ? indices.size() : 0;
    if (added == 0)
        return;
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(added) - 1);
    m_rows.reserve(m_rows.size() + added);
    for (const auto& [chunk, indices] : chunks) {
        if (!chunk || indices.empty())
            continue;
        m_keepAlive.push_back(chunk);
        for (int i : indices)
            m_rows.push_back(&(*chunk)[static_cast<size_t>(i)]);
    }
    endInsertRows();
}

void RunTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_keepAlive.clear();
    m_available = -1;
    m_fetching = false;
    endResetModel();
}

void RunTableModel::setAvailableRows(qint64 total)
{
    m_available = total;
}

bool RunTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_fetching && m_available > static_cast<qint64>(m_rows.size());
}

void RunTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT moreRowsWanted(static_cast<int>(m_rows.size()));
}

bool RunTableModel::lessThan(int leftRow, int rightRow, int column) const
{
    const RunRecord* a = recordAt(leftRow);
    const RunRecord* b = recordAt(rightRow);
    if (!a || !b)
        return false;
    return lessThan(*a, *b, column);
}

bool RunTableModel::lessThan(const RunRecord& a, const RunRecord& b, int column)
{
    const int c = compareColumn(a, b, column);
    if (c != 0)
        return c < 0;
    // Ties: newest last, so a descending sort shows the newest first within equal values.
    return compareColumn(a, b, Time) < 0;
}

// ---- RunSortProxyModel ----------------------------------------------------------------------------

RunSortProxyModel::RunSortProxyModel(QObject* parent)
    : QAbstractProxyModel(parent)
{
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        m_running = false;
        auto [generation, order] = m_watcher.result();
        if (generation == m_generation && !m_pending) {
            applyOrder(std::move(order));
            Q_EMIT sortFinished();
        } else if (m_pending) {
            startWorker(); // the latest request wins; its result is the one applied
        }
    });
}

RunSortProxyModel::~RunSortProxyModel()
{
    // The worker only reads its own snapshot; waiting keeps the pool tidy at exit.
    m_watcher.waitForFinished();
}

void RunSortProxyModel::setSourceModel(QAbstractItemModel* source)
{
    beginResetModel();
    for (const auto& c : m_sourceConnections)
        disconnect(c);
    m_sourceConnections.clear();
    m_source = qobject_cast<RunTableModel*>(source);
    Q_ASSERT(!source || m_source);
    QAbstractProxyModel::setSourceModel(source);
    if (m_source) {
        auto& c = m_sourceConnections;
        c.push_back(connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
            ++m_generation;
            beginResetModel();
        }));
        c.push_back(connect(m_source, &QAbstractItemModel::modelReset, this, [this] {
            // The worker starts before the reset is announced, so that isSorting() is already true
            // for whoever reacts to the reset.
            if (rebuildIndexFromOrder())
                resort();
            endResetModel();
        }));
        c.push_back(connect(m_source, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex&, int first, int last) {
                ++m_generation;
                // The table only appends; the new rows go to the end until the next sort lands.
                Q_ASSERT(first == int(m_proxyToSource.size()));
                beginInsertRows({}, first, last);
            }));
        c.push_back(
            connect(m_source, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
                for (int row = first; row <= last; ++row) {
                    m_sourceToProxy.push_back(int(m_proxyToSource.size()));
                    m_proxyToSource.push_back(row);
                }
                endInsertRows();
                placeInsertedRows(last - first + 1);
            }));
        c.push_back(connect(m_source, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) {
                if (m_proxyToSource.empty())
                    return;
                Q_EMIT dataChanged(
                    index(0, topLeft.column()), index(int(m_proxyToSource.size()) - 1, bottomRight.column()), roles);
            }));
        c.push_back(
            connect(m_source, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged));
    }
    if (rebuildIndexFromOrder())
        resort();
    endResetModel();
}

bool RunSortProxyModel::rebuildIndexFromOrder()
{
    // Inside a reset: a small set gets its sorted order right away; a large one the source order,
    // reversed for a descending sort (the table's rows arrive oldest first, so it shows newest first
    // at once while its real sort runs on a worker). True when that sort is still to be started.
    const int n = m_source ? m_source->rowCount() : 0;
    bool later = false;
    if (m_column >= 0 && n > m_syncLimit) {
        m_proxyToSource.resize(size_t(n));
        for (int i = 0; i < n; ++i)
            m_proxyToSource[size_t(i)] = m_order == Qt::DescendingOrder ? n - 1 - i : i;
        later = true;
    } else if (m_source) {
        m_proxyToSource = computeOrder(m_source->snapshot(), m_column, m_order);
        if (m_running)
            ++m_generation;
        m_pending = false;
    } else {
        m_proxyToSource.clear();
    }
    m_sourceToProxy.assign(size_t(n), 0);
    for (int i = 0; i < n; ++i)
        m_sourceToProxy[size_t(m_proxyToSource[size_t(i)])] = i;
    return later;
}

QModelIndex RunSortProxyModel::mapToSource(const QModelIndex& proxyIndex) const
{
    if (!m_source || !proxyIndex.isValid() || proxyIndex.row() >= int(m_proxyToSource.size()))
        return {};
    return m_source->index(m_proxyToSource[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex RunSortProxyModel::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!m_source || !sourceIndex.isValid() || sourceIndex.row() >= int(m_sourceToProxy.size()))
        return {};
    return index(m_sourceToProxy[size_t(sourceIndex.row())], sourceIndex.column());
}

QModelIndex RunSortProxyModel::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QVariant RunSortProxyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_source)
        return {};
    // Columns are never reordered; rows are numbered in display order.
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1;
    return m_source->headerData(section, orientation, role);
}

QModelIndex RunSortProxyModel::parent(const QModelIndex&) const
{
    return {};
}

QModelIndex RunSortProxyModel::sibling(int row, int column, const QModelIndex&) const
{
    return index(row, column);
}

int RunSortProxyModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_proxyToSource.size());
}

int RunSortProxyModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->columnCount();
}

bool RunSortProxyModel::hasChildren(const QModelIndex& parent) const
{
    return !parent.isValid() && rowCount() > 0;
}

void RunSortProxyModel::sort(int column, Qt::SortOrder order)
{
    m_column = column;
    m_order = order;
    ++m_generation;
    resort();
}

void RunSortProxyModel::resort()
{
    if (!m_source)
        return;
    const int n = int(m_proxyToSource.size());
    if (m_column < 0 || n <= m_syncLimit) {
        if (m_running)
            ++m_generation; // what the worker returns is out of date now
        m_pending = false;
        applyOrder(computeOrder(m_source->snapshot(), m_column, m_order));
        return;
    }
    if (m_running) {
        m_pending = true;
        return;
    }
    startWorker();
}

void RunSortProxyModel::placeInsertedRows(int count)
{
    // While no worker is pending the order is complete, so the new rows (at the end) are merged into
    // it: a binary search per new row and one pass over the order, on this thread. A table that
    // grows chunk by chunk during a load is then never sorted again as a whole (before, every chunk
    // of a large set started one more full sort on a worker, which took a core from the load).
    if (m_column < 0 || m_running || m_pending) {
        resort();
        return;
    }
    const auto less = [this](int a, int b) {
        const RunRecord& ra = *m_source->recordAt(a);
        const RunRecord& rb = *m_source->recordAt(b);
        return m_order == Qt::AscendingOrder ? RunTableModel::lessThan(ra, rb, m_column)
                                             : RunTableModel::lessThan(rb, ra, m_column);
    };
    const auto oldEnd = m_proxyToSource.end() - count;
    std::vector<int> added(oldEnd, m_proxyToSource.end());
    std::stable_sort(added.begin(), added.end(), less);
    std::vector<int> merged;
    merged.reserve(m_proxyToSource.size());
    auto from = m_proxyToSource.begin();
    for (const int row : added) {
        // After the equal rows already there: their source rows are smaller (a stable sort's order).
        const auto at = std::upper_bound(from, oldEnd, row, less);
        merged.insert(merged.end(), from, at);
        merged.push_back(row);
        from = at;
    }
    merged.insert(merged.end(), from, oldEnd);
    applyOrder(std::move(merged));
}

void RunSortProxyModel::startWorker()
{
    m_pending = false;
    m_running = true;
    const quint64 generation = m_generation;
    m_watcher.setFuture(
        QtConcurrent::run([snap = m_source->snapshot(), column = m_column, order = m_order, generation] {
            return std::pair<quint64, std::vector<int>>(generation, computeOrder(snap, column, order));
        }));
}

void RunSortProxyModel::applyOrder(std::vector<int> order)
{
    if (order.size() != m_proxyToSource.size() || order == m_proxyToSource)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> sourceRows;
    sourceRows.reserve(size_t(before.size()));
    for (const QModelIndex& idx : before)
        sourceRows.push_back(m_proxyToSource[size_t(idx.row())]);
    m_proxyToSource = std::move(order);
    for (size_t i = 0; i < m_proxyToSource.size(); ++i)
        m_sourceToProxy[size_t(m_proxyToSource[i])] = int(i);
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype k = 0; k < before.size(); ++k)
        after.push_back(index(m_sourceToProxy[size_t(sourceRows[size_t(k)])], before[k].column()));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace djp
