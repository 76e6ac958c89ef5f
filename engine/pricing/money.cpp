#include "pricing/money.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

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

// ---- exact money ---------------------------------------------------------------------------------

double nanoToUsd(NanoUsd n)
{
    return static_cast<double>(n) / 1e9;
}

std::string shortestDecimal(double v)
{
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::optional<qint64> scaleDecimal(std::string_view text, int scale, bool roundUp)
{
    using U = unsigned __int128;
    constexpr int kMaxDigits = 36; // 10^36 < 2^128: the mantissa cannot overflow
    std::size_t i = 0;
    if (i < text.size() && text[i] == '+')
        ++i;
    U mantissa = 0;
    int digits = 0; // significant digits kept in mantissa
    int exponent = 0; // decimal exponent adjustment from the fraction
    bool sawDigit = false, sticky = false; // sticky: a non-zero digit was dropped beyond kMaxDigits
    auto takeDigit = [&](char c, bool fraction) {
        sawDigit = true;
        const int d = c - '0';
        if (digits == 0 && d == 0) {
            if (fraction)
                --exponent;
            return;
        }
        if (digits < kMaxDigits) {
            mantissa = mantissa * 10 + static_cast<unsigned>(d);
            ++digits;
            if (fraction)
                --exponent;
        } else {
            sticky = sticky || d != 0;
            if (!fraction)
                ++exponent;
        }
    };
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        takeDigit(text[i], false);
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
            takeDigit(text[i], true);
    }
    if (!sawDigit)
        return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            negative = text[i++] == '-';
        int e = 0;
        bool expDigit = false;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            expDigit = true;
            e = std::min(e * 10 + (text[i] - '0'), 100000);
        }
        if (!expDigit)
            return std::nullopt;
        exponent += negative ? -e : e;
    }
    if (i != text.size())
        return std::nullopt;
    if (mantissa == 0)
        return (sticky && roundUp) ? std::optional<qint64>(1) : std::optional<qint64>(0);
    const long long e10 = static_cast<long long>(exponent) + scale;
    constexpr U kMax = static_cast<U>(std::numeric_limits<qint64>::max());
    if (e10 >= 0) {
        if (e10 + digits > 19)
            return std::nullopt;
        U v = mantissa;
        for (long long k = 0; k < e10; ++k)
            v *= 10;
        if (v > kMax || (v == kMax && sticky && roundUp))
            return std::nullopt;
        return static_cast<qint64>(v + ((sticky && roundUp) ? 1 : 0));
    }
    const long long drop = -e10;
    if (drop > kMaxDigits + 1) // 10^drop exceeds any mantissa: the value is below 1 unit
        return roundUp ? 1 : 0;
    U pow = 1;
    for (long long k = 0; k < drop; ++k)
        pow *= 10;
    U q = mantissa / pow;
    const bool remainder = (mantissa % pow) != 0 || sticky;
    if (roundUp && remainder)
        ++q;
    if (q > kMax)
        return std::nullopt;
    return static_cast<qint64>(q);
}

namespace {

NanoUsd usdToNano(double usd, bool roundUp)
{
    if (std::isnan(usd) || usd <= 0.0)
        return 0;
    if (!std::isfinite(usd) || usd >= 1e9)
        return kNanoUsdSaturation;
    return scaleDecimal(shortestDecimal(usd), 9, roundUp).value_or(kNanoUsdSaturation);
}

} // namespace

NanoUsd usdToNanoCeil(double usd)
{
    return usdToNano(usd, true);
}

NanoUsd usdToNanoFloor(double usd)
{
    return usdToNano(usd, false);
}

NanoUsd saturatingAddNano(NanoUsd a, NanoUsd b)
{
    const NanoUsd s = a + b; // both below 2^62 in practice; clamp the result
    if (s >= kNanoUsdSaturation || (a > 0 && b > 0 && s < 0))
        return kNanoUsdSaturation;
    return s < 0 ? 0 : s;
}

QString nanoToDecimal(NanoUsd n)
{
    const bool negative = n < 0;
    const unsigned long long a
        = negative ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
    const unsigned long long whole = a / 1'000'000'000ULL;
    unsigned long long frac = a % 1'000'000'000ULL;
    QString s = (negative ? QStringLiteral("-") : QString()) + QString::number(whole);
    if (frac != 0) {
        QString f = QString::number(frac).rightJustified(9, QLatin1Char('0'));
        while (f.endsWith(QLatin1Char('0')))
            f.chop(1);
        s += QLatin1Char('.') + f;
    }
    return s;
}

} // namespace djp
