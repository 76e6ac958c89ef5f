#pragma once
// Cost projection before a run (docs/pricing-and-budgets.md): a pure function from planned calls to expected and
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
//   model is priced at the most expensive known rates and flagged (an empty table: +infinity).
// The WORST case input is not chars/4 but the call's input bound (inputTokensUpperBound: UTF-8 bytes
// + 64), and its cost comes from worstCaseCallNano(), the very function the spend ledger reserves
// with: a cap equal to the displayed worst case admits every planned call.
// Calls marked `worstCaseOnly` (e.g. a possible second judge pass) count in the worst case only.
// Money is summed in integer nano-dollars; the USD doubles are those sums / 1e9.
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

// A safe upper bound of the input tokens of a prompt, for worst cases and reservations: UTF-8 bytes
// of both texts (byte-level BPE and SentencePiece-with-byte-fallback tokenizers never produce more
// tokens than bytes) + 64 for the chat template's role and separator tokens. chars/4 is an
// expectation, not a bound.
qint64 inputTokensUpperBound(const QString& system, const QString& user);

// The worst-case cost of ONE attempt: `inputBound` input tokens, none of them cached, and
// `outputLimit` output tokens at the label's rates, or at the most expensive known rates when the
// label is unpriced (*priced = false). The projection's worst case and the spend ledger's
// reservations both come from here. Integer nano-dollars, rounded up.
// `day` picks the rates in force that day (invalid = the current rates).
qint64 worstCaseCallNano(const PricingTable& pricing, const QString& label, qint64 inputBound, qint64 outputLimit,
    bool* priced = nullptr, QDate day = {});

struct PlannedCall
{
    CallStage stage = CallStage::Debate;
    QString label; // model that will be called
    qint64 promptChars = 0; // system + user prompt characters (ignored for overhead)
    int maxOutputTokens = 0; // the output limit the call will send (max_tokens + any thinking budget)
    int requiredCitations = 0; // debate only
    bool worstCaseOnly = false; // may happen (second judge pass): counted in the worst case only
    // Worst-case input tokens (inputTokensUpperBound of the largest prompt the call can get); -1 =
    // unknown, then the expected input is used.
    qint64 inputBound = -1;

    static PlannedCall debate(
        const QString& label, const QString& system, const QString& user, int maxTokens, int requiredCitations);
    static PlannedCall judge(const QString& label, const QString& system, const QString& user, int maxOutputTokens);
    static PlannedCall overhead(const QString& label);
};

struct TokenEstimate
{
    qint64 input = 0; // expected input
    qint64 expectedOutput = 0;
    qint64 worstOutput = 0;
    qint64 worstInput = 0; // the call's input bound
};

// The token formula above, for one call.
TokenEstimate estimateTokens(const PlannedCall& call);
// ceil(chars / 4): the input-token estimate for a prompt text (docs/pricing-and-budgets.md).
qint64 estimateInputTokens(qint64 chars);

struct CostLine
{
    int calls = 0; // calls counted in the expected case
    qint64 expectedNano = 0; // the exact sums; the doubles below are these / 1e9
    qint64 worstNano = 0;
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
    qint64 expectedNano = 0;
    qint64 worstNano = 0;
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
