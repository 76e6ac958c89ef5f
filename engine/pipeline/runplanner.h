#pragma once
// Planning a run before any call is made (docs/pricing-and-budgets.md and docs/pipeline.md): resolve the request against its
// preset, read the grounded corpus, choose the debaters (legacy vendor rule + fit-to-budget), build
// the exact prompts, project the cost of every planned call with its own model, and evaluate the
// budget gate. `djp project`, `djp run`, the launch form's live projection and the run engine all
// plan through planRun(), so the number shown before a run is the number the run is gated on.
//
// Threading: pure apart from reading the corpus (PlanOptions::loadCorpus); safe on any thread.
#include "budget/budgetgate.h"
#include "budget/debaterselection.h"
#include "pipeline/grounding.h"
#include "pipeline/prompts.h"
#include "pipeline/runrequest.h"
#include "pricing/projection.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace djp {

namespace runplan {
inline constexpr int kJudgeMaxTokens = 1200;   // the judge's own max output (its worst case)
inline constexpr int kDebateConcurrency = 4;   // debaters in flight at once (docs/pipeline.md)
inline constexpr int kMaxCallTimeoutMs = 120000;
} // namespace runplan

struct RunPlan
{
    RunConfig config;               // resolved; config.debaters is the selected roster, config.seed set
    QStringList requestedDebaters;  // roster before the budget rules
    DebaterSelection selection;     // what the budget rules kept and dropped, and why
    quint64 seed = 0;
    Prompt debatePrompt;            // the prompt every debater receives
    GroundingSummary grounding;     // corpus facts and the sources handed to debaters
    std::vector<CorpusProblem> corpusProblems;
    std::vector<PlannedCall> calls; // debaters, judge, optional second judge pass, overhead
    Projection projection;
    GateResult gate;
    int judgeMaxTokens = runplan::kJudgeMaxTokens;

    bool blocked() const { return gate.blocked(); }
};

struct PlanOptions
{
    bool loadCorpus = true;        // false: plan without reading the corpus (live projection in a form)
    std::optional<quint64> seed;   // overrides a random seed when the request has none
};

struct PlanResult
{
    std::optional<RunPlan> plan; // set when errors is empty
    QStringList errors;          // user-facing (unknown preset, bad option values...)
};

PlanResult planRun(const RunRequest& request, const PricingTable& pricing, const PlanOptions& options = {});

// The planned calls for a roster (exposed for tests): one debate call per debater, the judge call
// with a prompt estimated from drafts of the expected size, a worst-case-only second judge pass when
// a margin threshold can trigger it, and the overhead.
std::vector<PlannedCall> plannedCalls(const RunConfig& config, const QStringList& roster, const Prompt& debatePrompt,
    quint64 seed, int judgeMaxTokens);

// Multi-line text for the CLI: roster (and dropped debaters), the projection breakdown and the gate
// verdict, with the legacy lines for a blocked run.
QString formatPlan(const RunPlan& plan);

} // namespace djp
