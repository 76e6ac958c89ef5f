#include "team/teamquery.h"

#include "team/teamschema.h"

#include <QDateTime>
#include <algorithm>

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
    if (!f.preset.isEmpty())
        where << a + QStringLiteral("preset_name = ") + param(params, f.preset.toUtf8());
    if (!f.provider.isEmpty()) {
        const QString p = param(params, f.provider.toUtf8());
        if (f.providerMatch == ProviderMatch::AnyCall) // runUsedModel(): the publisher or a priced label
            where << QStringLiteral("(%1provider = %2 OR %2 = ANY(%1cost_labels))").arg(a, p);
        else
            where << a + QStringLiteral("provider = ") + p;
    }
    if (!f.status.isEmpty())
        where << a + QStringLiteral("status = ") + param(params, f.status.toUtf8());
    if (f.groundedOnly)
        where << a + QStringLiteral("grounded");
    if (f.redactedOnly)
        where << a + QStringLiteral("redacted");
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
    std::vector<std::optional<QByteArray>> params;
    const QString where = teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    // One statement, three passes over the filtered rows (docs/team-history.md, "KPIs in SQL"):
    // row 'k' carries the scalar aggregates and the percentiles; rows 'p' and 'r' (published by
    // provider, failure reasons) come from one GROUP BY whose key depends on the status; rows 'c'
    // (cost by label) unnest the cost arrays in the select list, which is about twice as cheap as a
    // LATERAL function scan per row. The 'k' and 'c' passes can use parallel workers. Sums of
    // numeric columns are exact; the client rounds them once, as ExactSum does for the folder.
    const QString sql = QStringLiteral(R"SQL(
SELECT 'k', NULL,
       count(*)::text,
       count(*) FILTER (WHERE status = 'published')::text,
       count(*) FILTER (WHERE status = 'advisory_only')::text,
       count(*) FILTER (WHERE status = 'none' AND advisory_reason <> 'cancelled')::text,
       count(*) FILTER (WHERE citations_required > 0)::text,
       count(*) FILTER (WHERE citations_required > 0 AND citations_ok)::text,
       count(*) FILTER (WHERE grounded)::text,
       count(*) FILTER (WHERE grounded AND citations_count >= grounded_required)::text,
       count(*) FILTER (WHERE redacted)::text,
       count(*) FILTER (WHERE simulated)::text,
       coalesce(bool_and(cost_complete), true)::text,
       coalesce(sum(total_tokens), 0)::text,
       coalesce(sum(est_cost), 0)::text,
       coalesce(sum(duration), 0)::text,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_f), 0)::text,
       coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_f), 0)::text,
       (SELECT count(*) FROM djp.run_keys)::text,
       count(*) FILTER (WHERE status = 'none' AND advisory_reason = 'cancelled')::text
FROM djp.runs r WHERE %1
UNION ALL
SELECT CASE WHEN status = 'published' THEN 'p' ELSE 'r' END,
       CASE WHEN status = 'published' THEN provider ELSE advisory_reason END,
       count(*)::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM djp.runs r
WHERE (%1) AND (status = 'published' OR status = 'advisory_only' OR (status = 'none' AND advisory_reason <> 'cancelled'))
GROUP BY 1, 2
UNION ALL
SELECT 'c', label, sum(cost)::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM (SELECT unnest(r.cost_labels) AS label, unnest(r.cost_values) AS cost FROM djp.runs r WHERE %1) AS u
GROUP BY label
)SQL")
                            .arg(where);
    // Sorting a large history's durations for the percentiles must stay in memory.
    conn.execScript(QStringLiteral("SET work_mem = '128MB'"), nullptr);
    const std::optional<PgResult> res = conn.exec(sql, params, error);
    if (!res)
        return false;
    KpiAggregates a;
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
            a.p50Duration = res->toDouble(row, c++);
            a.p95Duration = res->toDouble(row, c++);
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
        }
    }
    *out = std::move(a);
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
    QString sql = QStringLiteral("SELECT %1 FROM djp.runs r WHERE %2 ORDER BY %3")
                      .arg(runRecordSelectSql(QStringLiteral("r")), where,
                          newestFirst ? QStringLiteral("r.run_at DESC NULLS LAST, r.artifact_file COLLATE \"C\" DESC")
                                      : QStringLiteral("r.run_at ASC NULLS FIRST, r.artifact_file COLLATE \"C\""));
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1 OFFSET %2").arg(limit).arg(offset);
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
    // The kind tag keeps the four lists apart.
    const std::optional<PgResult> res = conn.exec(QStringLiteral("SELECT DISTINCT 'p', preset_name FROM djp.runs "
                                                                 "UNION SELECT DISTINCT 'v', provider FROM djp.runs "
                                                                 "WHERE provider <> '' "
                                                                 "UNION SELECT DISTINCT 's', status FROM djp.runs "
                                                                 "UNION SELECT DISTINCT 'm', l FROM djp.runs, "
                                                                 "unnest(cost_labels) AS l"),
        {}, error);
    if (!res)
        return false;
    presets->clear();
    providers->clear();
    models->clear();
    statuses->clear();
    for (int row = 0; row < res->rows(); ++row) {
        const QString kind = res->text(row, 0);
        const QString value = res->text(row, 1);
        if (kind == QLatin1String("p"))
            presets->append(value);
        else if (kind == QLatin1String("v"))
            providers->append(value);
        else if (kind == QLatin1String("m"))
            models->append(value);
        else
            statuses->append(value);
    }
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
    const std::optional<PgResult> res = conn.exec(QStringLiteral("SELECT count(*) FROM djp.run_keys"), {}, error);
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
    if (!requireTeamSchema(conn, error))
        return false;
    std::vector<std::optional<QByteArray>> params;
    const QString where = teamFilterSql(filter, nowMs, QStringLiteral("r"), params);
    const std::optional<PgResult> range
        = conn.exec(QStringLiteral("SELECT (extract(epoch FROM min(r.run_at)) * 1000)::bigint, "
                                   "(extract(epoch FROM max(r.run_at)) * 1000)::bigint FROM djp.runs r WHERE %1")
                        .arg(where),
            params, error);
    if (!range)
        return false;
    buckets->clear();
    if (range->isNull(0, 0))
        return true;
    qint64 lastEnd = 0;
    const std::vector<qint64> starts
        = bucketStarts(range->toLongLong(0, 0), range->toLongLong(0, 1), size, zone, &lastEnd);
    QByteArray edges = "{";
    for (size_t i = 0; i < starts.size(); ++i) {
        if (i)
            edges += ',';
        edges += QByteArray::number(starts[i]);
    }
    edges += '}';
    for (size_t i = 0; i < starts.size(); ++i) {
        TimeBucket b;
        b.startMs = starts[i];
        b.endMs = i + 1 < starts.size() ? starts[i + 1] : lastEnd;
        buckets->push_back(b);
    }
    const QString edgesParam = param(params, edges);
    const std::optional<PgResult> res = conn.exec(
        QStringLiteral("SELECT width_bucket((extract(epoch FROM r.run_at) * 1000)::bigint, %1::bigint[]) AS b, "
                       "count(*), count(*) FILTER (WHERE r.status = 'published'), "
                       "count(*) FILTER (WHERE r.status = 'advisory_only'), count(*) FILTER (WHERE r.status = 'none'), "
                       "sum(r.est_cost)::text, sum(r.total_tokens) "
                       "FROM djp.runs r WHERE r.run_at IS NOT NULL AND %2 GROUP BY b")
            .arg(edgesParam, where),
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
