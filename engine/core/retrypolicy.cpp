#include "core/retrypolicy.h"

#include <QList>
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
        return std::max(0, *retryAfterMs);
    const int exponent = std::max(0, nextAttempt - 2);
    const double base = policy.baseDelayMs * std::pow(policy.multiplier, exponent);
    // Cap, jitter, cap again: delays at the cap still spread out (downwards) instead of all landing
    // on the same instant, and the jitter never lifts one past the cap.
    const double capped = std::min<double>(base, policy.maxDelayMs);
    const double jittered = capped * (1.0 + policy.jitterFraction * std::clamp(jitterUnit, -1.0, 1.0));
    return static_cast<int>(std::lround(std::clamp<double>(jittered, 0.0, policy.maxDelayMs)));
}

namespace {

int monthNumber(const QByteArray& name)
{
    static const char* const months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    for (int i = 0; i < 12; ++i)
        if (name == months[i])
            return i + 1;
    return 0;
}

bool isDayName(const QByteArray& name, bool full)
{
    static const char* const shortNames[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static const char* const longNames[]
        = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
    for (int i = 0; i < 7; ++i)
        if (name == (full ? longNames[i] : shortNames[i]))
            return true;
    return false;
}

bool allDigits(const QByteArray& s, qsizetype minLen, qsizetype maxLen)
{
    if (s.size() < minLen || s.size() > maxLen)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

QTime parseClock(const QByteArray& s)
{
    const QList<QByteArray> p = s.split(':');
    if (p.size() != 3 || !allDigits(p[0], 2, 2) || !allDigits(p[1], 2, 2) || !allDigits(p[2], 2, 2))
        return {};
    return QTime(p[0].toInt(), p[1].toInt(), p[2].toInt());
}

QDateTime utcDateTime(int year, int month, int day, const QTime& time)
{
    const QDate date(year, month, day);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, QTimeZone::utc());
}

} // namespace

QDateTime parseHttpDate(const QByteArray& value, const QDateTime& nowUtc)
{
    const QByteArray v = value.trimmed();
    const qsizetype comma = v.indexOf(',');
    if (comma > 0) {
        const QByteArray dayName = v.left(comma);
        const QList<QByteArray> rest = v.mid(comma + 1).simplified().split(' ');
        if (rest.size() != 3 && rest.size() != 5)
            return {};
        if (rest.size() == 5) { // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            if (!isDayName(dayName, false) || rest[4] != "GMT" || !allDigits(rest[0], 2, 2)
                || !allDigits(rest[2], 4, 4))
                return {};
            const int month = monthNumber(rest[1]);
            return month ? utcDateTime(rest[2].toInt(), month, rest[0].toInt(), parseClock(rest[3])) : QDateTime();
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        const QList<QByteArray> dmy = rest[0].split('-');
        if (!isDayName(dayName, true) || rest[2] != "GMT" || dmy.size() != 3 || !allDigits(dmy[0], 2, 2)
            || !allDigits(dmy[2], 2, 2))
            return {};
        const int month = monthNumber(dmy[1]);
        if (!month)
            return {};
        // Two-digit year: the century that puts it no more than 50 years after now.
        const int nowYear = nowUtc.isValid() ? nowUtc.date().year() : 2000;
        int year = (nowYear / 100) * 100 + dmy[2].toInt();
        if (year > nowYear + 50)
            year -= 100;
        else if (year < nowYear - 50)
            year += 100;
        return utcDateTime(year, month, dmy[0].toInt(), parseClock(rest[1]));
    }
    // asctime: Sun Nov  6 08:49:37 1994 (the day is space-padded)
    const QList<QByteArray> p = v.simplified().split(' ');
    if (p.size() != 5 || !isDayName(p[0], false) || !allDigits(p[2], 1, 2) || !allDigits(p[4], 4, 4))
        return {};
    const int month = monthNumber(p[1]);
    return month ? utcDateTime(p[4].toInt(), month, p[2].toInt(), parseClock(p[3])) : QDateTime();
}

std::optional<int> parseRetryAfterMs(const QByteArray& value, const QDateTime& nowUtc)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    if (allDigits(v, 1, 64)) {
        bool ok = false;
        const qulonglong seconds = v.toULongLong(&ok);
        return static_cast<int>(std::min<qulonglong>(ok ? seconds : 86400, 86400) * 1000);
    }
    const QDateTime when = parseHttpDate(v, nowUtc);
    if (!when.isValid())
        return std::nullopt;
    const qint64 ms = nowUtc.msecsTo(when);
    return static_cast<int>(std::clamp<qint64>(ms, 0, 86400000));
}

} // namespace djp
