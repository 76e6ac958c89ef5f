#include "team/teamquery.h"

#include "team/teamschema.h"

#include <QDateTime>
#include <QSet>
#include <algorithm>
#include <map>
#include <set>

namespace djp {

namespace {

QByteArray isoUtc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

QString param(std::vector<std::optional<QByteArray>>& params, const QByteArray& value)
{
    params.emplace_back(value);
    return QStringLiteral("$%1").arg(params.size());
}

} // namespace

namespace {

// The filters a rollup row can answer: preset, publishing provider, status, grounded, redacted.
void addDimsSql(const RunFilter& f, const QString& a, std::vector<std::optional<QByteArray>>& params,
    QStringList& where, bool statusOnly = false)
{
    if (!statusOnly && !f.preset.isEmpty())
        where << a + QStringLiteral("preset_name = ") + param(params, f.preset.toUtf8());
    if (!statusOnly && !f.provider.isEmpty()) {
        const QString p = param(params, f.provider.toUtf8());
        if (f.providerMatch == ProviderMatch::AnyCall) // runUsedModel(): the publisher or a priced label
            where << QStringLiteral("(%1provider = %2 OR %2 = ANY(%1cost_labels))").arg(a, p);
        else
            where << a + QStringLiteral("provider = ") + p;
    }
    if (!f.status.isEmpty())
        where << a + QStringLiteral("status = ") + param(params, f.status.toUtf8());
    if (!statusOnly && f.groundedOnly)
        where << a + QStringLiteral("grounded");
    if (!statusOnly && f.redactedOnly)
        where << a + QStringLiteral("redacted");
}

// The filter's time window as [lower, upper]: lower inclusive; upper inclusive for relative windows and
// exclusive for custom ranges (the folder filter's rules). Neither bound: all time, undated runs included.
struct Window
{
    std::optional<qint64> lowerMs;
    std::optional<qint64> upperMs;
    bool allTime() const { return !lowerMs && !upperMs; }
};

Window filterWindow(const RunFilter& f, qint64 nowMs)
{
    Window w;
    if (f.custom) {
        w.lowerMs = f.fromMs;
        w.upperMs = f.toMs;
    } else if (f.lastMs) {
        w.lowerMs = nowMs - *f.lastMs;
        w.upperMs = nowMs;
    }
    return w;
}

qint64 floorUtcMonth(qint64 ms)
{
    const QDate d = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date();
    return QDateTime(QDate(d.year(), d.month(), 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

qint64 ceilUtcMonth(qint64 ms)
{
    const qint64 floor = floorUtcMonth(ms);
    return floor == ms ? ms : QDateTime::fromMSecsSinceEpoch(floor, Qt::UTC).addMonths(1).toMSecsSinceEpoch();
}

qint64 floorUtcHour(qint64 ms)
{
    constexpr qint64 kHour = 3600000;
    return ms - ((ms % kHour) + kHour) % kHour;
}

qint64 ceilUtcHour(qint64 ms)
{
    const qint64 floor = floorUtcHour(ms);
    return floor == ms ? ms : floor + 3600000;
}

// How one question splits between a rollup and the runs table: whole rollup periods (months or hours)
// inside the window come from the rollup (`rollup`, over alias "u"), the rest of the window from the
// runs (`raw`, over alias "r"). Filters a rollup cannot answer (search, any-call provider, or more
// than the status for the hourly rollup) send everything to the runs table.
struct Split
{
    QString rollup = QStringLiteral("FALSE");
    QString raw = QStringLiteral("FALSE");
    bool allTime = false; // the rollup part is all time: tables without a period can answer it
};

Split splitFilter(const RunFilter& f, qint64 nowMs, std::vector<std::optional<QByteArray>>& params, bool hourly)
{
    Split s;
    // Built only where it is used: every parameter must be referenced by the statement.
    const auto full = [&] { return teamFilterSql(f, nowMs, QStringLiteral("r"), params); };
    const bool dimsOnly = f.search.isEmpty() && (f.provider.isEmpty() || f.providerMatch != ProviderMatch::AnyCall);
    const bool statusOnly = f.preset.isEmpty() && f.provider.isEmpty() && !f.groundedOnly && !f.redactedOnly;
    if (!dimsOnly || (hourly && !statusOnly)) {
        s.raw = full();
        return s;
    }
    const Window w = filterWindow(f, nowMs);
    const QString period = hourly ? QStringLiteral("u.hour") : QStringLiteral("u.month");
    QStringList roll;
    if (w.allTime()) {
        addDimsSql(f, QStringLiteral("u."), params, roll, hourly);
        s.rollup = roll.isEmpty() ? QStringLiteral("TRUE") : roll.join(QStringLiteral(" AND "));
        s.allTime = true;
        return s;
    }
    std::optional<qint64> from, to; // whole periods [from, to)
    if (w.lowerMs)
        from = hourly ? ceilUtcHour(*w.lowerMs) : ceilUtcMonth(*w.lowerMs);
    if (w.upperMs)
        to = hourly ? floorUtcHour(*w.upperMs) : floorUtcMonth(*w.upperMs);
    if (from && to && *from >= *to) {
        s.raw = full();
        return s;
    }
    addDimsSql(f, QStringLiteral("u."), params, roll, hourly);
    QStringList inPeriods; // over run_at: the rows the rollup part already counts
    if (from) {
        const QString p = param(params, isoUtc(*from));
        roll << period + QStringLiteral(" >= ") + p + QStringLiteral("::timestamptz");
        inPeriods << QStringLiteral("r.run_at >= ") + p + QStringLiteral("::timestamptz");
    } else {
        roll << period + QStringLiteral(" > '-infinity'"); // undated runs are outside every window
    }
    if (to) {
        const QString p = param(params, isoUtc(*to));
        roll << period + QStringLiteral(" < ") + p + QStringLiteral("::timestamptz");
        inPeriods << QStringLiteral("r.run_at < ") + p + QStringLiteral("::timestamptz");
    }
    s.rollup = roll.join(QStringLiteral(" AND "));
    s.raw = QStringLiteral("(%1) AND NOT (%2)").arg(full(), inPeriods.join(QStringLiteral(" AND ")));
    return s;
}

} // namespace

QString teamFilterSql(
    const RunFilter& f, qint64 nowMs, const QString& alias, std::vector<std::optional<QByteArray>>& params)
{
    QStringList where;
    const QString a = alias + QLatin1Char('.');
    // The same windows as the folder filter: relative ones are [now - last, now] inclusive; custom
    // ranges are [from, to) and, with both ends open, all time (undated runs included).
    if (f.custom) {
        if (f.fromMs)
            where << a + QStringLiteral("run_at >= ") + param(params, isoUtc(*f.fromMs))
                    + QStringLiteral("::timestamptz");
        if (f.toMs)
            where << a + QStringLiteral("run_at < ") + param(params, isoUtc(*f.toMs)) + QStringLiteral("::timestamptz");
    } else if (f.lastMs) {
        where << a + QStringLiteral("run_at >= ") + param(params, isoUtc(nowMs - *f.lastMs))
                + QStringLiteral("::timestamptz");
        where << a + QStringLiteral("run_at <= ") + param(params, isoUtc(nowMs)) + QStringLiteral("::timestamptz");
    }
    addDimsSql(f, a, params, where);
    if (!f.search.isEmpty()) {
        // Both sides case-folded by Qt (the client), so matching does not depend on the server's locale.
        const QString p = param(params, f.search.toCaseFolded().toUtf8());
        where << QStringLiteral("(strpos(%1task_folded, %2) > 0 OR strpos(%1trace_folded, %2) > 0)").arg(a, p);
    }
    return where.isEmpty() ? QStringLiteral("TRUE") : where.join(QStringLiteral(" AND "));
}

bool teamKpiAggregates(
    PgConnection& conn, const RunFilter& filter, qint64 nowMs, KpiAggregates* out, qint64* totalRuns, DbError* error)
{
    if (!requireTeamSchema(conn, error))
        return false;
    // The quantiles of the duration KPIs, the same doubles as aggregateKpis() passes to percentileLinear().
    constexpr double kQuantiles[] = { 0.50, 0.95 };
    std::vector<std::optional<QByteArray>> params;
    const Split split = splitFilter(filter, nowMs, params, false);
    // One statement (docs/team-history.md, "Reading" and "Rollups"). The runs table is read once
    // (`raw`: the part of the window the rollups do not cover). `cells` sums the rollup rows of the
    // whole months in the window and one row per raw run by the columns the figures below need (not
    // by month or preset), so it holds a few hundred rows whatever the history's size; each figure is
    // one aggregate over it: row 'k' the scalars, rows 'p'/'r' (published by provider, failure
    // reasons) one GROUP BY whose key depends on the status. Rows 'c' are the cost per label and rows
    // 'd' the (duration, count) pairs the client takes the percentiles from (percentileOfCounts()).
    // Sums of numeric columns are exact; the client rounds them once, as ExactSum does for the folder.
    // Durations: all time from the all-time counts; a window that the runs table answers alone from
    // `raw`; otherwise from the runs of the whole window (only all-time durations are rolled up).
    QString durationsSql;
    if (split.allTime)
        durationsSql = QStringLiteral("SELECT u.duration_f AS d, u.runs AS n FROM djp.rollup_durations_all u WHERE ")
            + split.rollup;
    else if (split.rollup == QLatin1String("FALSE"))
        durationsSql = QStringLiteral("SELECT duration_f AS d, 1 AS n FROM raw");
    else
        durationsSql = QStringLiteral("SELECT r.duration_f AS d, 1 AS n FROM djp.runs r WHERE ")
            + teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    // Only the pairs percentileOfCounts() reads travel: for each quantile q it reads the values at the
    // 0-based ranks lo = floor(q * (n - 1)) and lo + 1 of the sorted multiset. `kept` are the pairs
    // holding such a rank; every run of other pairs between them goes as one pair (its first duration,
    // its summed count), so the kept pairs keep their ranks and no needed rank falls inside a merged
    // pair: the client computes the same double from at most 9 pairs instead of one per distinct
    // duration. The ranks use float8 as the client uses double.
    QStringList ranks, wanted;
    for (size_t i = 0; i < std::size(kQuantiles); ++i) {
        const QString q = param(params, QByteArray::number(kQuantiles[i], 'g', 17));
        ranks << QStringLiteral("floor(%1::float8 * (t.total - 1)::float8)::bigint AS lo%2").arg(q).arg(i);
        wanted << QStringLiteral("(c.upto - c.n <= r.lo%1 + 1 AND r.lo%1 < c.upto)").arg(i);
    }
    // The history's size: when the rollup part is every rollup row (all time, no filter) it is the
    // scalars' own count; otherwise one more pass over the monthly rollup, only when asked for.
    const bool cellsHoldEverything
        = split.allTime && split.rollup == QLatin1String("TRUE") && split.raw == QLatin1String("FALSE");
    const QString historySizeSql = !totalRuns ? QStringLiteral("NULL")
        : cellsHoldEverything                 ? QStringLiteral("coalesce(sum(runs), 0)::text")
                              : QStringLiteral("(SELECT coalesce(sum(runs), 0) FROM djp.rollup_runs_all)::text");
    // All time reads the rollups' all-time level (no month): a few thousand rows however long the history.
    const QString runsRollup
        = split.allTime ? QStringLiteral("djp.rollup_runs_all") : QStringLiteral("djp.rollup_runs");
    const QString costsRollup
        = split.allTime ? QStringLiteral("djp.rollup_costs_all") : QStringLiteral("djp.rollup_costs");
    const QString sql = QStringLiteral(R"SQL(
WITH raw AS MATERIALIZED (
    SELECT r.provider, r.status, r.advisory_reason, r.grounded, r.redacted, r.simulated, r.cost_complete,
           r.citations_required > 0 AS cited, r.citations_ok,
           r.grounded AND r.citations_count >= r.grounded_required AS grounded_ok,
           r.total_tokens, r.est_cost, r.duration, r.duration_f, r.cost_labels, r.cost_values
    FROM djp.runs r WHERE %2
), cells AS MATERIALIZED (
    SELECT provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited, citations_ok,
           grounded_ok, sum(runs) AS runs, sum(total_tokens) AS total_tokens, sum(est_cost) AS est_cost,
           sum(duration) AS duration
    FROM (SELECT u.provider, u.status, u.advisory_reason, u.grounded, u.redacted, u.simulated, u.cost_complete,
                 u.cited, u.citations_ok, u.grounded_ok, u.runs, u.total_tokens, u.est_cost, u.duration
          FROM %7 u WHERE %1
          UNION ALL
          SELECT provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited, citations_ok,
                 grounded_ok, 1, total_tokens, est_cost, duration
          FROM raw) AS x
    GROUP BY provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited, citations_ok,
             grounded_ok
), counts AS MATERIALIZED (
    SELECT d, sum(n)::bigint AS n FROM (%3) AS h GROUP BY d
), ranks AS MATERIALIZED (
    SELECT t.total, %4 FROM (SELECT sum(n) AS total FROM counts) AS t
), kept AS MATERIALIZED (
    SELECT c.d, c.n, c.upto, c.next_d, c.first_d
    FROM (SELECT d, n, (sum(n) OVER w)::bigint AS upto, lead(d) OVER w AS next_d, first_value(d) OVER w AS first_d
          FROM counts WINDOW w AS (ORDER BY d ROWS UNBOUNDED PRECEDING)) AS c, ranks r
    WHERE %5
), pairs AS (
    SELECT d, n FROM kept
    UNION ALL
    SELECT min(first_d), min(upto - n) FROM kept
    UNION ALL
    SELECT next_d, coalesce(lead(upto - n) OVER (ORDER BY d), (SELECT total FROM ranks)) - upto FROM kept
)
SELECT 'k', NULL,
       coalesce(sum(runs), 0)::text,
       coalesce(sum(runs) FILTER (WHERE status = 'published'), 0)::text,
       coalesce(sum(runs) FILTER (WHERE status = 'advisory_only'), 0)::text,
       coalesce(sum(runs) FILTER (WHERE status = 'none' AND advisory_reason <> 'cancelled'), 0)::text,
       coalesce(sum(runs) FILTER (WHERE cited), 0)::text,
       coalesce(sum(runs) FILTER (WHERE cited AND citations_ok), 0)::text,
       coalesce(sum(runs) FILTER (WHERE grounded), 0)::text,
       coalesce(sum(runs) FILTER (WHERE grounded_ok), 0)::text,
       coalesce(sum(runs) FILTER (WHERE redacted), 0)::text,
       coalesce(sum(runs) FILTER (WHERE simulated), 0)::text,
       coalesce(bool_and(cost_complete), true)::text,
       coalesce(sum(total_tokens), 0)::text,
       coalesce(sum(est_cost), 0)::text,
       coalesce(sum(duration), 0)::text,
       %6,
       coalesce(sum(runs) FILTER (WHERE status = 'none' AND advisory_reason = 'cancelled'), 0)::text
FROM cells
UNION ALL
SELECT CASE WHEN status = 'published' THEN 'p' ELSE 'r' END,
       CASE WHEN status = 'published' THEN provider ELSE advisory_reason END,
       sum(runs)::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cells
WHERE status = 'published' OR status = 'advisory_only' OR (status = 'none' AND advisory_reason <> 'cancelled')
GROUP BY 1, 2
UNION ALL
SELECT 'c', label, sum(cost)::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM (SELECT u.label, u.cost FROM %8 u WHERE %1
      UNION ALL
      SELECT unnest(cost_labels), unnest(cost_values) FROM raw) AS l
GROUP BY label
UNION ALL
SELECT 'd', NULL, n::text, d::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM pairs WHERE n > 0
)SQL")
                            .arg(split.rollup, split.raw, durationsSql, ranks.join(QStringLiteral(", ")),
                                wanted.join(QStringLiteral(" OR ")), historySizeSql)
                            .arg(runsRollup, costsRollup);
    const std::optional<PgResult> res = conn.exec(sql, params, error);
    if (!res)
        return false;
    KpiAggregates a;
    std::vector<std::pair<double, qint64>> durations;
    for (int row = 0; row < res->rows(); ++row) {
        const char tag = res->raw(row, 0)[0];
        if (tag == 'k') {
            int c = 2;
            a.totalRuns = res->toLongLong(row, c++);
            a.publishedRuns = res->toLongLong(row, c++);
            a.advisoryRuns = res->toLongLong(row, c++);
            a.failedRuns = res->toLongLong(row, c++);
            a.citationRuns = res->toLongLong(row, c++);
            a.citationsOkRuns = res->toLongLong(row, c++);
            a.groundedRuns = res->toLongLong(row, c++);
            a.groundedCitationOkRuns = res->toLongLong(row, c++);
            a.redactedRuns = res->toLongLong(row, c++);
            a.simulatedRuns = res->toLongLong(row, c++);
            a.costComplete = res->text(row, c++) == QLatin1String("true");
            a.tokenSum = res->toLongLong(row, c++);
            a.costSum = res->toDouble(row, c++);
            a.durationSum = res->toDouble(row, c++);
            if (totalRuns)
                *totalRuns = res->toLongLong(row, c);
            ++c;
            a.cancelledRuns = res->toLongLong(row, c++);
        } else if (tag == 'p') {
            a.publishedByProvider.emplace_back(res->text(row, 1), res->toLongLong(row, 2));
        } else if (tag == 'r') {
            a.failureReasons.emplace_back(res->text(row, 1), res->toLongLong(row, 2));
        } else if (tag == 'c') {
            a.costByLabel.emplace_back(res->text(row, 1), res->toDouble(row, 2));
        } else if (tag == 'd') {
            durations.emplace_back(res->toDouble(row, 3), res->toLongLong(row, 2));
        }
    }
    std::sort(durations.begin(), durations.end());
    a.p50Duration = percentileOfCounts(durations, kQuantiles[0]);
    a.p95Duration = percentileOfCounts(durations, kQuantiles[1]);
    *out = std::move(a);
    return true;
}

namespace {

QByteArray sqlArray(const QList<std::optional<QByteArray>>& items)
{
    QByteArray s = "{";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            s += ',';
        if (!items[i]) {
            s += "NULL";
            continue;
        }
        QByteArray e = *items[i];
        e.replace("\\", "\\\\").replace("\"", "\\\"");
        s += '"' + e + '"';
    }
    return s + '}';
}

// The rates of a pricing table as rows the server can join each (run, label) bucket to: one row per
// (key, period, tier) whose day range and input range are disjoint by construction, so a bucket meets
// at most one row, the one PricingTable::ratesFor() picks.
struct RateRows
{
    QList<std::optional<QByteArray>> key, dayFrom, dayTo, current, aboveInput, upToInput, input, cacheRead, cacheWrite,
        output;

    void add(const QString& label, const ModelPrice& price)
    {
        const auto date = [](const QDate& d) -> std::optional<QByteArray> {
            if (!d.isValid())
                return std::nullopt;
            return d.toString(Qt::ISODate).toLatin1();
        };
        const auto number = [](std::optional<qint64> v) -> std::optional<QByteArray> {
            if (!v)
                return std::nullopt;
            return QByteArray::number(*v);
        };
        const qsizetype n = price.periods.size();
        for (qsizetype i = 0; i < n; ++i) {
            // ModelPrice::at(day): the last period effective on or before the day (an undated period is
            // effective since always); a day before all of them gets the first period.
            const PricePeriod& p = price.periods.at(i);
            const QDate from = i == 0 ? QDate() : p.effective; // invalid: no lower bound
            std::optional<QDate> to; // exclusive: the earliest start of a later period
            for (qsizetype j = i + 1; j < n; ++j) {
                const QDate later = price.periods.at(j).effective;
                if (!later.isValid()) {
                    to = QDate(); // an undated later period shadows every day
                    break;
                }
                if (!to || later < *to)
                    to = later;
            }
            if (to && !to->isValid())
                continue; // never picked for a dated run
            if (to && from.isValid() && *to <= from)
                continue;
            // Tiers: ratesFor() takes the last tier whose threshold the call's input exceeds, else the
            // base rates. Tier k then holds (above_k, min over later tiers of above_j].
            const qsizetype tiers = p.tiers.size();
            for (qsizetype k = -1; k < tiers; ++k) {
                std::optional<qint64> above
                    = k < 0 ? std::nullopt : std::optional<qint64>(p.tiers.at(k).aboveInputTokens);
                std::optional<qint64> upTo;
                for (qsizetype j = k + 1; j < tiers; ++j)
                    upTo = upTo ? std::min(*upTo, p.tiers.at(j).aboveInputTokens) : p.tiers.at(j).aboveInputTokens;
                if (above && upTo && *upTo <= *above)
                    continue;
                const PriceRates& r = k < 0 ? p.rates : p.tiers.at(k).rates;
                key << label.toUtf8();
                dayFrom << date(from);
                dayTo << (to ? date(*to) : std::nullopt);
                current << QByteArray(i == n - 1 ? "t" : "f");
                aboveInput << number(above);
                upToInput << number(upTo);
                input << QByteArray::number(r.input);
                cacheRead << QByteArray::number(r.cacheReadRate());
                cacheWrite << QByteArray::number(r.cacheWriteRate());
                output << QByteArray::number(r.output);
            }
        }
    }
};

// Every key PricingTable::find() resolves: each entry's label and, where it leads back to that entry, its
// bare model name.
RateRows rateRows(const PricingTable& pricing)
{
    RateRows rows;
    QSet<QString> keys;
    for (const ModelPrice& price : pricing.entries()) {
        QStringList candidates { price.label };
        const qsizetype slash = price.label.indexOf(QLatin1Char('/'));
        if (slash >= 0)
            candidates << price.label.mid(slash + 1);
        for (const QString& key : candidates) {
            if (keys.contains(key) || pricing.find(key) != &price)
                continue;
            keys.insert(key);
            rows.add(key, price);
        }
    }
    return rows;
}

} // namespace

namespace {

// bucketCost() in SQL over one (run, label) row: integer arithmetic while tokens × rate + 999999 fits in a
// bigint (every real call), exact numeric beyond, saturating there (numeric for every bucket doubled the
// statement's time).
QString rowCostSql(const QString& tokens, const QString& rate)
{
    return QStringLiteral("(CASE WHEN %1 > 0 AND %2 > 0 THEN CASE WHEN %1 <= (9223372036854775807 - 999999) / %2 "
                          "THEN (%1 * %2 + 999999) / 1000000 ELSE least(div(%1::numeric * %2 + 999999, 1000000), "
                          "%3)::bigint END ELSE 0 END)")
        .arg(tokens, rate)
        .arg(kNanoUsdSaturation);
}

// The same for a rollup's token sum, at a rate that is a whole number of nano-dollars per token: each row's
// tokens × rate / 1e6 is then an integer, rounding up changes nothing, and the rows' costs add up to the
// sum's. Exact numeric; the caller checks the result against the saturation cap.
QString sumCostSql(const QString& tokens, const QString& rate)
{
    return QStringLiteral("(CASE WHEN %1 > 0 AND %2 > 0 THEN %1 * (%2 / 1000000) ELSE 0 END)").arg(tokens, rate);
}

// The rates as a relation (`rates`), from ten array parameters.
QString ratesSql(const RateRows& rates, std::vector<std::optional<QByteArray>>& params)
{
    QStringList p;
    for (const auto* column : { &rates.key, &rates.dayFrom, &rates.dayTo, &rates.current, &rates.aboveInput,
             &rates.upToInput, &rates.input, &rates.cacheRead, &rates.cacheWrite, &rates.output })
        p << param(params, sqlArray(*column));
    return QStringLiteral(R"SQL(rates AS NOT MATERIALIZED (
    SELECT * FROM unnest(%1::text[], %2::date[], %3::date[], %4::boolean[], %5::bigint[], %6::bigint[],
                         %7::bigint[], %8::bigint[], %9::bigint[], %10::bigint[])
             AS t(label, day_from, day_to, is_current, above_input, up_to_input, r_in, r_cr, r_cw, r_out)
))SQL")
        .arg(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8])
        .arg(p[9]);
}

// One pass over the runs matching `where` (alias r), grouped by label. Each run becomes its (run, label)
// rows, the elements of its bucket arrays, unnested side by side in the select list (a function in FROM
// would fill a tuplestore per run: 30% more server time in one process); a run without any gives one row
// with a NULL label, so that it still counts. Each row meets at most one rate row (its period by the run's
// pricing day, its tier by the largest call's input); each bucket is rounded up on its own, as the folder
// path prices each run's label, and only then summed per label. The per-run figures are taken from each
// run's first row (n = 1) only. `keep` (over alias b; empty: all) restricts the (run, label) rows.
// Nothing here is materialized or has an OFFSET: either would keep the server from handing the scan
// and the unnesting to parallel workers.
QString perRowCostSql(const QString& where, const QString& keep)
{
    return QStringLiteral(R"SQL(
SELECT b.label,
       sum(b.est_cost_nano) FILTER (WHERE b.n = 1) AS est,
       count(*) FILTER (WHERE b.n = 1 AND b.reported_cost_calls > 0) AS rep_runs,
       sum(b.reported_cost_nano) FILTER (WHERE b.n = 1 AND b.reported_cost_calls > 0) AS rep,
       sum(b.computed_cost_nano) FILTER (WHERE b.n = 1 AND b.reported_cost_calls > 0) AS comp,
       sum(b.cache_read_tokens) FILTER (WHERE b.n = 1) AS cache_read,
       count(*) FILTER (WHERE b.n = 1 AND NOT b.cost_details) AS without,
       sum(%3) AS c_in, sum(%4) AS c_cr, sum(%5) AS c_cw, sum(%6) AS c_out,
       count(p.r_in) AS priced,
       coalesce(sum(CASE WHEN b.cr > 0 AND p.r_in IS NOT NULL THEN %7 - %4 ELSE 0 END), 0) AS savings,
       bool_and(p.r_in IS NOT NULL OR b.cr <= 0) AS complete
FROM (SELECT r.run_at, r.price_day, r.est_cost_nano, r.reported_cost_calls, r.reported_cost_nano,
             r.computed_cost_nano, r.cache_read_tokens, r.cost_details,
             unnest(coalesce(nullif(r.bucket_labels, '{}'), '{NULL}')) AS label,
             unnest(r.bucket_max_call_input) AS mx, unnest(r.bucket_input) AS i,
             unnest(r.bucket_cache_read) AS cr, unnest(r.bucket_cache_write) AS cw, unnest(r.bucket_output) AS o,
             generate_series(1, greatest(cardinality(r.bucket_labels), 1)) AS n
      FROM djp.runs r WHERE %1) AS b
LEFT JOIN rates p
  ON p.label = b.label
 AND CASE WHEN b.price_day IS NULL THEN p.is_current
          ELSE (p.day_from IS NULL OR b.price_day >= p.day_from) AND (p.day_to IS NULL OR b.price_day < p.day_to)
     END
 AND (p.above_input IS NULL OR b.mx > p.above_input)
 AND (p.up_to_input IS NULL OR b.mx <= p.up_to_input)
WHERE %2
GROUP BY b.label)SQL")
        .arg(where, keep.isEmpty() ? QStringLiteral("TRUE") : keep,
            // UsageBuckets::uncachedInputTokens(), written so that it cannot overflow
            rowCostSql(
                QStringLiteral("greatest(b.i - least(b.cr, b.i) - least(b.cw, b.i), 0)"), QStringLiteral("p.r_in")),
            rowCostSql(QStringLiteral("b.cr"), QStringLiteral("p.r_cr")),
            rowCostSql(QStringLiteral("b.cw"), QStringLiteral("p.r_cw")),
            rowCostSql(QStringLiteral("b.o"), QStringLiteral("p.r_out")),
            rowCostSql(QStringLiteral("b.cr"), QStringLiteral("p.r_in")));
}

// The rollup groups (month, label) of the whole months in the window (`rollup`, over alias u), each with
// the one rate row that covers all of it: every day of the month (or the current rates for undated runs),
// the tier of both its smallest and largest call input, and rates that are whole nano-dollars per token
// (or price no token of the group: a cache-read rate of 18.75 per 1M tokens does not matter without
// cached reads).
// Such a group is priced from its sums (`exact`), as is a label without any rate (it prices nothing). The
// others go back to the runs of their month (docs/team-history.md, "Cost details").
QString rollupCostSql(const QString& rollup)
{
    return QStringLiteral(R"SQL(
SELECT k.*, unpriced OR (r_in IS NOT NULL AND greatest(c_in, c_cr, c_cw, c_out, cr_in) <= %7) AS exact
FROM (SELECT g.month, g.label, g.n, g.t_cr, p.r_in, %2 AS c_in, %3 AS c_cr, %4 AS c_cw, %5 AS c_out, %6 AS cr_in,
             l.label IS NULL AS unpriced
      FROM (SELECT u.month, u.label, sum(u.buckets) AS n, sum(u.uncached_input) AS t_in,
                   sum(u.cache_read) AS t_cr, sum(u.cache_write) AS t_cw, sum(u.output) AS t_out,
                   min(u.min_call_input) AS mn, max(u.max_call_input) AS mx
            FROM djp.rollup_buckets u WHERE %1 GROUP BY u.month, u.label) AS g
      LEFT JOIN rates p
        ON p.label = g.label
       AND CASE WHEN g.month = '-infinity' THEN p.is_current
                ELSE (p.day_from IS NULL OR p.day_from <= (g.month AT TIME ZONE 'UTC')::date)
                 AND (p.day_to IS NULL OR p.day_to >= ((g.month AT TIME ZONE 'UTC') + interval '1 month')::date)
           END
       AND (p.above_input IS NULL OR g.mn > p.above_input)
       AND (p.up_to_input IS NULL OR g.mx <= p.up_to_input)
       AND (p.r_in % 1000000 = 0 OR (g.t_in = 0 AND g.t_cr = 0)) AND (p.r_cr % 1000000 = 0 OR g.t_cr = 0)
       AND (p.r_cw % 1000000 = 0 OR g.t_cw = 0) AND (p.r_out % 1000000 = 0 OR g.t_out = 0)
      LEFT JOIN (SELECT DISTINCT label FROM rates) AS l ON l.label = g.label) AS k)SQL")
        .arg(rollup, sumCostSql(QStringLiteral("g.t_in"), QStringLiteral("p.r_in")),
            sumCostSql(QStringLiteral("g.t_cr"), QStringLiteral("p.r_cr")),
            sumCostSql(QStringLiteral("g.t_cw"), QStringLiteral("p.r_cw")),
            sumCostSql(QStringLiteral("g.t_out"), QStringLiteral("p.r_out")),
            sumCostSql(QStringLiteral("g.t_cr"), QStringLiteral("p.r_in")))
        .arg(kNanoUsdSaturation);
}

// The per-label rows ('b') of a grouped relation `g` as perRowCostSql() gives it.
const char* kPerRowLabelRowsSql = "SELECT 'b', label, c_in::text, c_cr::text, c_cw::text, c_out::text, priced::text, "
                                  "savings::text, complete::text, NULL FROM g WHERE label IS NOT NULL";

// A (month, label) group the rollup could not price: read back from the runs.
struct RowGroup
{
    std::optional<qint64> monthMs; // nullopt: undated runs
    QString label;
};

// Sums the rows of the cost-detail statements: one 's' row per part (per-run sums), 'b' rows per label
// (a label can come from several parts), 'f' rows naming the groups left to the runs.
struct CostDetailRows
{
    CostDetailAggregates a;
    std::map<QString, std::pair<Kpis::BucketCost, qint64>> byLabel; // priced (run, label) rows per label
    qint64 without = 0;
    qint64 rollupGroups = 0;
    std::vector<RowGroup> rowGroups;

    void read(const PgResult& res)
    {
        for (int row = 0; row < res.rows(); ++row) {
            const char tag = res.raw(row, 0)[0];
            if (tag == 's') {
                a.totalCostNano += res.toLongLong(row, 2);
                a.reportedCostRuns += res.toLongLong(row, 3);
                a.reportedCostNano += res.toLongLong(row, 4);
                a.computedCostNano += res.toLongLong(row, 5);
                a.cacheReadTokens += res.toLongLong(row, 6);
                without += res.toLongLong(row, 7);
                if (!res.isNull(row, 8))
                    rollupGroups += res.toLongLong(row, 8);
            } else if (tag == 'b') {
                auto& [b, priced] = byLabel[res.text(row, 1)];
                b.input += res.toLongLong(row, 2);
                b.cacheRead += res.toLongLong(row, 3);
                b.cacheWrite += res.toLongLong(row, 4);
                b.output += res.toLongLong(row, 5);
                priced += res.toLongLong(row, 6);
                a.cacheSavingsNano += res.toLongLong(row, 7);
                a.cacheSavingsComplete = a.cacheSavingsComplete && res.text(row, 8) == QLatin1String("true");
            } else if (tag == 'f') {
                RowGroup g;
                if (!res.isNull(row, 2))
                    g.monthMs = res.toLongLong(row, 2);
                g.label = res.text(row, 1);
                rowGroups.push_back(std::move(g));
            }
        }
    }
};

qint64 nextUtcMonth(qint64 monthMs)
{
    return QDateTime::fromMSecsSinceEpoch(monthMs, Qt::UTC).addMonths(1).toMSecsSinceEpoch();
}

} // namespace

bool teamCostDetails(PgConnection& conn, const RunFilter& filter, qint64 nowMs, const PricingTable& pricing,
    CostDetailAggregates* details, qint64* runsWithoutDetails, DbError* error, const std::function<bool()>& stillWanted,
    TeamCostDetailsPlan* plan)
{
    if (!requireTeamSchema(conn, error))
        return false;
    const RateRows rates = rateRows(pricing);
    CostDetailRows rows;
    {
        // The whole months of the window from the cost rollups, the rest from the runs (as the KPIs split).
        // The groups the rollup cannot price come back as 'f' rows for the second statement.
        std::vector<std::optional<QByteArray>> params;
        const QString ratesCte = ratesSql(rates, params);
        const Split split = splitFilter(filter, nowMs, params, false);
        const QString sql = QStringLiteral(R"SQL(
WITH %1, g AS MATERIALIZED (%2), k AS MATERIALIZED (%3)
SELECT 's', NULL, coalesce(sum(est), 0)::text, coalesce(sum(rep_runs), 0)::text, coalesce(sum(rep), 0)::text,
       coalesce(sum(comp), 0)::text, coalesce(sum(cache_read), 0)::text, coalesce(sum(without), 0)::text, NULL, NULL
FROM g
UNION ALL
%5
UNION ALL
SELECT 's', NULL, coalesce(sum(u.est_cost_nano), 0)::text, coalesce(sum(u.reported_runs), 0)::text,
       coalesce(sum(u.reported_cost_nano), 0)::text, coalesce(sum(u.computed_cost_nano), 0)::text,
       coalesce(sum(u.cache_read_tokens), 0)::text, coalesce(sum(u.without_details), 0)::text,
       (SELECT count(*) FROM k WHERE exact)::text, NULL
FROM djp.rollup_run_costs u WHERE %4
UNION ALL
SELECT 'b', label, sum(c_in)::text, sum(c_cr)::text, sum(c_cw)::text, sum(c_out)::text,
       sum(CASE WHEN r_in IS NOT NULL THEN n ELSE 0 END)::text,
       sum(CASE WHEN t_cr > 0 AND r_in IS NOT NULL THEN cr_in - c_cr ELSE 0 END)::text,
       bool_and(r_in IS NOT NULL OR t_cr <= 0)::text, NULL
FROM k WHERE exact GROUP BY label
UNION ALL
SELECT 'f', label, CASE WHEN month = '-infinity' THEN NULL ELSE (extract(epoch FROM month) * 1000)::bigint::text END,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM k WHERE NOT exact
)SQL")
                                .arg(ratesCte, perRowCostSql(split.raw, {}), rollupCostSql(split.rollup), split.rollup,
                                    QLatin1String(kPerRowLabelRowsSql));
        const std::optional<PgResult> res = conn.exec(sql, params, error, stillWanted);
        if (!res)
            return false;
        rows.read(*res);
    }
    if (!rows.rowGroups.empty()) {
        // Their months' runs, with the same dimension filters (the rollup part has no search), and of
        // each run only the labels of its month's groups; the per-run sums are the rollup's already.
        std::vector<std::optional<QByteArray>> params;
        const QString ratesCte = ratesSql(rates, params);
        RunFilter dims = filter;
        dims.custom = false;
        dims.lastMs.reset();
        dims.fromMs.reset();
        dims.toMs.reset();
        const QString dimsSql = teamFilterSql(dims, nowMs, QStringLiteral("r"), params);
        std::set<std::optional<qint64>> months;
        QList<std::optional<QByteArray>> groupMonths, groupLabels;
        for (const RowGroup& g : rows.rowGroups) {
            months.insert(g.monthMs);
            groupMonths << (g.monthMs ? isoUtc(*g.monthMs) : QByteArray("-infinity"));
            groupLabels << g.label.toUtf8();
        }
        // Consecutive months as one range each, as literal bounds: the server prunes the other partitions.
        QStringList ranges;
        std::optional<qint64> rangeFrom, rangeTo;
        const auto closeRange = [&] {
            if (rangeFrom)
                ranges << QStringLiteral("(r.run_at >= %1::timestamptz AND r.run_at < %2::timestamptz)")
                              .arg(param(params, isoUtc(*rangeFrom)), param(params, isoUtc(*rangeTo)));
        };
        for (const std::optional<qint64>& m : months) {
            if (!m) {
                ranges << QStringLiteral("r.run_at IS NULL");
                continue;
            }
            if (rangeTo && *rangeTo == *m) {
                rangeTo = nextUtcMonth(*m);
                continue;
            }
            closeRange();
            rangeFrom = *m;
            rangeTo = nextUtcMonth(*m);
        }
        closeRange();
        // A hashed lookup of each (run, label) row's (UTC month, label) among the groups.
        const QString keep = QStringLiteral("(coalesce(date_trunc('month', b.run_at, 'UTC'), '-infinity'), b.label) IN "
                                            "(SELECT * FROM unnest(%1::timestamptz[], %2::text[]))")
                                 .arg(param(params, sqlArray(groupMonths)), param(params, sqlArray(groupLabels)));
        const QString sql
            = QStringLiteral("WITH %1, g AS MATERIALIZED (%2) %3")
                  .arg(ratesCte,
                      perRowCostSql(
                          QStringLiteral("(%1) AND (%2)").arg(dimsSql, ranges.join(QStringLiteral(" OR "))), keep),
                      QLatin1String(kPerRowLabelRowsSql));
        const std::optional<PgResult> res = conn.exec(sql, params, error, stillWanted);
        if (!res)
            return false;
        rows.read(*res);
    }
    CostDetailAggregates& a = rows.a;
    // A label without rates prices nothing (no bucket), but its cached reads count (read() above).
    for (const auto& [label, bucket] : rows.byLabel)
        if (bucket.second > 0)
            a.costByBucket.emplace_back(label, bucket.first);
    // A run without its details cannot tell whether it read from the cache: the savings are not complete.
    if (rows.without > 0)
        a.cacheSavingsComplete = false;
    if (runsWithoutDetails)
        *runsWithoutDetails = rows.without;
    if (plan) {
        plan->rollupGroups = rows.rollupGroups;
        plan->rowGroups = static_cast<qint64>(rows.rowGroups.size());
    }
    *details = std::move(a);
    return true;
}

bool teamSpendByAnalyst(PgConnection& conn, const RunFilter& filter, qint64 nowMs, std::vector<AnalystSpend>* spend,
    AnalystSpend* total, DbError* error)
{
    if (!requireTeamSchema(conn, error))
        return false;
    std::vector<std::optional<QByteArray>> params;
    // Whole months from the analyst rollup, the rest of the window from the runs (as the KPIs split).
    const Split split = splitFilter(filter, nowMs, params, false);
    const QString sql = QStringLiteral(R"SQL(
SELECT pushed_by, sum(runs), sum(est_cost)::text, sum(total_tokens)::text,
       (extract(epoch FROM min(first_run)) * 1000)::bigint, (extract(epoch FROM max(last_run)) * 1000)::bigint,
       grouping(pushed_by)
FROM (SELECT u.pushed_by, u.runs, u.est_cost, u.total_tokens, u.first_run, u.last_run
      FROM djp.rollup_analysts u WHERE %1
      UNION ALL
      SELECT r.pushed_by, 1, r.est_cost, r.total_tokens, r.run_at, r.run_at
      FROM djp.runs r WHERE %2) AS a
GROUP BY GROUPING SETS ((pushed_by), ())
ORDER BY grouping(pushed_by), sum(est_cost) DESC, pushed_by
)SQL")
                            .arg(split.rollup, split.raw);
    const std::optional<PgResult> res = conn.exec(sql, params, error);
    if (!res)
        return false;
    std::vector<AnalystSpend> rows;
    for (int row = 0; row < res->rows(); ++row) {
        AnalystSpend a;
        a.analyst = res->text(row, 0);
        a.runs = res->isNull(row, 1) ? 0 : res->toLongLong(row, 1);
        a.cost = res->isNull(row, 2) ? 0.0 : res->toDouble(row, 2); // NULL: the total of no runs
        a.tokens = res->isNull(row, 3) ? 0 : res->toLongLong(row, 3);
        if (!res->isNull(row, 4))
            a.firstRunMs = res->toLongLong(row, 4);
        if (!res->isNull(row, 5))
            a.lastRunMs = res->toLongLong(row, 5);
        if (res->toLongLong(row, 6) == 0) {
            rows.push_back(std::move(a));
        } else if (total) {
            a.analyst.clear();
            *total = std::move(a);
        }
    }
    *spend = std::move(rows);
    return true;
}

bool teamRecords(PgConnection& conn, const RunFilter& filter, qint64 nowMs, std::vector<RunRecord>* records,
    DbError* error, qint64 offset, qint64 limit, TeamRecordOrder order)
{
    const bool newestFirst = order == TeamRecordOrder::NewestFirst;
    if (!requireTeamSchema(conn, error))
        return false;
    std::vector<std::optional<QByteArray>> params;
    const QString where = teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    QString sql;
    if (newestFirst && limit >= 0) {
        // A page of the newest runs. Dated and undated runs are read apart so that the dated part is
        // ordered by run_at DESC (NULLS FIRST, the backward order of the run_at index): the server then
        // walks the index of each month and stops after offset + limit rows instead of sorting the
        // whole filtered set. Undated runs come last.
        const QString cols = runRecordSelectSql(QStringLiteral("r"));
        sql = QStringLiteral("SELECT * FROM ("
                             "(SELECT %1, 0 AS undated_, r.run_at AS at_, r.artifact_file COLLATE \"C\" AS file_ "
                             "FROM djp.runs r WHERE r.run_at IS NOT NULL AND %2 "
                             "ORDER BY r.run_at DESC, r.artifact_file COLLATE \"C\" DESC LIMIT %3) "
                             "UNION ALL "
                             "(SELECT %1, 1, r.run_at, r.artifact_file COLLATE \"C\" FROM djp.runs r "
                             "WHERE r.run_at IS NULL AND %2 ORDER BY r.artifact_file COLLATE \"C\" DESC LIMIT %3)"
                             ") AS page ORDER BY undated_, at_ DESC, file_ DESC LIMIT %4 OFFSET %5")
                  .arg(cols, where)
                  .arg(offset + limit)
                  .arg(limit)
                  .arg(offset);
    } else {
        sql = QStringLiteral("SELECT %1 FROM djp.runs r WHERE %2 ORDER BY %3")
                  .arg(runRecordSelectSql(QStringLiteral("r")), where,
                      newestFirst ? QStringLiteral("r.run_at DESC NULLS LAST, r.artifact_file COLLATE \"C\" DESC")
                                  : QStringLiteral("r.run_at ASC NULLS FIRST, r.artifact_file COLLATE \"C\""));
        if (limit >= 0)
            sql += QStringLiteral(" LIMIT %1 OFFSET %2").arg(limit).arg(offset);
    }
    const std::optional<PgResult> res = conn.exec(sql, params, error);
    if (!res)
        return false;
    std::vector<RunRecord> out(static_cast<size_t>(res->rows()));
    for (int row = 0; row < res->rows(); ++row)
        runFromRow(*res, row, 0, out[static_cast<size_t>(row)]);
    // The folder's order compares paths as QStrings (UTF-16); "C" collation compares UTF-8 bytes,
    // which differs only around surrogate pairs. A stable sort with the folder's comparator settles it.
    // (Within one page; pages are cut by the server's order, which agrees except for such paths.)
    if (newestFirst)
        std::stable_sort(
            out.begin(), out.end(), [](const RunRecord& x, const RunRecord& y) { return runOrderLess(y, x); });
    else
        std::stable_sort(
            out.begin(), out.end(), [](const RunRecord& x, const RunRecord& y) { return runOrderLess(x, y); });
    *records = std::move(out);
    return true;
}

bool teamFacets(PgConnection& conn, QStringList* presets, QStringList* providers, QStringList* models,
    QStringList* statuses, DbError* error)
{
    if (!requireTeamSchema(conn, error))
        return false;
    // The rollups hold every run, so their distinct values are the history's: one pass over the monthly
    // rollup (its distinct combinations are few) and one over the labels'.
    const std::optional<PgResult> res
        = conn.exec(QStringLiteral("SELECT DISTINCT preset_name, provider, status FROM djp.rollup_runs_all "
                                   "UNION ALL SELECT DISTINCT NULL, label, NULL FROM djp.rollup_costs_all"),
            {}, error);
    if (!res)
        return false;
    presets->clear();
    providers->clear();
    models->clear();
    statuses->clear();
    QSet<QString> p, v, s;
    for (int row = 0; row < res->rows(); ++row) {
        if (res->isNull(row, 0)) {
            models->append(res->text(row, 1));
            continue;
        }
        p.insert(res->text(row, 0));
        const QString provider = res->text(row, 1);
        if (!provider.isEmpty())
            v.insert(provider);
        s.insert(res->text(row, 2));
    }
    *presets = QStringList(p.begin(), p.end());
    *providers = QStringList(v.begin(), v.end());
    *statuses = QStringList(s.begin(), s.end());
    return true;
}

bool teamTimeExtent(PgConnection& conn, const RunFilter& filter, qint64 nowMs, qint64* firstMs, qint64* lastMs,
    bool* any, DbError* error)
{
    if (!requireTeamSchema(conn, error))
        return false;
    std::vector<std::optional<QByteArray>> params;
    const QString where = teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    const std::optional<PgResult> res
        = conn.exec(QStringLiteral("SELECT (extract(epoch FROM min(r.run_at)) * 1000)::bigint, "
                                   "(extract(epoch FROM max(r.run_at)) * 1000)::bigint FROM djp.runs r WHERE %1")
                        .arg(where),
            params, error);
    if (!res)
        return false;
    *any = res->rows() > 0 && !res->isNull(0, 0);
    *firstMs = *any ? res->toLongLong(0, 0) : 0;
    *lastMs = *any ? res->toLongLong(0, 1) : 0;
    return true;
}

bool teamRunCount(PgConnection& conn, qint64* count, DbError* error)
{
    if (!requireTeamSchema(conn, error))
        return false;
    const std::optional<PgResult> res
        = conn.exec(QStringLiteral("SELECT coalesce(sum(runs), 0) FROM djp.rollup_runs_all"), {}, error);
    if (!res)
        return false;
    *count = res->toLongLong(0, 0);
    return true;
}

std::optional<QByteArray> teamArtifact(PgConnection& conn, const QString& artifactFile, DbError* error)
{
    const std::optional<PgResult> res
        = conn.exec(QStringLiteral("SELECT artifact FROM djp.runs WHERE artifact_file = $1 LIMIT 1"),
            { artifactFile.toUtf8() }, error);
    if (!res || res->rows() == 0)
        return std::nullopt;
    return res->bytes(0, 0);
}

bool teamBuckets(PgConnection& conn, const RunFilter& filter, qint64 nowMs, BucketSize size, const QTimeZone& zone,
    std::vector<TimeBucket>* buckets, DbError* error)
{
    qint64 first = 0, last = 0;
    bool any = false;
    if (!teamTimeExtent(conn, filter, nowMs, &first, &last, &any, error))
        return false;
    buckets->clear();
    if (!any)
        return true;
    qint64 lastEnd = 0;
    const std::vector<qint64> starts = bucketStarts(first, last, size, zone, &lastEnd);
    QByteArray edges = "{";
    bool wholeHours = lastEnd % 3600000 == 0;
    for (size_t i = 0; i < starts.size(); ++i) {
        if (i)
            edges += ',';
        edges += QByteArray::number(starts[i]);
        wholeHours = wholeHours && starts[i] % 3600000 == 0;
    }
    edges += '}';
    for (size_t i = 0; i < starts.size(); ++i) {
        TimeBucket b;
        b.startMs = starts[i];
        b.endMs = i + 1 < starts.size() ? starts[i + 1] : lastEnd;
        buckets->push_back(b);
    }
    std::vector<std::optional<QByteArray>> params;
    const QString edgesParam = param(params, edges);
    // Whole UTC hours of the window come from the hourly rollup when every bucket edge is a whole UTC
    // hour (true for zones whose offsets are whole hours), so an hour's runs share one bucket.
    Split split;
    if (wholeHours) {
        split = splitFilter(filter, nowMs, params, true);
    } else {
        split.raw = teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    }
    const std::optional<PgResult> res = conn.exec(
        QStringLiteral(
            "SELECT width_bucket(ms, %1::bigint[]) AS b, sum(n), sum(n) FILTER (WHERE status = 'published'), "
            "sum(n) FILTER (WHERE status = 'advisory_only'), sum(n) FILTER (WHERE status = 'none'), "
            "sum(cost)::text, sum(tokens) FROM ("
            "SELECT (extract(epoch FROM u.hour) * 1000)::bigint AS ms, u.status, u.runs AS n, "
            "u.est_cost AS cost, u.total_tokens AS tokens FROM djp.rollup_hours u WHERE %2 "
            "UNION ALL SELECT (extract(epoch FROM r.run_at) * 1000)::bigint, r.status, 1, r.est_cost, "
            "r.total_tokens FROM djp.runs r WHERE r.run_at IS NOT NULL AND %3) AS x GROUP BY b")
            .arg(edgesParam, split.rollup, split.raw),
        params, error);
    if (!res)
        return false;
    for (int row = 0; row < res->rows(); ++row) {
        const qint64 index = res->toLongLong(row, 0) - 1; // width_bucket counts from 1
        if (index < 0 || index >= static_cast<qint64>(buckets->size()))
            continue;
        TimeBucket& b = (*buckets)[static_cast<size_t>(index)];
        b.runs = static_cast<int>(res->toLongLong(row, 1));
        b.published = static_cast<int>(res->toLongLong(row, 2));
        b.advisory = static_cast<int>(res->toLongLong(row, 3));
        b.none = static_cast<int>(res->toLongLong(row, 4));
        b.cost = res->toDouble(row, 5);
        b.tokens = res->toLongLong(row, 6);
    }
    return true;
}

} // namespace djp
