#pragma once
// Cost projection before a run (SPEC §3.1): a pure function from planned calls to expected and
// worst-case tokens and USD, each call priced with its own model.
//
// Formula (all integer arithmetic, so results can be checked by hand):
//   chars          = characters of the system prompt + user prompt (QString::size(), UTF-16 units)
//   base_in        = ceil(chars / 4)
//   debate, with c = required citations ("each citation adds 20 %", legacy, applied to debate input
//   and output, additively: 2 citations = +40 %), cite(x) = ceil(x * (100 + 20c) / 100):
//     input        = cite(base_in)                                    (same in expected and worst case)
//     expected_out = min(max_tokens, cite(min(max_tokens, 800)))       (never above the worst case)
//     worst_out    = max_tokens
//   judge:  input = base_in, expected_out = min(300, max_out), worst_out = max_out
//   overhead (one per run, priced with the model the caller names, by convention the judge model):
//           input = 200, expected_out = 100, worst_out = 100          (legacy constants)
//   usd = PricingTable::priceCallFailSafe of {input, output} (docs/pricing.md): the call's OWN model's
//   rates (its long-context tier when the input is above it), exact to the nano-dollar; an unpriced
//   model is priced at the most expensive known rates and flagged.
// Calls marked `worstCaseOnly` (e.g. a possible second judge pass) count in the worst case only.
//
// Threading: pure functions over const inputs; safe from any thread. Cheap enough to call on every
// keystroke of the launch form (no I/O, a few small allocations).
#include "pricing/pricingtable.h"

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace djp {

enum class CallStage
{
    Debate,
    Judge,
    Overhead
};
QString callStageName(CallStage stage); // "debate" | "judge" | "overhead"

namespace projection {
inline constexpr int kCharsPerToken = 4;
inline constexpr int kExpectedDebateOutputCap = 800;
inline constexpr int kExpectedJudgeOutput = 300;
inline constexpr int kOverheadInputTokens = 200;
inline constexpr int kOverheadOutputTokens = 100;
inline constexpr int kCitationPercent = 20;
} // namespace projection

struct PlannedCall
{
    CallStage stage = CallStage::Debate;
    QString label; // model that will be called
    qint64 promptChars = 0; // system + user prompt characters (ignored for overhead)
    int maxOutputTokens = 0; // debate: max_tokens; judge: its own max output; overhead: ignored
    int requiredCitations = 0; // debate only
    bool worstCaseOnly = false; // may happen (second judge pass): counted in the worst case only

    static PlannedCall debate(
        const QString& label, const QString& system, const QString& user, int maxTokens, int requiredCitations);
    static PlannedCall judge(const QString& label, const QString& system, const QString& user, int maxOutputTokens);
    static PlannedCall overhead(const QString& label);
};

struct TokenEstimate
{
    qint64 input = 0;
    qint64 expectedOutput = 0;
    qint64 worstOutput = 0;
};

// The token formula above, for one call.
TokenEstimate estimateTokens(const PlannedCall& call);
// ceil(chars / 4): the input-token estimate for a prompt text (§3.1).
qint64 estimateInputTokens(qint64 chars);

struct CostLine
{
    int calls = 0; // calls counted in the expected case
    double expectedUsd = 0.0;
    double worstUsd = 0.0;
    qint64 expectedInputTokens = 0;
    qint64 expectedOutputTokens = 0;
    qint64 worstInputTokens = 0;
    qint64 worstOutputTokens = 0;
    qint64 expectedTokens() const { return expectedInputTokens + expectedOutputTokens; }
    qint64 worstTokens() const { return worstInputTokens + worstOutputTokens; }
};

struct CallProjection
{
    PlannedCall call;
    TokenEstimate tokens;
    double expectedUsd = 0.0; // 0 for worstCaseOnly calls
    double worstUsd = 0.0;
    bool priced = true; // false: priced at the most expensive known price
};

struct ModelLine
{
    QString label;
    bool priced = true;
    CostLine cost;
};

struct Projection
{
    std::vector<CallProjection> calls; // in plan order
    CostLine debate;
    CostLine judge;
    CostLine overhead;
    CostLine total;
    std::vector<ModelLine> byModel; // in order of first appearance in the plan
    QStringList unpricedLabels; // priced fail-safe at the most expensive known price
    QString pricingId;

    bool complete() const { return unpricedLabels.isEmpty(); }
    const CostLine& stage(CallStage s) const;
    // Expected USD of the debate calls of one label (summed if it debates more than once).
    double debateExpectedUsd(const QString& label) const;
};

// Prices every call at the rates in force on `day` (an invalid day: the newest known rates, which for a
// scheduled price change is the later, usually higher, one), long-context tier chosen by its input.
Projection project(const PricingTable& pricing, const std::vector<PlannedCall>& plan, QDate day = QDate());

// Multi-line breakdown for the CLI and logs: per stage, total, tokens, per model, unpriced flags.
QString formatProjection(const Projection& p);

} // namespace djp
