#pragma once
// The simulated provider (docs/providers.md): offline, in-process, deterministic for (seed, label, prompt).
// It answers in the JSON shapes the pipeline asks real models for, so parsing, judging and
// publishing run their real code paths. See docs/providers.md for the prompt conventions:
//   - task: a line "Task: ..." (that paragraph), else the user text before the first "[Draft N]";
//   - length: "N-word" / "N words" in the task, else about 250 words, always within max_tokens;
//   - evidence: a line "Required evidence items: N" (or "at least N citations/evidence items/sources");
//   - judge drafts: blocks starting with a line "[Draft N]".
// Threading: SimulatedProvider lives on, and is used from, one thread (the hub's).
#include "providers/attempt.h"

#include <QObject>
#include <QString>
#include <QStringList>

namespace djp {

enum class SimFault
{
    None,
    Http429,
    Http500,
    Timeout,
    Malformed
};

struct SimulatorOptions
{
    int latencyMs = 300; // mean latency; each attempt varies deterministically by up to +-20 %
    double failRate = 0.0; // probability (deterministic per attempt) of an HTTP 500
    SimFault fault = SimFault::None; // forced fault for demos and tests
    int faultAttempts = 0; // > 0: the fault hits only attempts 1..faultAttempts (then calls succeed)
    QString faultStage; // non-empty: the fault hits only this stage ("debate" | "judge")
    QStringList faultLabels; // non-empty: the fault hits only these labels
    bool outputMax = false; // always report max_tokens output tokens (cap tests)

    // DJP_SIM_LATENCY_MS, DJP_SIM_FAIL_RATE, DJP_SIM_FAULT (429|500|timeout|malformed),
    // DJP_SIM_FAULT_ATTEMPTS, DJP_SIM_FAULT_STAGE, DJP_SIM_FAULT_LABELS (comma-separated),
    // DJP_SIM_OUTPUT=max. Unset or invalid values keep the defaults above.
    static SimulatorOptions fromEnvironment();
};

struct SimulatedReply
{
    AttemptOutcome outcome;
    int latencyMs = 0; // when the outcome is delivered
};

class SimulatedProvider : public QObject
{
    Q_OBJECT
public:
    explicit SimulatedProvider(SimulatorOptions options = {}, QObject* parent = nullptr);

    const SimulatorOptions& options() const { return m_options; }
    void setOptions(const SimulatorOptions& options) { m_options = options; }

    // Serves one attempt after its simulated latency (a timer, never a sleep; 0 ms still returns
    // to the event loop first). A latency beyond request.timeoutMs, or the "timeout" fault, ends
    // in ErrorKind::Timeout at request.timeoutMs.
    PendingAttempt* start(const ChatRequest& request, int attempt, AttemptCallback done, QObject* parent);

    // The pure part: what attempt `attempt` of `request` produces, and when.
    static SimulatedReply simulate(const ChatRequest& request, int attempt, const SimulatorOptions& options);

    // Reply texts, exposed for tests and the pipeline's documentation.
    // fillToMax: the answer is made long enough that the reply fills max_tokens (DJP_SIM_OUTPUT=max).
    static QString draftText(const ChatRequest& request, bool fillToMax = false);
    static QString judgeText(const ChatRequest& request);

private:
    SimulatorOptions m_options;
};

} // namespace djp
