#include "pricing/money.h"

#include <algorithm>
#include <cmath>

namespace djp {

namespace {

constexpr int kMinDecimals = 4;
constexpr int kMaxDecimals = 10;

int decimalsFor(double usd)
{
    const double a = std::fabs(usd);
    if (a == 0.0 || a >= 0.0001 || !std::isfinite(a))
        return kMinDecimals;
    // Two significant digits: 0.000012 -> floor(log10) = -5 -> 6 decimals.
    return std::clamp(1 - static_cast<int>(std::floor(std::log10(a))), kMinDecimals, kMaxDecimals);
}

QString withDecimals(double usd, int decimals)
{
    if (!std::isfinite(usd))
        return QStringLiteral("$unknown");
    return QLatin1Char('$') + QString::number(usd, 'f', decimals);
}

} // namespace

QString formatUsd(double usd)
{
    return withDecimals(usd, decimalsFor(usd));
}

std::pair<QString, QString> formatUsdCommon(double a, double b)
{
    const int d = std::max(decimalsFor(a), decimalsFor(b));
    return { withDecimals(a, d), withDecimals(b, d) };
}

std::pair<QString, QString> formatUsdDistinct(double a, double b)
{
    const int base = std::max(decimalsFor(a), decimalsFor(b));
    if (a != b) {
        for (int d = base; d <= kMaxDecimals; ++d) {
            QString fa = withDecimals(a, d), fb = withDecimals(b, d);
            if (fa != fb)
                return { fa, fb };
        }
    }
    // Equal, or different only beyond 10 decimals: the common precision reads best.
    return formatUsdCommon(a, b);
}

} // namespace djp
