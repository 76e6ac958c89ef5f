#pragma once
// Reading the team history with the dashboard's filters (docs/team-history.md). Aggregates are
// computed by the server (one SQL statement per question); only their results travel. They fill the
// same KpiAggregates the folder path fills, and kpisFromAggregates() turns either into KPIs, so the
// database and the folder agree on every figure for the same runs.
//
// Threading: blocking calls on the caller's thread with its own PgConnection.
#include "artifact/runrecord.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "metrics/timeseries.h"
#include "team/analystspend.h"
#include "team/pgconnection.h"

#include <QTimeZone>
#include <functional>
#include <optional>
#include <vector>

namespace djp {

// The WHERE clause (without "WHERE") for a filter over alias `r`, appending its parameters. Time
// windows are resolved on the client (nowMs), as in the folder path, and sent as UTC instants.
QString teamFilterSql(
    const RunFilter& filter, qint64 nowMs, const QString& alias, std::vector<std::optional<QByteArray>>& params);

// Aggregates of the filtered runs; *totalRuns (optional) receives the size of the whole history.
bool teamKpiAggregates(PgConnection& conn, const RunFilter& filter, qint64 nowMs, KpiAggregates* aggregates,
    qint64* totalRuns, DbError* error);

// The 0.2 cost details of the filtered runs (docs/team-history.md, "Cost details"), summed by the server.
// The client sends the rates of `pricing` (per label: each period's days, each tier's input range, the
// four rates in RatePerM); the server picks each (run, label) row's period and tier exactly as
// PricingTable::ratesFor() does, prices each bucket with ceil(tokens × rate / 1e6) saturating like
// bucketCost(), and sums per label. *runsWithoutDetails (optional): filtered runs whose row has no cost
// details (pushed by an older djp after the upgrade; team init fills them). `stillWanted` (optional) is
// asked while the server works; once it says no the statement is cancelled and *error has code
// "cancelled" (PgConnection::exec()).
//
// Whole months of the window come from the cost rollups where that is exact at these prices; the rest
// from the runs. `plan` (optional) tells how: (month, label) groups priced from the rollup's sums, and
// groups read back from their month's runs.
struct TeamCostDetailsPlan
{
    qint64 rollupGroups = 0;
    qint64 rowGroups = 0;
};
bool teamCostDetails(PgConnection& conn, const RunFilter& filter, qint64 nowMs, const PricingTable& pricing,
    CostDetailAggregates* details, qint64* runsWithoutDetails, DbError* error,
    const std::function<bool()>& stillWanted = {}, TeamCostDetailsPlan* plan = nullptr);

// The filtered runs per analyst, most spent first (then by name), and *total (optional) over all of
// them, with its own exact cost sum. Whole months come from the analyst rollup, the rest from the runs.
bool teamSpendByAnalyst(PgConnection& conn, const RunFilter& filter, qint64 nowMs, std::vector<AnalystSpend>* spend,
    AnalystSpend* total, DbError* error);

// The order of teamRecords(): the folder's (timestamp ascending, undated first, then path; exports), or
// exactly its reverse (newest first; the desktop app's Runs table pages through the history that way).
enum class TeamRecordOrder
{
    FolderOrder,
    NewestFirst
};

// The filtered runs as records, in `order`. `limit` < 0: all; else a page of `limit` records starting at
// `offset`. Records carry no cost-by-label breakdown (not a CSV column).
bool teamRecords(PgConnection& conn, const RunFilter& filter, qint64 nowMs, std::vector<RunRecord>* records,
    DbError* error, qint64 offset = 0, qint64 limit = -1, TeamRecordOrder order = TeamRecordOrder::FolderOrder);

// Distinct presets, providers (non-empty), model labels with a priced call and statuses of the whole
// history, for the filter combos.
bool teamFacets(PgConnection& conn, QStringList* presets, QStringList* providers, QStringList* models,
    QStringList* statuses, DbError* error);

// The oldest and newest timestamp (UTC ms) of the filtered runs; false in *any when none has one.
bool teamTimeExtent(PgConnection& conn, const RunFilter& filter, qint64 nowMs, qint64* firstMs, qint64* lastMs,
    bool* any, DbError* error);

// Runs in the whole history.
bool teamRunCount(PgConnection& conn, qint64* count, DbError* error);

// The stored artifact (the file's JSON text) of one run by its artifact path; nullopt when unknown.
std::optional<QByteArray> teamArtifact(PgConnection& conn, const QString& artifactFile, DbError* error);

// Time buckets of the filtered runs, like bucketRuns(): local-time bucket edges are computed here
// (so the client's time zone rules apply) and the server counts and sums per bucket.
bool teamBuckets(PgConnection& conn, const RunFilter& filter, qint64 nowMs, BucketSize size, const QTimeZone& zone,
    std::vector<TimeBucket>* buckets, DbError* error);

} // namespace djp
