#pragma once
// The runs started from this window and their live progress, fed the run engine's RunEvents
// (docs/gui-launch.md).
//
// Threading: GUI thread only (the run engine delivers its events there).
#include "pipeline/runengine.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <memory>
#include <vector>

namespace djp {

// Everything known about one run launched from this window.
struct RunProgress
{
    enum class State
    {
        Starting, // sent to the engine, not planned yet
        Running,
        Finished,
    };
    QString runId;
    QString task;
    QString preset;
    QString runsDir; // where its artifact will be written
    QDateTime startedAt;
    State state = State::Starting;
    QString stage; // current (or last) stage: debate | judge | publish
    QStringList stagesDone;
    bool cancelRequested = false;
    std::shared_ptr<const RunPlan> plan;
    LedgerSnapshot spend;
    std::vector<CallRecord> calls; // in start order; attempt.status "running" while in flight
    std::shared_ptr<const RunOutcome> outcome;

    // "starting", "debate…", "published", "advisory_only", "none", "cancelled", "blocked", "failed"
    QString statusText() const;
    bool simulated() const; // any call was simulated, or the outcome says so
};

class ActiveRunsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Task,
        Status,
        Spent,
        Started,
        ColumnCount
    };
    enum Role
    {
        RunIdRole = Qt::UserRole + 1,
        FinishedRole,
    };

    explicit ActiveRunsModel(QObject* parent = nullptr);

    // A run sent to the engine (appended as the last row).
    void addRun(const QString& runId, const RunRequest& request, const QString& runsDir);
    void markCancelRequested(const QString& runId);
    // Applies one engine event to its run (events for unknown runs are ignored).
    void applyEvent(const RunEvent& event);

    const RunProgress* run(const QString& runId) const;
    const RunProgress* runAt(int row) const;
    int rowOf(const QString& runId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void runChanged(const QString& runId); // stage, spend, plan or outcome changed
    void callAdded(const QString& runId, int callIndex);
    void callChanged(const QString& runId, int callIndex);
    void runFinished(const QString& runId);

private:
    std::vector<std::unique_ptr<RunProgress>> m_runs;
};

} // namespace djp
