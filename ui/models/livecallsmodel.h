#pragma once
// The calls of one run launched from this window, as they start and finish (docs/gui-launch.md).
// Same columns as the inspector's calls table (CallsTableModel defines them); attempts still in
// flight show no usage, latency or cost yet.
//
// Threading: GUI thread only.
#include "models/activerunsmodel.h"
#include "models/callstablemodel.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace djp {

class LiveCallsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using enum CallsTableModel::Column;

    explicit LiveCallsModel(ActiveRunsModel* runs, QObject* parent = nullptr);
    void setRun(const QString& runId); // "" shows nothing
    QString runId() const { return m_runId; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const std::vector<CallRecord>* calls() const;

    QPointer<ActiveRunsModel> m_runs;
    QString m_runId;
    CallRows m_rows; // rows announced to views (calls may grow before the signal arrives)
};

} // namespace djp
