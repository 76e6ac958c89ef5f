#include "pipeline/runengine.h"

#include "artifact/artifactwriter.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/strings.h"
#include "pipeline/artifactredaction.h"
#include "pipeline/judge.h"
#include "pipeline/publish.h"
#include "pipeline/redaction.h"
#include "pipeline/replyparse.h"
#include "pipeline/runjournal.h"
#include "providers/modelcapabilities.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <deque>
#include <map>

namespace djp {

namespace {
// How long the destructor lets cancelled runs write their artifacts. Cancellation answers at once
// (simulated and HTTP clients alike), so this only bounds a client that ignores it.
constexpr int kDrainLimitMs = 5000;
} // namespace

class RunExecution;

// Hosts the ProviderHub and every run on the engine's worker thread.
class RunWorker : public QObject
{
    Q_OBJECT
public:
    RunWorker(EngineOptions options)
        : m_options(std::move(options))
        , m_pricing(m_options.pricing ? *m_options.pricing : PricingTable::load())
    { }

    // Called on the worker thread.
    void startRun(const QString& runId, const RunRequest& request);
    void cancelRun(const QString& runId);
    void cancelAll();
    // Cancels every run and ends the worker thread's event loop once the last of them has finished
    // (written its artifact); the engine's destructor then joins the thread.
    void drain();
    void emitEvent(const RunEvent& e) { Q_EMIT event(e); }
    void runEnded(const QString& runId);

Q_SIGNALS:
    void event(const djp::RunEvent& e);
    void breakerStateChanged(const djp::BreakerState& state);

private:
    // Offline runs get their own hub (every vendor simulated) so they never change how the other
    // runs in flight are routed.
    ProviderHub& hub(bool offline);

    EngineOptions m_options;
    PricingTable m_pricing;
    ProviderHub* m_hub = nullptr;
    ProviderHub* m_offlineHub = nullptr;
    std::map<QString, RunExecution*> m_runs;
    bool m_draining = false;
};

// One run, from plan to artifact, driven by provider callbacks on the worker thread.
class RunExecution : public QObject
{
public:
    RunExecution(RunWorker* worker, ProviderHub& hub, const PricingTable& pricing, QString runsDir, QString runId,
        RunRequest request)
        : QObject(worker)
        , m_worker(worker)
        , m_hub(hub)
        , m_pricing(pricing)
        , m_runsDir(std::move(runsDir))
        , m_runId(std::move(runId))
        , m_request(std::move(request))
    { }

    void start();
    void cancel();

private:
    // One call's attempts as charged by its hooks (keyed by attempt number), so calls[] records
    // what the ledger booked, estimated buckets included.
    struct CallCharges
    {
        std::optional<ReservationId> reservation;
        AttemptReservation held;
        std::map<int, CallRecord> charged;
    };
    using ChargesPtr = std::shared_ptr<CallCharges>;

    void emitEvent(RunEvent::Kind kind, const QString& stage = {});
    void emitSpend();
    CallHooks hooksFor(const ChargesPtr& charges);
    void appendCalls(const ChatResult& r, const ChargesPtr& charges);
    ChatRequest requestFor(const QString& stage, const QString& label, int maxTokens, double temperature) const;
    void noteOverrun(const CallAttempt& a);
    int callTimeoutMs() const;

    void startDebate();
    void launchDebaters();
    void onDebateDone(int index, const ChatResult& r, const ChargesPtr& charges);
    void onDebateTimeout();
    void maybeFinishDebate();

    void startJudge();
    void runJudgePass(const std::vector<int>& order);
    void onJudgeDone(const std::vector<int>& order, const ChatResult& r, const ChargesPtr& charges);

    void publishAndWrite();
    void writeArtifactAndFinish();
    void maybeFinishCancelled();
    void finish(RunOutcome outcome);

    RunWorker* m_worker;
    ProviderHub& m_hub;
    const PricingTable& m_pricing;
    QString m_runsDir;
    QString m_runId;
    RunRequest m_request;

    std::shared_ptr<RunPlan> m_plan;
    std::unique_ptr<SpendLedger> m_ledger;
    QDateTime m_startedAt;
    QDate m_priceDay; // calls are priced at the rates in force on the run's (UTC) day
    QElapsedTimer m_clock;
    std::vector<CallRecord> m_calls;

    std::vector<std::optional<Draft>> m_drafts; // per debater, in roster order
    std::deque<int> m_pending;
    std::map<int, ProviderHub::CallId> m_inFlight;
    QTimer m_debateTimer;
    bool m_debateClosed = false;
    bool m_debateDone = false;

    JudgeContext m_judgeContext;
    std::vector<JudgePass> m_passes;
    std::optional<ProviderHub::CallId> m_judgeCall;

    PipelineResult m_result;
    QString m_redactionOrigin;
    std::unique_ptr<RunJournal> m_journal; // spend of settled calls, for a process that dies mid-run
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_stoppedEarly = false;
    bool m_capExceededNoted = false;
    QString m_stopReason;
};

// ---------------------------------------------------------------------------------------------
// RunExecution

void RunExecution::emitEvent(RunEvent::Kind kind, const QString& stage)
{
    RunEvent e;
    e.kind = kind;
    e.runId = m_runId;
    e.stage = stage;
    e.plan = m_plan;
    m_worker->emitEvent(e);
}

void RunExecution::emitSpend()
{
    RunEvent e;
    e.kind = RunEvent::Kind::SpendChanged;
    e.runId = m_runId;
    e.spend = m_ledger->snapshot();
    m_worker->emitEvent(e);
}

int RunExecution::callTimeoutMs() const
{
    return std::clamp(m_plan->config.timeoutS * 1000, 1000, runplan::kMaxCallTimeoutMs);
}

void RunExecution::start()
{
    m_startedAt = Clock::nowLocal();
    m_priceDay = m_startedAt.toUTC().date();
    m_clock.start();
    PlanResult planned = planRun(m_request, m_pricing);
    if (!planned.plan) {
        RunOutcome o;
        o.errors = planned.errors;
        finish(std::move(o));
        return;
    }
    m_plan = std::make_shared<RunPlan>(std::move(*planned.plan));
    emitEvent(RunEvent::Kind::Planned);
    if (m_plan->blocked()) {
        RunOutcome o;
        o.blocked = true;
        finish(std::move(o));
        return;
    }
    const RunConfig& c = m_plan->config;
    m_ledger = std::make_unique<SpendLedger>(SpendCaps::fromOptions(c.maxCostUsd, c.budgetUsd, c.budgetTokens));
    m_journal = RunJournal::open(m_runsDir, *m_plan, m_runId, m_startedAt);
    startDebate();
}

ChatRequest RunExecution::requestFor(
    const QString& stage, const QString& label, int maxTokens, double temperature) const
{
    const RunConfig& c = m_plan->config;
    ChatRequest req;
    req.stage = stage;
    req.label = label;
    req.maxTokens = maxTokens;
    req.temperature = temperature;
    req.seed = static_cast<int>(m_plan->seed & 0x7fffffff);
    req.timeoutMs = callTimeoutMs();
    req.reasoningEffort = c.reasoningEffort;
    req.thinkingBudget = c.thinkingBudget;
    return req;
}

void RunExecution::noteOverrun(const CallAttempt& a)
{
    const LedgerSnapshot s = m_ledger->snapshot();
    if (!s.capExceeded || m_capExceededNoted)
        return;
    m_capExceededNoted = true;
    m_stoppedEarly = true;
    const QString by = s.overrunNano > 0
        ? QStringLiteral("spend passed the cap by $%1").arg(nanoToDecimal(s.overrunNano))
        : QStringLiteral("tokens passed the token budget");
    const QString why = QStringLiteral("cap exceeded: %1 reported %2 output tokens (the request allowed %3); "
                                       "%4, no further attempt was started")
                            .arg(a.label)
                            .arg(a.outputTokens)
                            .arg(a.outputLimit)
                            .arg(by);
    m_stopReason = m_stopReason.isEmpty() ? why : why + QStringLiteral("; ") + m_stopReason;
    logger("pipeline")->warn("run {}: {}", ss(m_runId), ss(why));
}

CallHooks RunExecution::hooksFor(const ChargesPtr& charges)
{
    // One reservation per attempt: reserved before it starts; after it ends settled, held or released.
    CallHooks hooks;
    hooks.beforeAttempt = [this, charges](const ChatRequest& req, int attempt) {
        AttemptReservation held;
        held.inputBound = inputTokensUpperBound(req.system, req.user);
        held.outputLimit = outputTokenLimit(req.label, req.maxTokens, req.thinkingBudget);
        const auto id = m_ledger->tryReserveCall(m_pricing, req.label, held.inputBound, held.outputLimit);
        if (!id) {
            m_stoppedEarly = true;
            if (m_stopReason.isEmpty())
                m_stopReason
                    = QStringLiteral("budget: the %1 call to %2 (attempt %3) could not be afforded within the cap")
                          .arg(req.stage, req.label)
                          .arg(attempt);
            emitSpend();
            return false;
        }
        if (const auto r = m_ledger->reservation(*id)) {
            held.nano = r->first;
            held.tokens = r->second;
        }
        charges->reservation = id;
        charges->held = held;
        RunEvent e;
        e.kind = RunEvent::Kind::CallStarted;
        e.runId = m_runId;
        e.stage = req.stage;
        e.call.attempt.stage = req.stage;
        e.call.attempt.label = req.label;
        e.call.attempt.attempt = attempt;
        e.call.attempt.status = vocabularyId(CallStatus::Running);
        m_worker->emitEvent(e);
        emitSpend();
        return true;
    };
    hooks.attemptFinished = [this, charges](const CallAttempt& a) {
        AttemptCharge charge
            = chargeAttempt(m_pricing, a, charges->reservation ? charges->held : AttemptReservation {}, m_priceDay);
        if (charges->reservation) {
            const ReservationId id = *charges->reservation;
            switch (charge.ledger) {
            case AttemptCharge::Ledger::Settle:
                m_ledger->settleNano(id, charge.ledgerNano, charge.ledgerTokens);
                break;
            case AttemptCharge::Ledger::Hold:
                m_ledger->hold(id);
                break;
            case AttemptCharge::Ledger::Release:
                m_ledger->release(id);
                break;
            }
            charges->reservation.reset();
        }
        charges->charged[a.attempt] = charge.record;
        noteOverrun(charge.record.attempt);
        RunEvent e;
        e.kind = RunEvent::Kind::CallFinished;
        e.runId = m_runId;
        e.stage = a.stage;
        e.call = charge.record;
        if (m_journal)
            m_journal->callSettled(e.call);
        m_worker->emitEvent(e);
        emitSpend();
    };
    return hooks;
}

void RunExecution::appendCalls(const ChatResult& r, const ChargesPtr& charges)
{
    for (const CallAttempt& a : r.attempts) {
        auto it = charges->charged.find(a.attempt);
        if (it != charges->charged.end() && it->second.attempt.status == a.status)
            m_calls.push_back(it->second);
        else {
            CallRecord rec;
            rec.attempt = a;
            rec.costNano = attemptCostNano(m_pricing, a, m_priceDay);
            rec.costUsd = attemptCost(m_pricing, a, m_priceDay);
            rec.pricingId = m_pricing.id();
            m_calls.push_back(std::move(rec));
        }
    }
}

void RunExecution::startDebate()
{
    emitEvent(RunEvent::Kind::StageStarted, QStringLiteral("debate"));
    const int n = static_cast<int>(m_plan->config.debaters.size());
    m_drafts.assign(n, std::nullopt);
    for (int i = 0; i < n; ++i)
        m_pending.push_back(i);
    m_debateTimer.setSingleShot(true);
    connect(&m_debateTimer, &QTimer::timeout, this, [this] { onDebateTimeout(); });
    m_debateTimer.start(std::max(1, m_plan->config.timeoutS) * 1000);
    launchDebaters();
    maybeFinishDebate();
}

void RunExecution::launchDebaters()
{
    const RunConfig& c = m_plan->config;
    while (!m_cancelled && !m_debateClosed && !m_pending.empty()
        && static_cast<int>(m_inFlight.size()) < runplan::kDebateConcurrency) {
        const int index = m_pending.front();
        m_pending.pop_front();
        ChatRequest req = requestFor(QStringLiteral("debate"), c.debaters.at(index), c.maxTokens, c.temperature);
        req.system = m_plan->debatePrompt.system;
        req.user = m_plan->debatePrompt.user;
        auto charges = std::make_shared<CallCharges>();
        m_inFlight[index] = m_hub.call(
            req, hooksFor(charges), [this, index, charges](const ChatResult& r) { onDebateDone(index, r, charges); },
            this);
    }
}

void RunExecution::onDebateDone(int index, const ChatResult& r, const ChargesPtr& charges)
{
    m_inFlight.erase(index);
    appendCalls(r, charges);
    const QString label = m_plan->config.debaters.at(index);
    if (r.ok) {
        Draft d = parseDraftReply(label, r.text);
        if (d.isValid())
            m_drafts[index] = std::move(d);
        else
            m_result.invalidDrafts.push_back({ label, QStringLiteral("empty answer") });
    } else {
        m_result.invalidDrafts.push_back({ label, QStringLiteral("call failed: ") + r.error });
    }
    if (m_cancelled) {
        maybeFinishCancelled();
        return;
    }
    launchDebaters();
    maybeFinishDebate();
}

void RunExecution::onDebateTimeout()
{
    if (m_debateDone || m_cancelled)
        return;
    m_debateClosed = true;
    int kept = 0;
    for (const auto& d : m_drafts)
        kept += d ? 1 : 0;
    m_stoppedEarly = true;
    if (m_stopReason.isEmpty())
        m_stopReason = QStringLiteral("debate timeout after %1 s: %2 of %3 drafts kept")
                           .arg(m_plan->config.timeoutS)
                           .arg(kept)
                           .arg(m_drafts.size());
    for (int index : m_pending)
        m_result.invalidDrafts.push_back(
            { m_plan->config.debaters.at(index), QStringLiteral("not started: debate timeout") });
    m_pending.clear();
    const auto inFlight = m_inFlight; // cancel() callbacks arrive later from the event loop
    for (const auto& [index, id] : inFlight)
        m_hub.cancel(id);
    maybeFinishDebate();
}

void RunExecution::maybeFinishDebate()
{
    if (m_debateDone || !m_inFlight.empty() || (!m_pending.empty() && !m_debateClosed))
        return;
    m_debateDone = true;
    m_debateTimer.stop();
    emitEvent(RunEvent::Kind::StageFinished, QStringLiteral("debate"));
    startJudge();
}

void RunExecution::startJudge()
{
    emitEvent(RunEvent::Kind::StageStarted, QStringLiteral("judge"));
    const RunConfig& c = m_plan->config;
    for (const auto& d : m_drafts)
        if (d)
            m_result.drafts.push_back(*d);
    m_judgeContext.task = c.task;
    m_judgeContext.drafts = m_result.drafts;
    m_judgeContext.requireCitations = c.requireCitations;
    m_judgeContext.policy = c.policy;
    if (m_result.drafts.empty()) {
        m_result.judge = judgeDrafts(m_judgeContext, {}, QStringLiteral("no valid drafts to judge"));
        emitEvent(RunEvent::Kind::StageFinished, QStringLiteral("judge"));
        publishAndWrite();
        return;
    }
    runJudgePass(shuffledOrder(static_cast<int>(m_result.drafts.size()), m_plan->seed));
}

void RunExecution::runJudgePass(const std::vector<int>& order)
{
    const RunConfig& c = m_plan->config;
    // Each draft is bounded in the judge prompt as in the plan, so the judge's real input never
    // exceeds its projected worst case.
    const Prompt prompt
        = buildJudgePrompt(c.task, m_judgeContext.drafts, order, c.requireCitations, judgeDraftByteLimit(c.maxTokens));
    ChatRequest req = requestFor(QStringLiteral("judge"), c.judgeModel, m_plan->judgeMaxTokens, c.judgeTemperature);
    req.system = prompt.system;
    req.user = prompt.user;
    auto charges = std::make_shared<CallCharges>();
    m_judgeCall = m_hub.call(
        req, hooksFor(charges), [this, order, charges](const ChatResult& r) { onJudgeDone(order, r, charges); }, this);
}

void RunExecution::onJudgeDone(const std::vector<int>& order, const ChatResult& r, const ChargesPtr& charges)
{
    m_judgeCall.reset();
    appendCalls(r, charges);
    if (m_cancelled) {
        maybeFinishCancelled();
        return;
    }
    if (r.ok) {
        m_passes.push_back(parseJudgeReply(r.text, order));
    } else {
        const std::optional<CallStatus> status
            = r.attempts.empty() ? std::nullopt : parseVocabulary<CallStatus>(r.attempts.back().status);
        QString why;
        if (status == CallStatus::SkippedBudget)
            why = QStringLiteral("the judge call could not be afforded within the budget");
        else if (status == CallStatus::CircuitOpen)
            why = QStringLiteral("the judge provider's circuit breaker is open");
        else
            why = QStringLiteral("the judge call failed: ") + r.error;
        m_passes.push_back(failedJudgePass(order, why));
    }
    m_result.judge = judgeDrafts(m_judgeContext, m_passes);
    if (m_passes.size() == 1 && needsSecondPass(m_result.judge, m_plan->config.marginThreshold)) {
        runJudgePass(reversedOrder(order));
        return;
    }
    emitEvent(RunEvent::Kind::StageFinished, QStringLiteral("judge"));
    publishAndWrite();
}

void RunExecution::publishAndWrite()
{
    emitEvent(RunEvent::Kind::StageStarted, QStringLiteral("publish"));
    const RunConfig& c = m_plan->config;
    m_result.publish = decidePublish(m_result.judge.ranked, c.policy);
    m_result.grounding = m_plan->grounding;
    if (c.grounded()) {
        m_result.grounding.report
            = countCitations(m_result.publish.text, m_plan->grounding.sources, c.groundedRequired);
        applyGroundingShortfall(m_result.publish, m_result.grounding.report);
    }
    writeArtifactAndFinish();
}

void RunExecution::writeArtifactAndFinish()
{
    const RunConfig& c = m_plan->config;
    m_result.task = c.task;
    std::optional<Redactor> redactor;
    if (c.redact) {
        QString error;
        redactor = Redactor::loadDefault(&error);
        if (redactor) {
            m_redactionOrigin = redactor->origin();
        } else {
            // Never store unredacted text silently: say so in the run.
            logger("pipeline")->error("redaction rules could not be loaded: {}", error.toStdString());
            m_stopReason += (m_stopReason.isEmpty() ? QString() : QStringLiteral("; "))
                + QStringLiteral("redaction rules could not be loaded: ") + error;
        }
    }
    RunFacts facts;
    facts.runId = m_runId;
    facts.startedAt = m_startedAt;
    facts.durationMs = m_clock.elapsed();
    const double engineMs = m_clock.nsecsElapsed() / 1e6;
    facts.stoppedEarly = m_stoppedEarly;
    facts.stopReason = m_stopReason;
    facts.redactionRules = m_redactionOrigin;
    facts.simulatedFallback = c.offline;
    if (m_ledger) {
        const LedgerSnapshot s = m_ledger->snapshot();
        facts.capExceeded = s.capExceeded;
        facts.overrunNano = s.overrunNano;
    }
    const Json doc = buildRedactedRunArtifact(*m_plan, m_result, m_calls, facts, redactor ? &*redactor : nullptr);

    RunOutcome o;
    QString error;
    o.artifactPath = writeArtifact(m_runsDir, doc, m_runId, m_startedAt, &error);
    if (o.artifactPath.isEmpty())
        o.errors << QStringLiteral("The run artifact could not be written: ") + error;
    else if (m_journal)
        m_journal->discard(); // else it stays: its spend is recovered at the next read
    m_journal.reset();
    o.cancelled = m_cancelled;
    o.status = m_result.publish.status;
    o.provider = m_result.publish.provider;
    o.reason = m_result.publish.reason;
    o.note = m_result.publish.note;
    o.judgeMethod = m_result.judge.method;
    const MeasuredSpend spend = measuredSpend(m_calls);
    o.measuredCostUsd = spend.costUsd;
    o.heldUsd = static_cast<double>(spend.heldNano) / 1e9;
    o.capExceeded = facts.capExceeded;
    o.overrunUsd = static_cast<double>(facts.overrunNano) / 1e9;
    o.measuredTokens = spend.tokens;
    o.costComplete = spend.complete;
    o.simulated = doc.value("simulated", false);
    o.stoppedEarly = m_stoppedEarly;
    o.stopReason = m_stopReason;
    o.durationMs = facts.durationMs;
    o.engineMs = engineMs;
    o.calls = static_cast<int>(m_calls.size());
    finish(std::move(o));
}

void RunExecution::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_debateTimer.stop();
    const auto inFlight = m_inFlight;
    for (const auto& [index, id] : inFlight)
        m_hub.cancel(id);
    if (m_judgeCall)
        m_hub.cancel(*m_judgeCall);
    maybeFinishCancelled();
}

void RunExecution::maybeFinishCancelled()
{
    if (m_finished || !m_inFlight.empty() || m_judgeCall)
        return;
    if (!m_plan || m_calls.empty()) {
        RunOutcome o;
        o.cancelled = true;
        finish(std::move(o));
        return;
    }
    // A consistent artifact for what happened: the drafts so far, nothing judged, status none.
    m_result.drafts.clear();
    for (const auto& d : m_drafts)
        if (d)
            m_result.drafts.push_back(*d);
    m_result.judge = JudgeOutcome {};
    m_result.judge.method = QStringLiteral("heuristic");
    m_result.judge.methodReason = QStringLiteral("cancelled before judging");
    m_result.publish = PublishDecision {};
    m_result.publish.status = QStringLiteral("none");
    m_result.publish.reason = QStringLiteral("cancelled");
    m_result.grounding = m_plan->grounding;
    m_stoppedEarly = true;
    if (m_stopReason.isEmpty())
        m_stopReason = QStringLiteral("cancelled");
    writeArtifactAndFinish();
}

void RunExecution::finish(RunOutcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    m_debateTimer.stop();
    if (m_journal) { // finished without an artifact and without a call: nothing to keep
        if (m_calls.empty())
            m_journal->discard();
        m_journal.reset();
    }
    outcome.runId = m_runId;
    outcome.plan = m_plan;
    if (m_ledger && m_plan && !m_plan->blocked())
        emitSpend();
    RunEvent e;
    e.kind = RunEvent::Kind::Finished;
    e.runId = m_runId;
    e.plan = m_plan;
    e.outcome = std::make_shared<const RunOutcome>(std::move(outcome));
    m_worker->emitEvent(e);
    const QString id = m_runId;
    QTimer::singleShot(0, m_worker, [worker = m_worker, id] { worker->runEnded(id); });
}

// ---------------------------------------------------------------------------------------------
// RunWorker

ProviderHub& RunWorker::hub(bool offline)
{
    ProviderHub*& slot = offline ? m_offlineHub : m_hub;
    if (!slot) {
        HubOptions options = m_options.hub;
        options.offline = options.offline || offline;
        slot = new ProviderHub(options, this);
        connect(slot, &ProviderHub::breakerStateChanged, this, &RunWorker::breakerStateChanged);
    }
    return *slot;
}

void RunWorker::startRun(const QString& runId, const RunRequest& request)
{
    RunRequest effective = request;
    if (m_options.hub.offline)
        effective.offline = true;
    const bool offline = effective.offline.value_or(false);
    const QString runsDir = effective.runsDir.isEmpty() ? m_options.runsDir : effective.runsDir;
    auto* run = new RunExecution(this, hub(offline), m_pricing, runsDir, runId, effective);
    m_runs[runId] = run;
    run->start();
}

void RunWorker::cancelRun(const QString& runId)
{
    auto it = m_runs.find(runId);
    if (it != m_runs.end())
        it->second->cancel();
}

void RunWorker::cancelAll()
{
    const auto runs = m_runs;
    for (const auto& [id, run] : runs)
        run->cancel();
}

void RunWorker::drain()
{
    m_draining = true;
    cancelAll();
    if (m_runs.empty())
        thread()->quit();
}

void RunWorker::runEnded(const QString& runId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return;
    it->second->deleteLater();
    m_runs.erase(it);
    if (m_draining && m_runs.empty())
        thread()->quit();
}

// ---------------------------------------------------------------------------------------------
// RunEngine

RunEngine::RunEngine(EngineOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    qRegisterMetaType<djp::RunEvent>();
    qRegisterMetaType<djp::BreakerState>();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("djp-run-engine"));
    m_worker = new RunWorker(m_options);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RunWorker::event, this, &RunEngine::onWorkerEvent, Qt::QueuedConnection);
    connect(m_worker, &RunWorker::breakerStateChanged, this, &RunEngine::breakerStateChanged, Qt::QueuedConnection);
    m_thread->start();
}

RunEngine::~RunEngine()
{
    // Queued behind any start() still on its way, so those runs are cancelled too. Cancelled runs
    // finish from the worker's event loop (a run that made a call writes an artifact saying
    // "cancelled"); the worker quits its loop after the last one and we join the thread.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->drain(); }, Qt::QueuedConnection);
    if (!m_thread->wait(QDeadlineTimer(kDrainLimitMs))) {
        // Only a provider client that ignores cancellation gets here; its run is abandoned.
        logger("pipeline")->warn("run engine: runs still in flight after {} ms; stopping the worker", kDrainLimitMs);
        m_thread->quit();
        m_thread->wait();
    }
}

QString RunEngine::start(const RunRequest& request)
{
    const QString runId = newRunId();
    ++m_active;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, runId, request] { w->startRun(runId, request); }, Qt::QueuedConnection);
    return runId;
}

void RunEngine::cancel(const QString& runId)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, runId] { w->cancelRun(runId); }, Qt::QueuedConnection);
}

void RunEngine::cancelAll()
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->cancelAll(); }, Qt::QueuedConnection);
}

void RunEngine::onWorkerEvent(const RunEvent& event)
{
    if (event.kind == RunEvent::Kind::Finished)
        m_active = std::max(0, m_active - 1);
    Q_EMIT runEvent(event);
}

RunOutcome runToCompletion(
    RunEngine& engine, const RunRequest& request, const std::function<void(const RunEvent&)>& onEvent)
{
    QEventLoop loop;
    RunOutcome outcome;
    QString runId;
    const auto connection = QObject::connect(&engine, &RunEngine::runEvent, &loop, [&](const RunEvent& e) {
        if (e.runId != runId)
            return;
        if (onEvent)
            onEvent(e);
        if (e.kind == RunEvent::Kind::Finished) {
            outcome = *e.outcome;
            loop.quit();
        }
    });
    runId = engine.start(request);
    loop.exec();
    QObject::disconnect(connection);
    return outcome;
}

} // namespace djp

#include "runengine.moc"
