#include "metrics/timeseries.h"

#include "metrics/exactsum.h"

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

std::vector<qint64> bucketStarts(
    qint64 firstMs, qint64 lastMs, BucketSize size, const QTimeZone& zone, qint64* lastBucketEnd)
{
    std::vector<qint64> starts;
    qint64 end = 0;
    for (qint64 start = bucketStart(firstMs, size, zone); start <= lastMs;) {
        end = nextBucketStart(start, size, zone);
        starts.push_back(start);
        start = end;
    }
    if (lastBucketEnd)
        *lastBucketEnd = end;
    return starts;
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

    qint64 lastEnd = 0;
    const std::vector<qint64> starts = bucketStarts(first, last, size, zone, &lastEnd);
    for (size_t i = 0; i < starts.size(); ++i) {
        TimeBucket b;
        b.startMs = starts[i];
        b.endMs = i + 1 < starts.size() ? starts[i + 1] : lastEnd;
        buckets.push_back(b);
    }
    std::vector<ExactSum> costs(buckets.size());

    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (!r.hasTimestamp)
            continue;
        // The last bucket whose start is <= the timestamp.
        auto it = std::upper_bound(buckets.begin(), buckets.end(), r.timestampMs,
            [](qint64 ms, const TimeBucket& b) { return ms < b.startMs; });
        TimeBucket& b = *(it - 1);
        costs[static_cast<size_t>(it - 1 - buckets.begin())].add(r.estCost);
        ++b.runs;
        const std::optional<RunStatus> status = r.runStatus(); // a foreign status counts only in runs
        if (status == RunStatus::Published)
            ++b.published;
        else if (status == RunStatus::AdvisoryOnly)
            ++b.advisory;
        else if (status == RunStatus::None)
            ++b.none;
        b.tokens += r.totalTokens;
    }
    for (size_t i = 0; i < buckets.size(); ++i)
        buckets[i].cost = costs[i].value();
    return buckets;
}

} // namespace djp
