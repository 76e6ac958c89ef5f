#include "runtablemodel.h"

#include "chartseries.h"
#include "displayformat.h"

#include <QDateTime>
#include <QLocale>

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
    const int c = compareColumn(*a, *b, column);
    if (c != 0)
        return c < 0;
    // Ties: newest last, so a descending sort shows the newest first within equal values.
    return compareColumn(*a, *b, Time) < 0;
}

RunSortProxyModel::RunSortProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RunTableModel::SortRole);
    setDynamicSortFilter(true);
}

bool RunSortProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (const auto* model = qobject_cast<const RunTableModel*>(sourceModel()))
        return model->lessThan(left.row(), right.row(), left.column());
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace djp
