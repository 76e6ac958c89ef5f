#include "models/activerunsmodel.h"

#include "core/clock.h"
#include "display/displayformat.h"
#include "pricing/money.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <algorithm>

namespace djp {

QString RunProgress::statusText() const
{
    switch (state) {
    case State::Starting:
        return QObject::tr("starting");
    case State::Running:
        if (cancelRequested)
            return QObject::tr("cancelling…");
        return stage.isEmpty() ? QObject::tr("planning") : stage + QStringLiteral("…");
    case State::Finished:
        break;
    }
    if (!outcome)
        return QObject::tr("finished");
    if (outcome->blocked)
        return QObject::tr("blocked");
    if (outcome->cancelled)
        return QObject::tr("cancelled");
    if (outcome->status.isEmpty())
        return QObject::tr("failed");
    return outcome->status;
}

bool RunProgress::simulated() const
{
    if (outcome && outcome->simulated)
        return true;
    return std::any_of(calls.begin(), calls.end(), [](const CallRecord& c) { return c.attempt.simulated; });
}

ActiveRunsModel::ActiveRunsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ActiveRunsModel::addRun(const QString& runId, const RunRequest& request, const QString& runsDir)
{
    auto run = std::make_unique<RunProgress>();
    run->runId = runId;
    run->task = request.task.simplified();
    run->preset = request.preset.value_or(rundefaults::kPresetName);
    run->runsDir = runsDir;
    run->startedAt = Clock::nowLocal();
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_runs.push_back(std::move(run));
    endInsertRows();
}

int ActiveRunsModel::rowOf(const QString& runId) const
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i]->runId == runId)
            return static_cast<int>(i);
    return -1;
}

const RunProgress* ActiveRunsModel::run(const QString& runId) const
{
    const int row = rowOf(runId);
    return row < 0 ? nullptr : m_runs[static_cast<size_t>(row)].get();
}

const RunProgress* ActiveRunsModel::runAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_runs[static_cast<size_t>(row)].get() : nullptr;
}

void ActiveRunsModel::markCancelRequested(const QString& runId)
{
    const int row = rowOf(runId);
    if (row < 0)
        return;
    RunProgress& r = *m_runs[static_cast<size_t>(row)];
    if (r.state == RunProgress::State::Finished)
        return;
    r.cancelRequested = true;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT runChanged(runId);
}

void ActiveRunsModel::applyEvent(const RunEvent& e)
{
    const int row = rowOf(e.runId);
    if (row < 0)
        return;
    RunProgress& r = *m_runs[static_cast<size_t>(row)];
    switch (e.kind) {
    case RunEvent::Kind::Planned:
        r.plan = e.plan;
        r.state = RunProgress::State::Running;
        break;
    case RunEvent::Kind::StageStarted:
        r.state = RunProgress::State::Running;
        r.stage = e.stage;
        break;
    case RunEvent::Kind::StageFinished:
        if (!r.stagesDone.contains(e.stage))
            r.stagesDone << e.stage;
        break;
    case RunEvent::Kind::CallStarted:
        r.calls.push_back(e.call);
        Q_EMIT callAdded(r.runId, static_cast<int>(r.calls.size()) - 1);
        break;
    case RunEvent::Kind::CallFinished: {
        // The attempt that started with the same stage, label and attempt number, still running.
        const CallAttempt& a = e.call.attempt;
        auto it = std::find_if(r.calls.begin(), r.calls.end(), [&](const CallRecord& c) {
            return c.attempt.hasStatus(CallStatus::Running) && c.attempt.stage == a.stage && c.attempt.label == a.label
                && c.attempt.attempt == a.attempt;
        });
        if (it != r.calls.end()) {
            *it = e.call;
            Q_EMIT callChanged(r.runId, static_cast<int>(it - r.calls.begin()));
        } else {
            r.calls.push_back(e.call);
            Q_EMIT callAdded(r.runId, static_cast<int>(r.calls.size()) - 1);
        }
        break;
    }
    case RunEvent::Kind::SpendChanged:
        r.spend = e.spend;
        break;
    case RunEvent::Kind::Finished:
        r.outcome = e.outcome;
        r.state = RunProgress::State::Finished;
        // The engine reports no StageFinished for publish: writing the artifact is its end.
        if (r.stage == QLatin1String("publish") && e.outcome && !e.outcome->artifactPath.isEmpty()
            && !r.stagesDone.contains(r.stage))
            r.stagesDone << r.stage;
        if (!r.plan && e.outcome)
            r.plan = e.outcome->plan;
        break;
    }
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT runChanged(r.runId);
    if (e.kind == RunEvent::Kind::Finished)
        Q_EMIT runFinished(r.runId);
}

int ActiveRunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int ActiveRunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActiveRunsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunProgress& r = *m_runs[static_cast<size_t>(index.row())];
    if (role == RunIdRole)
        return r.runId;
    if (role == FinishedRole)
        return r.state == RunProgress::State::Finished;
    const double spent = r.outcome ? r.outcome->measuredCostUsd : r.spend.spentUsd;
    switch (index.column()) {
    case Task:
        if (role == Qt::DisplayRole)
            return r.task;
        if (role == Qt::ToolTipRole)
            return plainTextToolTip(tr("%1\n\nRun %2, preset %3").arg(r.task, r.runId, r.preset));
        break;
    case Status:
        if (role == Qt::DisplayRole)
            return r.simulated() ? tr("%1 · simulated").arg(r.statusText()) : r.statusText();
        if (role == Qt::ToolTipRole && r.simulated())
            return tr("Served by the simulated provider: answers, tokens and cost are not real");
        break;
    case Spent:
        if (role == Qt::DisplayRole)
            return formatUsd(spent);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Started:
        if (role == Qt::DisplayRole)
            return QLocale().toString(r.startedAt.time(), QLocale::ShortFormat);
        if (role == Qt::ToolTipRole)
            return QLocale().toString(r.startedAt, QLocale::LongFormat);
        break;
    }
    return {};
}

QVariant ActiveRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Task:
        return tr("Task");
    case Status:
        return tr("Status");
    case Spent:
        return tr("Spent");
    case Started:
        return tr("Started");
    }
    return {};
}

} // namespace djp
