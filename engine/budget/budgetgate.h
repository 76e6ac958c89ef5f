#pragma once
// Budget gates before a run (docs/pricing-and-budgets.md). Pure functions; safe from any thread.
//
// ratio = projected expected / budget, per budget (USD and tokens, either, both or none):
//   ratio > 1.0        -> Blocked  "Projected cost $X exceeds budget $Y"       (no call is made)
//   0.9 < ratio <= 1.0 -> Warning  "Projected cost $X is N% of budget $Y"      (N = ratio * 100, rounded)
//   otherwise          -> Ok
// Token budgets read "Projected tokens X exceeds budget Y tokens" / "Projected tokens X is N% of budget
// Y tokens". A budget of 0 means "no spending allowed": any positive projection is blocked, a zero
// projection is ok. A negative budget is treated as 0. Token comparisons are exact integer ones
// (x > y, 10x > 9y). USD comparisons allow a relative 1e-9 so that a
// projection that is exactly on a boundary (90 %, 100 %) in decimal is judged as on it, whatever the
// binary rounding of the sums. The overall status is the worse of the two budgets.
#include "pricing/projection.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace djp {

enum class GateStatus
{
    Ok = 0,
    Warning = 1,
    Blocked = 2
};
QString gateStatusName(GateStatus s); // "ok" | "warning" | "blocked"

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
    QString message; // filled for every status ("... is N% of budget ..." when ok)
};

struct GateResult
{
    GateStatus status = GateStatus::Ok;
    std::vector<GateCheck> checks; // one per budget given (USD first)
    QStringList messages; // messages of the checks that warn or block, then the unpriced note
    bool blocked() const { return status == GateStatus::Blocked; }
};

// True when `projected` is above `fraction` of `limit` (with the relative tolerance above).
bool exceedsFraction(double projected, double limit, double fraction = 1.0);

GateResult evaluateGate(
    double projectedUsd, qint64 projectedTokens, const Budgets& budgets, const QStringList& unpricedLabels = {});
// Uses the projection's expected total USD and expected total tokens.
GateResult evaluateGate(const Projection& projection, const Budgets& budgets);

} // namespace djp
