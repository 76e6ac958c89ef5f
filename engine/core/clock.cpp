#include "core/clock.h"

#include "core/log.h"

#include <atomic>
#include <limits>

namespace djp {

namespace {
constexpr qint64 kNotFixed = std::numeric_limits<qint64>::min();
std::atomic<qint64> g_fixedMs { kNotFixed };

// DJP_NOW: an offset added to the wall clock, read once per process.
qint64 environmentOffsetMs()
{
    static const qint64 offset = [] {
        const QByteArray value = qgetenv("DJP_NOW");
        if (value.isEmpty())
            return qint64(0);
        const std::optional<qint64> start = Clock::parseNow(value);
        if (!start) {
            logger("core")->warn("DJP_NOW is neither an ISO 8601 date-time with an offset nor epoch milliseconds; "
                                 "using the system clock");
            return qint64(0);
        }
        return *start - QDateTime::currentMSecsSinceEpoch();
    }();
    return offset;
}
} // namespace

qint64 Clock::nowMs()
{
    const qint64 fixed = g_fixedMs.load(std::memory_order_relaxed);
    if (fixed != kNotFixed)
        return fixed;
    return QDateTime::currentMSecsSinceEpoch() + environmentOffsetMs();
}

void Clock::setFixedMs(qint64 ms)
{
    g_fixedMs.store(ms, std::memory_order_relaxed);
}

void Clock::reset()
{
    g_fixedMs.store(kNotFixed, std::memory_order_relaxed);
}

std::optional<qint64> Clock::parseNow(const QByteArray& value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qint64 ms = v.toLongLong(&isNumber);
    if (isNumber)
        return ms;
    const QDateTime dt = QDateTime::fromString(QString::fromLatin1(v), Qt::ISODateWithMs);
    if (!dt.isValid() || dt.timeSpec() == Qt::LocalTime)
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

} // namespace djp
