#include "filterstate.h"

namespace djp {

namespace {
constexpr qint64 kHourMs = 3600ll * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
} // namespace

QString timeRangeKey(TimeRange range)
{
    switch (range) {
    case TimeRange::Last24h:
        return QStringLiteral("24h");
    case TimeRange::Last7d:
        return QStringLiteral("7d");
    case TimeRange::Last30d:
        return QStringLiteral("30d");
    case TimeRange::Last90d:
        return QStringLiteral("90d");
    case TimeRange::All:
        return QStringLiteral("all");
    case TimeRange::Custom:
        return QStringLiteral("custom");
    }
    return QStringLiteral("7d");
}

std::optional<TimeRange> timeRangeFromKey(const QString& key)
{
    for (TimeRange r : { TimeRange::Last24h, TimeRange::Last7d, TimeRange::Last30d, TimeRange::Last90d, TimeRange::All,
             TimeRange::Custom }) {
        if (timeRangeKey(r) == key)
            return r;
    }
    return std::nullopt;
}

RunFilter FilterState::toRunFilter() const
{
    RunFilter f;
    switch (range) {
    case TimeRange::Last24h:
        f.lastMs = kDayMs;
        break;
    case TimeRange::Last7d:
        f.lastMs = 7 * kDayMs;
        break;
    case TimeRange::Last30d:
        f.lastMs = 30 * kDayMs;
        break;
    case TimeRange::Last90d:
        f.lastMs = 90 * kDayMs;
        break;
    case TimeRange::All:
        f.lastMs.reset();
        break;
    case TimeRange::Custom:
        f.lastMs.reset();
        f.custom = true;
        // QDateTime carries its zone (local for what the date editors give us), so this is the
        // local-to-UTC conversion, DST included.
        if (customFrom.isValid())
            f.fromMs = customFrom.toMSecsSinceEpoch();
        if (customTo.isValid())
            f.toMs = customTo.toMSecsSinceEpoch();
        break;
    }
    f.preset = preset;
    f.provider = provider;
    f.providerMatch = providerAnyCall ? ProviderMatch::AnyCall : ProviderMatch::PublishedBy;
    f.status = status;
    f.groundedOnly = groundedOnly;
    f.redactedOnly = redactedOnly;
    f.search = search.trimmed();
    return f;
}

std::optional<qint64> FilterState::windowSpanMs() const
{
    const RunFilter f = toRunFilter();
    if (f.custom) {
        if (f.fromMs && f.toMs && *f.toMs > *f.fromMs)
            return *f.toMs - *f.fromMs;
        return std::nullopt;
    }
    return f.lastMs;
}

} // namespace djp
