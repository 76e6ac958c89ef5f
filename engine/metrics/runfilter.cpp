#include "metrics/runfilter.h"

#include <algorithm>

#include <QStringMatcher>

namespace djp {

namespace {

constexpr qint64 kHourMs = 3600ll * 1000;

// The time part of a filter, resolved once per filterRuns() call rather than per record.
struct TimeWindow
{
    bool allTime = true;
    qint64 fromMs = std::numeric_limits<qint64>::min(); // inclusive
    qint64 toMs = std::numeric_limits<qint64>::max(); // inclusive bound for relative windows
    bool toExclusive = false;

    bool contains(qint64 ms) const { return ms >= fromMs && (toExclusive ? ms < toMs : ms <= toMs); }
};

TimeWindow resolveWindow(const RunFilter& f, qint64 nowMs)
{
    TimeWindow w;
    if (f.custom) {
        // A custom range with both ends open is "all time" (missing timestamps pass).
        w.allTime = !f.fromMs && !f.toMs;
        if (f.fromMs)
            w.fromMs = *f.fromMs;
        if (f.toMs) {
            w.toMs = *f.toMs;
            w.toExclusive = true;
        }
    } else if (f.lastMs) {
        // Relative windows end at now: [now - last, now].
        w.allTime = false;
        w.fromMs = nowMs - *f.lastMs;
        w.toMs = nowMs;
    }
    return w;
}

// Everything but the free-text search; cheap comparisons only, no allocation.
bool matchesExceptSearch(const RunRecord& r, const RunFilter& f, const TimeWindow& w)
{
    if (!w.allTime && (!r.hasTimestamp || !w.contains(r.timestampMs)))
        return false;
    if (!f.preset.isEmpty() && r.presetName != f.preset)
        return false;
    if (!f.provider.isEmpty()) {
        if (f.providerMatch == ProviderMatch::AnyCall ? !runUsedModel(r, f.provider) : r.provider != f.provider)
            return false;
    }
    if (!f.status.isEmpty() && r.status != f.status)
        return false;
    if (f.groundedOnly && !r.grounded)
        return false;
    if (f.redactedOnly && !r.redacted)
        return false;
    return true;
}

} // namespace

bool runUsedModel(const RunRecord& r, const QString& label)
{
    // The per-model cost list names every model whose calls were priced; the team database keeps the
    // same list (cost_labels), so folder and database agree. A model whose every call was unpriced is
    // not in it: its cost is unknown, so it is not listed there (docs/metrics.md).
    if (r.provider == label)
        return true;
    return std::any_of(
        r.costByLabel.begin(), r.costByLabel.end(), [&](const auto& entry) { return entry.first == label; });
}

std::optional<qint64> parseSinceWindow(const QString& text, bool* allTime, QString* error)
{
    const QString t = text.trimmed().toLower();
    if (allTime)
        *allTime = false;
    if (t == QLatin1String("all")) {
        if (allTime)
            *allTime = true;
        return 0;
    }
    const auto fail = [&](const QString& why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (t.size() < 2)
        return fail(QStringLiteral("invalid window '%1': expected Nh, Nd, Nw or all").arg(text));
    const QChar unit = t.back();
    qint64 unitMs = 0;
    if (unit == QLatin1Char('h'))
        unitMs = kHourMs;
    else if (unit == QLatin1Char('d'))
        unitMs = 24 * kHourMs;
    else if (unit == QLatin1Char('w'))
        unitMs = 7 * 24 * kHourMs;
    else
        return fail(QStringLiteral("invalid window '%1': unit must be h, d or w").arg(text));
    const QStringView digits = QStringView(t).chopped(1);
    for (QChar c : digits) {
        if (!c.isDigit() || c.unicode() > 127)
            return fail(
                QStringLiteral("invalid window '%1': expected a positive whole number before the unit").arg(text));
    }
    bool ok = false;
    const qint64 n = digits.toLongLong(&ok);
    // 100 years is plenty and keeps the product far from overflow.
    if (!ok || n <= 0 || n * unitMs > 100ll * 366 * 24 * kHourMs)
        return fail(QStringLiteral("invalid window '%1': out of range").arg(text));
    return n * unitMs;
}

bool matchesFilter(const RunRecord& r, const RunFilter& f, qint64 nowMs)
{
    if (!matchesExceptSearch(r, f, resolveWindow(f, nowMs)))
        return false;
    return f.search.isEmpty() || r.task.contains(f.search, Qt::CaseInsensitive)
        || r.traceName.contains(f.search, Qt::CaseInsensitive);
}

std::vector<int> filterRuns(const std::vector<RunRecord>& records, const RunFilter& f, qint64 nowMs)
{
    const TimeWindow window = resolveWindow(f, nowMs);
    // One matcher for the whole pass: the case-folded pattern table is built once, not per record.
    const bool search = !f.search.isEmpty();
    const QStringMatcher matcher(f.search, Qt::CaseInsensitive);
    std::vector<int> result;
    result.reserve(records.size());
    const int n = static_cast<int>(records.size());
    for (int i = 0; i < n; ++i) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (!matchesExceptSearch(r, f, window))
            continue;
        if (search && matcher.indexIn(r.task) < 0 && matcher.indexIn(r.traceName) < 0)
            continue;
        result.push_back(i);
    }
    return result;
}

} // namespace djp
