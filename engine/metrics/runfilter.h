#pragma once
// Filters of docs/metrics.md. KPIs, charts, tables and exports always describe exactly the filtered set,
// so every front end filters through this one function.
#include "artifact/runrecord.h"
#include "core/vocabulary.h"

#include <QDateTime>
#include <QString>
#include <optional>
#include <vector>

namespace djp {

// What the provider filter matches (docs/metrics.md).
enum class ProviderMatch
{
    PublishedBy, // the model label that published the answer (publish.provider), the legacy meaning
    AnyCall, // the publisher, or any model label with a priced call in the run (provenance.estimated_costs)
};
// Ids of `djp ... --provider-match` and of the app's stored filter.
template <>
inline constexpr std::array<VocabularyEntry<ProviderMatch>, 2> kVocabulary<ProviderMatch> { {
    { ProviderMatch::PublishedBy, QLatin1String("published") },
    { ProviderMatch::AnyCall, QLatin1String("any-call") },
} };

struct RunFilter
{
    // Time window. `lastMs` = length of a window ending at `now` (24 h, 7 d...); nullopt = all time.
    // A custom range (fromMs/toMs, UTC ms, either may be open) replaces `lastMs` when `custom` is set.
    // Relative windows are measured from `now`; calendar choices (custom ranges picked as local dates)
    // are converted to UTC ms by the caller with the user's local time zone.
    std::optional<qint64> lastMs = 7ll * 24 * 3600 * 1000;
    bool custom = false;
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs; // exclusive

    QString preset; // exact match on preset_name; empty = any
    QString provider; // exact model label; empty = any. What it matches: providerMatch
    ProviderMatch providerMatch = ProviderMatch::PublishedBy;
    QString status; // a RunStatus id (or a foreign status as written); empty = any
    bool groundedOnly = false;
    bool redactedOnly = false;
    QString search; // case-insensitive substring of task or trace_name; empty = any

    bool operator==(const RunFilter&) const = default;
};

// Parses a --since value: "24h", "7d", "3w", "90d", "all" (hours are hours). nullopt on error;
// on success *allTime tells "all".
std::optional<qint64> parseSinceWindow(const QString& text, bool* allTime, QString* error = nullptr);

// Whether the run used `label` in the sense of ProviderMatch::AnyCall.
bool runUsedModel(const RunRecord& r, const QString& label);

// Whether one record passes. A record without a timestamp passes only when the filter is all time.
bool matchesFilter(const RunRecord& r, const RunFilter& f, qint64 nowMs);

// Indices into `records` (ascending) of the records that pass.
std::vector<int> filterRuns(const std::vector<RunRecord>& records, const RunFilter& f, qint64 nowMs);

} // namespace djp
