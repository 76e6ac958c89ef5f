#pragma once
// Budget gates before a run (docs/pricing-and-budgets.md). Pure functions; safe from any thread.
//
// ratio = projected expected / budget, per budget (USD and tokens, either, both or none):
//   ratio > 1.0        -> Blocked  (no call is made)
//   0.9 < ratio <= 1.0 -> Warning
//   otherwise          -> Ok
// The gate returns facts (status, amounts, ratio); words are chosen by whoever shows them: the app in
// ui/display/vocabularytext.h, artifacts and the CLI through gateRecordMessages() below.
// A budget of 0 means "no spending allowed": any positive projection is blocked, a zero
// projection is ok. A negative budget is treated as 0. Token comparisons are exact integer ones
// (x > y, 10x > 9y). USD comparisons allow a relative 1e-9 so that a
// projection that is exactly on a boundary (90 %, 100 %) in decimal is judged as on it, whatever the
// binary rounding of the sums. The overall status is the worse of the two budgets.
#include "core/vocabulary.h"
#include "pricing/projection.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

namespace djp {

// budget.gate.status of an artifact; ordered, the worse status is the greater.
enum class GateStatus
{
    Ok = 0,
    Warning = 1,
    Blocked = 2
};
// parseVocabulary<GateStatus>() gives nullopt for an id this version does not know (a legacy artifact has none at all).
template <>
inline constexpr std::array<VocabularyEntry<GateStatus>, 3> kVocabulary<GateStatus> { {
    { GateStatus::Ok, QLatin1String("ok") },
    { GateStatus::Warning, QLatin1String("warning") },
    { GateStatus::Blocked, QLatin1String("blocked") },
} };

namespace gate {
inline constexpr double kWarningRatio = 0.9;
inline constexpr double kRelativeTolerance = 1e-9;
} // namespace gate

struct Budgets
{
    std::optional<double> usd; // budget_usd
    std::optional<qint64> tokens; // budget_tokens
};

struct GateCheck
{
    enum class Kind
    {
        Usd,
        Tokens
    } kind
        = Kind::Usd;
    GateStatus status = GateStatus::Ok;
    double projected = 0.0; // USD or tokens
    double limit = 0.0;
    double ratio = 0.0; // +infinity when the limit is 0 and the projection positive
};

struct GateResult
{
    GateStatus status = GateStatus::Ok;
    std::vector<GateCheck> checks; // one per budget given (USD first)
    // Models without a price, budgeted at the most expensive known one; only when a USD budget is given.
    QStringList unpricedLabels;
    bool blocked() const { return status == GateStatus::Blocked; }
};

// The wording artifacts (budget.gate.message, joined with "; ") and the CLI (`djp project`, `djp run`)
// carry. Part of their output contract, so it is built here, once, from the facts:
//   Blocked: "Projected cost $X exceeds budget $Y"  /  "Projected tokens X exceeds budget Y tokens"
//   else:    "Projected cost $X is N% of budget $Y" /  "Projected tokens X is N% of budget Y tokens"
// (N = ratio * 100, rounded). USD amounts of a blocked check get digits until they differ.
QString gateRecordMessage(const GateCheck& check);
// The projected and limit amounts as every wording shows them ("$0.012" or "1200"); shared with the app's
// wording (ui/display/vocabularytext) so both print the same numbers.
std::pair<QString, QString> gateAmounts(const GateCheck& check);
// The messages of the checks that warn or block, then the note on unpriced models.
QStringList gateRecordMessages(const GateResult& result);

// True when `projected` is above `fraction` of `limit` (with the relative tolerance above).
bool exceedsFraction(double projected, double limit, double fraction = 1.0);

GateResult evaluateGate(
    double projectedUsd, qint64 projectedTokens, const Budgets& budgets, const QStringList& unpricedLabels = {});
// Uses the projection's expected total USD and expected total tokens.
GateResult evaluateGate(const Projection& projection, const Budgets& budgets);

} // namespace djp
