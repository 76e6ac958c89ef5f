#include "display/displayformat.h"

#include <QLocale>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>

namespace djp {

QString formatMoney(double usd)
{
    const double a = std::abs(usd);
    int decimals = 2;
    if (a > 0 && a < 0.01)
        decimals = 6;
    else if (a > 0 && a < 1)
        decimals = 4;
    QString s = QString::number(a, 'f', decimals);
    // "$0.42" rather than "$0.4200": drop trailing zeros, keeping cents.
    while (s.endsWith(u'0') && s.size() > s.indexOf(u'.') + 3)
        s.chop(1);
    return (usd < 0 ? QStringLiteral("-$") : QStringLiteral("$")) + s;
}

QString formatMoneyFixed(double usd, int decimals)
{
    QString s = QString::number(std::abs(usd), 'f', decimals);
    const bool negative = usd < 0 && s.contains(QRegularExpression(QStringLiteral("[1-9]")));
    return (negative ? QStringLiteral("-$") : QStringLiteral("$")) + s;
}

QString formatUsdOrUnknown(std::optional<double> usd)
{
    return usd ? formatMoney(*usd) : QStringLiteral("unknown");
}

QString formatRate(double rate)
{
    return QString::number(rate * 100.0, 'f', 1) + u'%';
}

QString formatCount(qint64 n)
{
    return QLocale().toString(n);
}

int pluralCount(qint64 n)
{
    return static_cast<int>(std::clamp<qint64>(n, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

QString formatDurationSeconds(double seconds)
{
    if (!std::isfinite(seconds))
        return QStringLiteral("—");
    if (seconds < 1.0)
        return QString::number(std::lround(seconds * 1000.0)) + QStringLiteral(" ms");
    if (seconds < 60.0)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const qint64 total = std::llround(seconds);
    if (total < 3600)
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatLatencyMs(double ms)
{
    return formatDurationSeconds(ms / 1000.0);
}

QString plainTextToolTip(const QString& text)
{
    // <p style='white-space:pre-wrap'> keeps the line breaks and makes QToolTip treat it as rich text, so
    // the escaped content renders literally instead of being interpreted.
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace djp
