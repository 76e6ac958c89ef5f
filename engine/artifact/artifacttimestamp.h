#pragma once
// Run timestamps (docs/artifact-format.md): ISO 8601 with an offset or "Z", or a naive local time as
// legacy artifacts wrote it, to UTC milliseconds plus the offset it was written with. Used by the
// artifact scanner for every file of a load and by the schema validator, so both agree on which
// timestamps are real times.
#include <QDate>
#include <QDateTime>
#include <QTime>
#include <cstddef>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace djp {

// Timestamps: ISO 8601 with offset ("2026-11-28T10:00:00+01:00", "...Z") or naive local time
// (legacy). Returns false when unparseable.
bool parseArtifactTimestamp(std::string_view text, qint64& utcMs, qint32& offsetSeconds);

// Naive (legacy) timestamps need the machine's UTC offset at that local time. Asking the C library
// for every file costs a global lock (tzset) and a stat of /etc/localtime each time, which on a
// legacy folder was a futex and several syscalls per file on the bulk path. When no offset change
// happens within three hours of a local day or hour (more than any zone's DST step), every time in
// it exists exactly once and has the same offset, so the answer is remembered per local day (or
// per hour on a day with a transition). Hours near a transition (gaps, repeated hours) are asked
// every time, as before. One cache per scanner, i.e. per load: a changed time zone is seen by the
// next load.
class LocalOffsetCache
{
public:
    // The UTC offset for a naive local time, when the hour holding it is far from any transition.
    std::optional<qint32> offsetAt(qint64 localMs)
    {
        // Most days have no transition at all: one answer for the whole day, three conversions.
        const qint64 day = floorDiv(localMs, kDayMs);
        if (day != m_lastDay) {
            const auto found = m_days.find(day);
            qint32 offset = kNoOffset;
            if (found != m_days.end()) {
                offset = found->second;
            } else {
                if (!steadyFrom(day * kDayMs, kDayMs, offset))
                    offset = kNoOffset;
                if (m_days.size() < kMaxHours)
                    m_days.emplace(day, offset);
            }
            m_lastDay = day;
            m_lastDayOffset = offset;
        }
        if (m_lastDayOffset != kNoOffset)
            return m_lastDayOffset;
        const qint64 hour = floorDiv(localMs, kHourMs);
        if (hour == m_lastHour) // runs come in bursts: the previous file's hour is the usual answer
            return m_lastOffset;
        const auto it = m_hours.find(hour);
        if (it != m_hours.end()) {
            if (it->second == kNoOffset)
                return std::nullopt;
            m_lastHour = hour, m_lastOffset = it->second;
            return it->second;
        }
        qint32 offset = 0;
        const bool steady = steadyFrom(hour * kHourMs, kHourMs, offset);
        if (m_hours.size() < kMaxHours)
            m_hours.emplace(hour, steady ? offset : kNoOffset);
        if (steady)
            m_lastHour = hour, m_lastOffset = offset;
        return steady ? std::optional<qint32>(offset) : std::nullopt;
    }

private:
    static constexpr qint64 kHourMs = 3600 * 1000;
    static constexpr qint64 kMarginMs = 3 * kHourMs;
    static constexpr qint32 kNoOffset = std::numeric_limits<qint32>::min();
    static constexpr std::size_t kMaxHours = 1 << 20;

    static constexpr qint64 kDayMs = 24 * kHourMs;

    // True when the local span [start, start + length) lies three hours or more from any offset
    // change (so each of its times exists once), with `offset` its offset.
    static bool steadyFrom(qint64 start, qint64 length, qint32& offset)
    {
        if (!localOffset(start, offset))
            return false;
        const qint64 utcStart = start - qint64(offset) * 1000;
        return utcOffset(utcStart - kMarginMs) == offset && utcOffset(utcStart + length + kMarginMs) == offset;
    }
    static qint64 floorDiv(qint64 a, qint64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
    // The offset Qt gives this local time, when the time exists as written.
    static bool localOffset(qint64 localMs, qint32& offset)
    {
        const qint64 days = floorDiv(localMs, 86400000);
        const QDate date = QDate(1970, 1, 1).addDays(days);
        const QTime time = QTime::fromMSecsSinceStartOfDay(int(localMs - days * 86400000));
        const QDateTime local(date, time, Qt::LocalTime);
        if (!local.isValid() || local.date() != date || local.time() != time)
            return false;
        offset = local.offsetFromUtc();
        return local.toMSecsSinceEpoch() == localMs - qint64(offset) * 1000;
    }
    // The offset in force at a UTC instant (never ambiguous).
    static qint32 utcOffset(qint64 utcMs)
    {
        return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::LocalTime).offsetFromUtc();
    }

    std::unordered_map<qint64, qint32> m_days;
    qint64 m_lastDay = std::numeric_limits<qint64>::min();
    qint32 m_lastDayOffset = kNoOffset;
    std::unordered_map<qint64, qint32> m_hours;
    qint64 m_lastHour = std::numeric_limits<qint64>::min();
    qint32 m_lastOffset = 0;
};

// parseArtifactTimestamp, with the offsets of naive local times taken from `cache` where it knows
// them (nullptr: the C library is asked every time). The scanner keeps one cache per load.
bool parseTimestampCached(std::string_view text, qint64& utcMs, qint32& offsetSeconds, LocalOffsetCache* cache);

} // namespace djp
