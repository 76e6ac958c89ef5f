#pragma once
// The run engine (docs/pipeline.md): executes Debate -> Judge -> Publish runs off the caller's thread and
// reports progress as events. Several runs may be in flight at once; each is planned (and gated)
// before any call, enforces its spend cap by worst-case reservation before every attempt, degrades
// instead of failing when money or time runs out, and ends with an artifact written atomically.
//
// Threading: a RunEngine lives on the thread that created it (the GUI thread, or the CLI's main
// thread). It owns one worker thread that hosts the ProviderHub and every run; start()/cancel() and
// the destructor may be called from the owner thread only, and runEvent is delivered on the owner
// thread (queued). One engine serves any number of runs folders: each request names its own.
#include "budget/spendledger.h"
#include "pipeline/runartifact.h"
#include "pipeline/runplanner.h"
#include "providers/providerhub.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

class QThread;

namespace djp {

class RunWorker;

struct EngineOptions
{
    // Where artifacts are written (absolute), unless the request names its own folder.
    QString runsDir;
    HubOptions hub;                      // providers, retry, breaker, simulator
    std::optional<PricingTable> pricing; // default: PricingTable::load()
};

struct RunOutcome
{
    QString runId;
    bool blocked = false;         // the budget gate blocked the run: no call, no artifact
    bool cancelled = false;
    QStringList errors;           // planning errors (bad options) or a failed artifact write
    QString status;               // published | advisory_only | none ("" when blocked/errors)
    QString provider;             // published/advisory label
    QString reason;
    QString note;
    QString judgeMethod;          // llm | heuristic
    QString artifactPath;         // empty when no artifact was written
    double measuredCostUsd = 0.0;
    double heldUsd = 0.0;         // reservations kept for failures that may have been billed
    bool capExceeded = false;     // a provider reported more than reserved and spend passed the cap
    double overrunUsd = 0.0;
    qint64 measuredTokens = 0;
    bool costComplete = true;
    bool simulated = false;
    bool stoppedEarly = false;
    QString stopReason;
    qint64 durationMs = 0;
    double engineMs = 0.0;        // from start to the artifact write, excluding it (bench figure)
    int calls = 0;
    std::shared_ptr<const RunPlan> plan; // null when planning failed
};

struct RunEvent
{
    enum class Kind {
        Planned,       // plan set (projection, gate, roster); blocked runs then finish at once
        StageStarted,  // stage: "debate" | "judge" | "publish"
        StageFinished,
        CallStarted,   // call.attempt: stage, label, attempt (status "running")
        CallFinished,  // call: the attempt as recorded, with its cost
        SpendChanged,  // spend: the run's ledger
        Finished       // outcome set
    };
    Kind kind = Kind::Planned;
    QString runId;
    QString stage;
    CallRecord call;
    LedgerSnapshot spend;
    std::shared_ptr<const RunPlan> plan;
    std::shared_ptr<const RunOutcome> outcome;
};

class RunEngine : public QObject
{
    Q_OBJECT
public:
    explicit RunEngine(EngineOptions options, QObject* parent = nullptr);
    // Cancels every run in flight and joins the worker thread once they have finished: a run that had
    // made a call writes its artifact (status "none", reason "cancelled"), one that had not writes
    // none, as with cancel(). Their Finished events are not delivered: the engine is gone by then.
    ~RunEngine() override;

    // Starts a run and returns its id at once; everything else arrives as runEvent.
    QString start(const RunRequest& request);
    void cancel(const QString& runId);
    void cancelAll();
    // Runs started and not yet Finished (as seen on the owner thread): the one count of runs in flight.
    int activeRuns() const { return m_active; }
    QString runsDir() const { return m_options.runsDir; }

Q_SIGNALS:
    void runEvent(const djp::RunEvent& event);
    // Provider circuit breakers, for the GUI's provider status display.
    void breakerStateChanged(const djp::BreakerState& state);

private:
    void onWorkerEvent(const djp::RunEvent& event);

    EngineOptions m_options;
    QThread* m_thread = nullptr;
    RunWorker* m_worker = nullptr;
    int m_active = 0;
};

// Runs one request to completion on the calling thread's event loop (CLI, tests, bench): spins a
// local QEventLoop until the Finished event. `onEvent` sees every event.
RunOutcome runToCompletion(RunEngine& engine, const RunRequest& request,
    const std::function<void(const RunEvent&)>& onEvent = {});

} // namespace djp

Q_DECLARE_METATYPE(djp::RunEvent)
