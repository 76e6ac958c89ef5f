#include "core/retrypolicy.h"

#include <QLocale>
#include <QTimeZone>
#include <algorithm>
#include <cmath>

namespace djp {

bool isRetryableHttpStatus(int status)
{
    switch (status) {
    case 408:
    case 409:
    case 425:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return true;
    default:
        return false;
    }
}

int retryDelayMs(const RetryPolicy& policy, int nextAttempt, double jitterUnit, std::optional<int> retryAfterMs)
{
    if (retryAfterMs)
        return std::clamp(*retryAfterMs, 0, policy.maxDelayMs);
    const int exponent = std::max(0, nextAttempt - 2);
    const double base = policy.baseDelayMs * std::pow(policy.multiplier, exponent);
    const double capped = std::min<double>(base, policy.maxDelayMs);
    const double jittered = capped * (1.0 + policy.jitterFraction * std::clamp(jitterUnit, -1.0, 1.0));
    return static_cast<int>(std::lround(std::max(0.0, jittered)));
}

std::optional<int> parseRetryAfterMs(const QByteArray& value, const QDateTime& nowUtc)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qlonglong seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<int>(static_cast<int>(std::min<qlonglong>(seconds, 86400) * 1000));
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::utc());
    const qint64 ms = nowUtc.msecsTo(when);
    return static_cast<int>(std::clamp<qint64>(ms, 0, 86400000));
}

} // namespace djp
