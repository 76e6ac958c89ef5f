#pragma once
// Adaptive debater selection (docs/pricing-and-budgets.md). Pure; safe from any thread.
//
// 1. Vendor rule (legacy): max_cost_usd < 0.02 -> only debaters of the preferred vendor;
//    max_cost_usd < 0.05 -> the preferred vendor plus at most one other vendor (the first other vendor
//    in roster order, with all its debaters); fastpath -> preferred vendor only. If the rule would leave
//    nobody (no debater of the preferred vendor), the first debater in roster order is kept.
// 2. Fit to budget (ours): while the projected expected total of the remaining roster exceeds the USD
//    limit — min(budget_usd, max_cost_usd) of those set — and more than one debater is left, drop the
//    debater with the highest projected expected debate cost (ties: the later one in roster order).
//    "Exceeds" is the gate's test (exceedsFraction), so what survives passes the budget gate unless
//    even one debater is too dear (then fits = false and the gate blocks).
// Roster order is otherwise preserved.
#include "pricing/projection.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <optional>
#include <vector>

namespace djp {

enum class DropReason
{
    PreferredVendorOnly, // max_cost_usd < 0.02
    OneOtherVendor, // max_cost_usd < 0.05
    Fastpath, // fastpath: preferred vendor only
    OverBudget, // projection still above the budget: dearest dropped
};
QString dropReasonName(
    DropReason r); // "max_cost_preferred_vendor_only" | "max_cost_one_other_vendor" | "fastpath" | "over_budget"

struct DroppedDebater
{
    QString label;
    DropReason reason;
    QString detail; // human-readable why, with the numbers
};

struct DebaterSelectionOptions
{
    QString preferredVendor = QStringLiteral("openai");
    std::optional<double> maxCostUsd;
    std::optional<double> budgetUsd;
    bool fastpath = false;
};

struct DebaterSelection
{
    QStringList selected;
    std::vector<DroppedDebater> dropped; // in the order they were dropped
    std::optional<double> limitUsd; // the limit used by the fit step
    double projectedUsd = 0.0; // expected total of the selected roster (0 without a projector)
    bool fits = true; // false when even the final roster exceeds limitUsd
};

// Projects the whole run (debates, judge, overhead) for a candidate roster; the pipeline builds the
// prompts for those debaters (the judge prompt depends on how many drafts it will see).
using RosterProjector = std::function<Projection(const QStringList& roster)>;

QString vendorOf(const QString& label); // "openai/gpt-4o" -> "openai"

// `projector` may be empty: then only the vendor rule applies.
DebaterSelection selectDebaters(
    const QStringList& roster, const DebaterSelectionOptions& options, const RosterProjector& projector);

namespace selection {
inline constexpr double kPreferredOnlyBelowUsd = 0.02;
inline constexpr double kOneOtherVendorBelowUsd = 0.05;
} // namespace selection

} // namespace djp
