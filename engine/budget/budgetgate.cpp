#include "budget/budgetgate.h"

#include "pricing/money.h"

#include <cmath>
#include <limits>

namespace djp {

namespace {

using Kind = GateCheck::Kind;

GateCheck check(Kind kind, double projected, double limit)
{
    GateCheck c;
    c.kind = kind;
    c.projected = projected;
    c.limit = std::max(0.0, limit);
    if (c.limit > 0.0)
        c.ratio = projected / c.limit;
    else
        c.ratio = projected > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;

    if (kind == Kind::Usd) {
        if (exceedsFraction(projected, c.limit, 1.0))
            c.status = GateStatus::Blocked;
        else if (exceedsFraction(projected, c.limit, gate::kWarningRatio))
            c.status = GateStatus::Warning;
    } else {
        // Token counts are integers: compare exactly (x > y, 10x > 9y).
        const auto x = static_cast<qint64>(projected), y = static_cast<qint64>(c.limit);
        if (x > y)
            c.status = GateStatus::Blocked;
        else if (x * 10 > y * 9)
            c.status = GateStatus::Warning;
    }
    return c;
}

} // namespace

std::pair<QString, QString> gateAmounts(const GateCheck& c)
{
    if (c.kind == Kind::Usd) {
        // Blocked: digits are added until the amounts differ. Otherwise the common precision, without
        // chasing digits ("is 100% of" may compare sums that differ in the 17th digit).
        return c.status == GateStatus::Blocked ? formatUsdDistinct(c.projected, c.limit)
                                               : formatUsdCommon(c.projected, c.limit);
    }
    return { QString::number(static_cast<qint64>(c.projected)), QString::number(static_cast<qint64>(c.limit)) };
}

QString gateRecordMessage(const GateCheck& c)
{
    const Kind kind = c.kind;
    const auto [x, y] = gateAmounts(c);
    const QString what = kind == Kind::Usd ? QStringLiteral("Projected cost ") : QStringLiteral("Projected tokens ");
    const QString unit = kind == Kind::Usd ? QString() : QStringLiteral(" tokens");
    if (c.status == GateStatus::Blocked)
        return what + x + QStringLiteral(" exceeds budget ") + y + unit;
    return what + x + QStringLiteral(" is %1% of budget ").arg(std::lround(c.ratio * 100.0)) + y + unit;
}

QStringList gateRecordMessages(const GateResult& r)
{
    QStringList messages;
    for (const GateCheck& c : r.checks) {
        if (c.status != GateStatus::Ok)
            messages.append(gateRecordMessage(c));
    }
    if (!r.unpricedLabels.isEmpty())
        messages.append(QStringLiteral("Unpriced models budgeted at the most expensive known price: ")
            + r.unpricedLabels.join(QStringLiteral(", ")));
    return messages;
}

bool exceedsFraction(double projected, double limit, double fraction)
{
    const double threshold = std::max(0.0, limit) * fraction;
    if (threshold <= 0.0)
        return projected > 0.0;
    return projected > threshold * (1.0 + gate::kRelativeTolerance);
}

GateResult evaluateGate(
    double projectedUsd, qint64 projectedTokens, const Budgets& budgets, const QStringList& unpricedLabels)
{
    GateResult r;
    if (budgets.usd)
        r.checks.push_back(check(Kind::Usd, projectedUsd, *budgets.usd));
    if (budgets.tokens)
        r.checks.push_back(
            check(Kind::Tokens, static_cast<double>(projectedTokens), static_cast<double>(*budgets.tokens)));
    for (const GateCheck& c : r.checks)
        r.status = std::max(r.status, c.status);
    if (budgets.usd)
        r.unpricedLabels = unpricedLabels;
    return r;
}

GateResult evaluateGate(const Projection& projection, const Budgets& budgets)
{
    return evaluateGate(
        projection.total.expectedUsd, projection.total.expectedTokens(), budgets, projection.unpricedLabels);
}

} // namespace djp
