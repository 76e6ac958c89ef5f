#include "models/livecallsmodel.h"

namespace djp {

LiveCallsModel::LiveCallsModel(ActiveRunsModel* runs, QObject* parent)
    : QAbstractTableModel(parent)
    , m_runs(runs)
{
    connect(runs, &ActiveRunsModel::callAdded, this, [this](const QString& runId, int i) {
        const auto* c = calls();
        const int announced = static_cast<int>(m_rows.size());
        if (runId != m_runId || !c || i < announced || i >= static_cast<int>(c->size()))
            return;
        beginInsertRows({}, announced, i);
        for (int k = announced; k <= i; ++k)
            m_rows.push_back(callRowFromRecord((*c)[static_cast<size_t>(k)]));
        endInsertRows();
    });
    connect(runs, &ActiveRunsModel::callChanged, this, [this](const QString& runId, int i) {
        const auto* c = calls();
        if (runId != m_runId || !c || i >= static_cast<int>(m_rows.size()) || i >= static_cast<int>(c->size()))
            return;
        m_rows[static_cast<size_t>(i)] = callRowFromRecord((*c)[static_cast<size_t>(i)]);
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    });
}

void LiveCallsModel::setRun(const QString& runId)
{
    beginResetModel();
    m_runId = runId;
    m_rows.clear();
    if (const auto* c = calls()) {
        for (const CallRecord& record : *c)
            m_rows.push_back(callRowFromRecord(record));
    }
    endResetModel();
}

const std::vector<CallRecord>* LiveCallsModel::calls() const
{
    const RunProgress* r = m_runs && !m_runId.isEmpty() ? m_runs->run(m_runId) : nullptr;
    return r ? &r->calls : nullptr;
}

int LiveCallsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LiveCallsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveCallsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return CallsTableModel::cellData(m_rows[static_cast<size_t>(index.row())], index.column(), role);
}

QVariant LiveCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return orientation == Qt::Horizontal ? CallsTableModel::columnTitle(section, role) : QVariant();
}

} // namespace djp
