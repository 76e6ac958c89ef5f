#pragma once
// Time-bucketed series for the dashboard charts: buckets aligned to the user's local time
// (hour / day / ISO week starting Monday), sized to fit the range shown.
#include "artifact/runrecord.h"

#include <QTimeZone>
#include <vector>

namespace djp {

enum class BucketSize
{
    Hour,
    Day,
    Week
};

// <= 2 days: hours; <= 90 days: days; else weeks.
BucketSize bucketSizeForSpan(qint64 spanMs);

struct TimeBucket
{
    qint64 startMs = 0; // UTC ms of the bucket's local start
    qint64 endMs = 0; // exclusive
    int runs = 0;
    int published = 0;
    int advisory = 0;
    int none = 0;
    double cost = 0.0; // exact sum rounded once (metrics/exactsum.h), like the KPI sums
    qint64 tokens = 0;
};

// Buckets from the first to the last timestamped run of the set (empty buckets included, so the
// series is continuous); runs without a timestamp are left out. `zone` defaults to the system zone.
std::vector<TimeBucket> bucketRuns(const std::vector<RunRecord>& records, const std::vector<int>& indices,
    BucketSize size, const QTimeZone& zone = QTimeZone::systemTimeZone());

// Starts (UTC ms) of the consecutive local buckets from the one containing firstMs to the one
// containing lastMs; each bucket ends where the next starts (the last ends at lastBucketEnd).
std::vector<qint64> bucketStarts(
    qint64 firstMs, qint64 lastMs, BucketSize size, const QTimeZone& zone, qint64* lastBucketEnd = nullptr);

// Start (UTC ms) of the local bucket containing `utcMs`.
qint64 bucketStart(qint64 utcMs, BucketSize size, const QTimeZone& zone);

} // namespace djp
