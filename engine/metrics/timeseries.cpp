#include "metrics/timeseries.h"

#include <QDateTime>
#include <algorithm>

namespace djp {

namespace {

constexpr qint64 kHourMs = 3600ll * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;

QDate localDate(qint64 utcMs, const QTimeZone& zone)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, zone).date();
}

// Start of the bucket after the one starting at `start`. Days and weeks step in local calendar
// dates (a DST day is 23 or 25 hours long); hours step to the next local hour boundary.
qint64 nextBucketStart(qint64 start, BucketSize size, const QTimeZone& zone)
{
    switch (size) {
    case BucketSize::Hour: {
        const qint64 next = bucketStart(start + kHourMs, size, zone);
        return next > start ? next : start + kHourMs;
    }
    case BucketSize::Day:
        return localDate(start, zone).addDays(1).startOfDay(zone).toMSecsSinceEpoch();
    case BucketSize::Week:
        return localDate(start, zone).addDays(7).startOfDay(zone).toMSecsSinceEpoch();
    }
    return start + kHourMs;
}

} // namespace

BucketSize bucketSizeForSpan(qint64 spanMs)
{
    if (spanMs <= 2 * kDayMs)
        return BucketSize::Hour;
    if (spanMs <= 90 * kDayMs)
        return BucketSize::Day;
    return BucketSize::Week;
}

qint64 bucketStart(qint64 utcMs, BucketSize size, const QTimeZone& zone)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs, zone);
    switch (size) {
    case BucketSize::Hour: {
        // Local hour boundaries: drop the local minutes/seconds of this instant. Works in both
        // passes of a repeated (fall-back) hour and for zones with half-hour offsets.
        const QTime t = local.time();
        return utcMs - (static_cast<qint64>(t.minute()) * 60 + t.second()) * 1000 - t.msec();
    }
    case BucketSize::Day:
        return local.date().startOfDay(zone).toMSecsSinceEpoch();
    case BucketSize::Week: {
        const QDate d = local.date();
        return d.addDays(1 - d.dayOfWeek()).startOfDay(zone).toMSecsSinceEpoch(); // ISO: Monday
    }
    }
    return utcMs;
}

std::vector<TimeBucket> bucketRuns(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, BucketSize size, const QTimeZone& zone)
{
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (!r.hasTimestamp)
            continue;
        first = std::min(first, r.timestampMs);
        last = std::max(last, r.timestampMs);
    }
    std::vector<TimeBucket> buckets;
    if (first > last)
        return buckets;

    for (qint64 start = bucketStart(first, size, zone); start <= last;) {
        const qint64 end = nextBucketStart(start, size, zone);
        TimeBucket b;
        b.startMs = start;
        b.endMs = end;
        buckets.push_back(b);
        start = end;
    }

    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (!r.hasTimestamp)
            continue;
        // The last bucket whose start is <= the timestamp.
        auto it = std::upper_bound(buckets.begin(), buckets.end(), r.timestampMs,
            [](qint64 ms, const TimeBucket& b) { return ms < b.startMs; });
        TimeBucket& b = *(it - 1);
        ++b.runs;
        if (r.status == QLatin1String("published"))
            ++b.published;
        else if (r.status == QLatin1String("advisory_only"))
            ++b.advisory;
        else if (r.status == QLatin1String("none"))
            ++b.none;
        b.cost += r.estCost;
        b.tokens += r.totalTokens;
    }
    return buckets;
}

} // namespace djp
