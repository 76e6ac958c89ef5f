#pragma once
// What the filter sidebar shows, as a plain value: the user's choices in the user's terms (a named
// time range, local date-times). toRunFilter() turns it into the engine's RunFilter (UTC ms); the
// matching itself is the engine's (djp::filterRuns), never done here.
#include "metrics/runfilter.h"

#include <QDateTime>
#include <QString>
#include <optional>

namespace djp {

enum class TimeRange
{
    Last24h,
    Last7d,
    Last30d,
    Last90d,
    All,
    Custom
};

// Stable keys for settings and command lines: "24h", "7d", "30d", "90d", "all", "custom".
QString timeRangeKey(TimeRange range);
std::optional<TimeRange> timeRangeFromKey(const QString& key);

struct FilterState
{
    TimeRange range = TimeRange::Last7d; // docs/metrics.md default
    // Custom range in LOCAL time, [from, to); an invalid QDateTime leaves that end open.
    QDateTime customFrom;
    QDateTime customTo;
    QString preset; // empty = any
    QString provider; // empty = any
    bool providerAnyCall = false; // provider matches any call's model, not only the publisher
    QString status; // empty = any
    bool groundedOnly = false;
    bool redactedOnly = false;
    QString search;

    RunFilter toRunFilter() const;
    // Length of the chosen window for chart bucketing; nullopt when the range is open ("all", or a
    // custom range with an open end) and the data's own extent decides.
    std::optional<qint64> windowSpanMs() const;

    bool operator==(const FilterState&) const = default;
};

} // namespace djp
