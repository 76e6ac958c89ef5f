#include "metrics/exactsum.h"

#include <QByteArray>
#include <charconv>
#include <cmath>
#include <utility>

namespace djp {

void ExactSum::add(double x)
{
    size_t i = 0;
    for (size_t j = 0; j < m_partials.size(); ++j) {
        double y = m_partials[j];
        if (std::fabs(x) < std::fabs(y))
            std::swap(x, y);
        const double hi = x + y;
        const double lo = y - (hi - x);
        if (lo != 0.0)
            m_partials[i++] = lo;
        x = hi;
    }
    m_partials.resize(i);
    m_partials.push_back(x);
}

double ExactSum::value() const
{
    // Python's fsum: add the partials from the top until the sum becomes inexact, then correct a
    // half-way case so the result is rounded to nearest, ties to even, exactly once.
    size_t n = m_partials.size();
    if (n == 0)
        return 0.0;
    double hi = m_partials[--n];
    double lo = 0.0;
    while (n > 0) {
        const double x = hi;
        const double y = m_partials[--n];
        hi = x + y;
        const double yr = hi - x;
        lo = y - yr;
        if (lo != 0.0)
            break;
    }
    if (n > 0 && ((lo < 0.0 && m_partials[n - 1] < 0.0) || (lo > 0.0 && m_partials[n - 1] > 0.0))) {
        const double y = lo * 2.0;
        const double x = hi + y;
        const double yr = x - hi;
        if (y == yr)
            hi = x;
    }
    return hi;
}

QByteArray exactDecimal(double v)
{
    if (!std::isfinite(v) || v == 0.0)
        return QByteArrayLiteral("0");
    int exponent = 0;
    std::frexp(v, &exponent); // v = f * 2^exponent, 0.5 <= |f| < 1, 53 significant bits
    const int fractionDigits = std::max(0, 53 - exponent);
    // Up to 309 integer digits and 1074 fraction digits for the smallest subnormal.
    char buffer[1500];
    const auto r = std::to_chars(buffer, buffer + sizeof(buffer), v, std::chars_format::fixed, fractionDigits);
    if (r.ec != std::errc())
        return QByteArrayLiteral("0");
    QByteArray text(buffer, static_cast<qsizetype>(r.ptr - buffer));
    if (text.contains('.')) {
        while (text.endsWith('0'))
            text.chop(1);
        if (text.endsWith('.'))
            text.chop(1);
    }
    return text;
}

} // namespace djp
