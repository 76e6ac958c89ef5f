#include "budget/debaterselection.h"

#include "budget/budgetgate.h"
#include "pricing/money.h"

namespace djp {

using namespace selection;

QString dropReasonName(DropReason r)
{
    switch (r) {
    case DropReason::PreferredVendorOnly:
        return QStringLiteral("max_cost_preferred_vendor_only");
    case DropReason::OneOtherVendor:
        return QStringLiteral("max_cost_one_other_vendor");
    case DropReason::Fastpath:
        return QStringLiteral("fastpath");
    case DropReason::OverBudget:
        return QStringLiteral("over_budget");
    }
    return {};
}

QString vendorOf(const QString& label)
{
    const qsizetype slash = label.indexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : label.left(slash);
}

namespace {

// Applies the legacy vendor rule, appending what it drops to `dropped`.
QStringList applyVendorRule(
    const QStringList& roster, const DebaterSelectionOptions& o, std::vector<DroppedDebater>& dropped)
{
    const QString& preferred = o.preferredVendor;
    std::optional<DropReason> rule;
    QString detail;
    if (o.maxCostUsd && *o.maxCostUsd < kPreferredOnlyBelowUsd) {
        rule = DropReason::PreferredVendorOnly;
        detail = QStringLiteral("max_cost_usd %1 < $0.02: only %2 debaters").arg(formatUsd(*o.maxCostUsd), preferred);
    } else if (o.fastpath) {
        rule = DropReason::Fastpath;
        detail = QStringLiteral("fastpath: only %1 debaters").arg(preferred);
    } else if (o.maxCostUsd && *o.maxCostUsd < kOneOtherVendorBelowUsd) {
        rule = DropReason::OneOtherVendor;
        detail = QStringLiteral("max_cost_usd %1 < $0.05: %2 plus at most one other vendor")
                     .arg(formatUsd(*o.maxCostUsd), preferred);
    }
    if (!rule)
        return roster;

    QString otherVendor; // the one other vendor allowed under OneOtherVendor: first in roster order
    QStringList kept;
    for (const QString& label : roster) {
        const QString vendor = vendorOf(label);
        bool keep = vendor == preferred;
        if (!keep && *rule == DropReason::OneOtherVendor) {
            if (otherVendor.isEmpty())
                otherVendor = vendor;
            keep = vendor == otherVendor;
        }
        if (keep)
            kept.append(label);
    }
    if (kept.isEmpty() && !roster.isEmpty())
        kept.append(roster.first()); // never below one debater
    for (const QString& label : roster) {
        if (!kept.contains(label))
            dropped.push_back({ label, *rule, detail });
    }
    return kept;
}

std::optional<double> usdLimit(const DebaterSelectionOptions& o)
{
    if (o.budgetUsd && o.maxCostUsd)
        return std::min(*o.budgetUsd, *o.maxCostUsd);
    return o.budgetUsd ? o.budgetUsd : o.maxCostUsd;
}

} // namespace

DebaterSelection selectDebaters(
    const QStringList& roster, const DebaterSelectionOptions& options, const RosterProjector& projector)
{
    DebaterSelection result;
    result.selected = applyVendorRule(roster, options, result.dropped);
    result.limitUsd = usdLimit(options);
    if (!projector || result.selected.isEmpty())
        return result;

    Projection p = projector(result.selected);
    while (result.limitUsd && exceedsFraction(p.total.expectedUsd, *result.limitUsd) && result.selected.size() > 1) {
        qsizetype dearest = 0;
        double dearestUsd = -1.0;
        for (qsizetype i = 0; i < result.selected.size(); ++i) {
            const double usd = p.debateExpectedUsd(result.selected.at(i));
            if (usd >= dearestUsd) { // >=: on a tie the later debater goes
                dearest = i;
                dearestUsd = usd;
            }
        }
        const auto [total, limit] = formatUsdDistinct(p.total.expectedUsd, *result.limitUsd);
        result.dropped.push_back({ result.selected.at(dearest), DropReason::OverBudget,
            QStringLiteral("projected cost %1 exceeds budget %2; dearest debater (%3 expected)")
                .arg(total, limit, formatUsd(dearestUsd)) });
        result.selected.removeAt(dearest);
        p = projector(result.selected);
    }
    result.projectedUsd = p.total.expectedUsd;
    result.fits = !result.limitUsd || !exceedsFraction(p.total.expectedUsd, *result.limitUsd);
    return result;
}

} // namespace djp
