#pragma once
// KPIs of docs/metrics.md. Names and definitions are the legacy tool's; keep them exact.
#include "artifact/runrecord.h"
#include "core/jsonutil.h"
#include "pricing/pricingtable.h"

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace djp {

struct Kpis
{
    // legacy
    int totalRuns = 0;
    int publishedRuns = 0;
    int advisoryRuns = 0;
    int failedRuns = 0; // status none, cancelled runs excluded (docs/metrics.md)
    double publishRate = 0.0;
    double advisoryRate = 0.0;
    double failureRate = 0.0;
    double avgCost = 0.0;
    double avgTokens = 0.0;
    double avgDuration = 0.0;
    std::vector<std::pair<QString, double>> providerMix; // share, descending, then name
    std::vector<std::pair<QString, int>> topFailureReasons; // at most 5: count desc, then reason asc
    double citationsComplianceRate = 1.0;
    // ours
    double totalCost = 0.0;
    std::vector<std::pair<QString, double>> costByProvider; // by model label, descending
    // Percentiles of `duration` over all runs of the set (missing durations count as 0, as in
    // avg_duration), by linear interpolation between closest ranks: numpy/pandas' default method.
    double p50Duration = 0.0;
    double p95Duration = 0.0;
    double groundedRate = 0.0;
    double redactedRate = 0.0;
    int simulatedRuns = 0;
    bool costComplete = true; // false when any run's cost is incomplete (unpriced calls)
    // Runs the user cancelled (status none, reason "cancelled"): neither failures nor failure reasons.
    int cancelledRuns = 0;
    double cancelledRate = 0.0;

    // 0.2 (docs/metrics.md): exact money, reported vs computed, cache savings, cost by bucket.
    qint64 totalCostNano = 0; // sum of est_cost in nano-dollars (folder path); totalCost: the same, rounded once
    // Reported vs computed over the runs whose calls carry both the provider's reported cost and ours:
    // drift = (computed − reported) / reported × 100. nullopt when no such run (or reported sums to 0).
    int reportedCostRuns = 0;
    qint64 reportedCostNano = 0;
    qint64 computedCostNano = 0;
    std::optional<double> reportedVsComputedDriftPct;
    // Cache savings: what the cached reads would have cost at the uncached input rate minus what they
    // cost at the cache-read rate, per model label at the rates of each run's day. Needs a pricing table.
    qint64 cacheReadTokens = 0;
    qint64 cacheSavingsNano = 0;
    bool cacheSavingsComplete = true; // false when cached reads of an unpriced model could not be valued
    struct BucketCost
    {
        qint64 input = 0, cacheRead = 0, cacheWrite = 0, output = 0; // nano-dollars
        qint64 total() const { return input + cacheRead + cacheWrite + output; }
    };
    // Per model label (the labels of costByProvider that have calls[] buckets): the split of the cost by
    // bucket, priced from the label's token sums at the rates of each run's day. Descending by total.
    std::vector<std::pair<QString, BucketCost>> costByBucket;
};

// The sums and counts every KPI is derived from. Two sources fill it: aggregateKpis() over run records
// (the runs folder) and the team database's SQL aggregates (engine/team/teamquery.h); kpisFromAggregates()
// is the one place that turns it into KPIs, so both sources agree by construction. Sums of doubles are
// exact sums rounded once (metrics/exactsum.h): they do not depend on the order of the runs.
struct KpiAggregates
{
    qint64 totalRuns = 0;
    qint64 publishedRuns = 0;
    qint64 advisoryRuns = 0;
    qint64 failedRuns = 0; // status none, not cancelled
    qint64 cancelledRuns = 0; // status none with reason kCancelledReason
    qint64 citationRuns = 0; // runs with citations_required > 0
    qint64 citationsOkRuns = 0; // of which citations_ok
    qint64 groundedRuns = 0;
    qint64 groundedCitationOkRuns = 0; // grounded runs with citations_count >= grounded_required (alerts)
    qint64 redactedRuns = 0;
    qint64 simulatedRuns = 0;
    bool costComplete = true;
    qint64 tokenSum = 0; // total_tokens
    double costSum = 0.0; // est_cost, exactly rounded
    double durationSum = 0.0; // duration, exactly rounded
    double p50Duration = 0.0; // see Kpis
    double p95Duration = 0.0;
    std::vector<std::pair<QString, qint64>> publishedByProvider; // any order
    std::vector<std::pair<QString, qint64>> failureReasons; // advisory_only + failed runs by reason, any order
    std::vector<std::pair<QString, double>> costByLabel; // exactly rounded sums, any order
};

// publish.reason of a run the user cancelled (the run engine writes it; legacy files never have it).
inline constexpr const char* kCancelledReason = "cancelled";
// Whether a record is a cancelled run: status none and that reason.
bool isCancelledRun(const RunRecord& r);

KpiAggregates aggregateKpis(const std::vector<RunRecord>& records, const std::vector<int>& indices);
Kpis kpisFromAggregates(const KpiAggregates& a);

// Percentile of a set of values by linear interpolation between closest ranks (numpy's and
// PostgreSQL's percentile_cont); `values` is reordered. 0 for an empty set.
double percentileLinear(std::vector<double>& values, double q);

// The same percentile of a multiset given as (value, count) pairs sorted by value (a histogram of
// exact values, as the team history's rollup keeps them): equal to percentileLinear() of the values.
double percentileOfCounts(const std::vector<std::pair<double, qint64>>& sortedCounts, double q);

// The sums the 0.2 cost details are derived from (docs/metrics.md). Two sources fill it:
// aggregateCostDetails() over run records, and the team database's SQL (teamCostDetails() in
// engine/team/teamquery.h, which prices the same (run, label) buckets on the server); applyCostDetails()
// is the one place that turns it into the Kpis fields, so both sources agree by construction.
struct CostDetailAggregates
{
    qint64 totalCostNano = 0; // sum of each run's est_cost in nano-dollars
    qint64 reportedCostRuns = 0; // runs with a provider-reported cost on some call
    qint64 reportedCostNano = 0; // of those runs: the providers' figures ...
    qint64 computedCostNano = 0; // ... and ours for the same calls
    qint64 cacheReadTokens = 0;
    qint64 cacheSavingsNano
        = 0; // per (run, label): cost of the cached reads at the input rate minus at the cache-read rate
    bool cacheSavingsComplete = true; // false when a label with cached reads had no rates
    // Per priced label: each bucket priced per (run, label) at that run's rates, each rounded up to the
    // nano-dollar (bucketCost()), then summed. Any order.
    std::vector<std::pair<QString, Kpis::BucketCost>> costByBucket;
};

CostDetailAggregates aggregateCostDetails(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const PricingTable* pricing);
// Sets the cost-detail fields of `k` (drift derived from the sums; costByBucket sorted by total, then label).
void applyCostDetails(Kpis& k, const CostDetailAggregates& a);

// The UTC calendar day a run's calls are priced at (PricingTable::ratesFor's day); invalid without a timestamp.
QDate runPricingDay(const RunRecord& r);

// `pricing` (optional) values cache savings and the cost split by bucket; without it those stay 0 / empty
// and cacheSavingsComplete is false when there were cached reads.
Kpis computeKpis(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const PricingTable* pricing = nullptr);
Kpis computeKpis(const std::vector<RunRecord>& records, const PricingTable* pricing = nullptr); // all of them

// Every KPI key of docs/metrics.md (legacy names: total_runs, published_runs, ..., provider_mix as an object,
// top_failure_reasons as an object reason -> count) plus ours.
Json kpisToJson(const Kpis& k);

// The same object with its keys in the documented order (legacy names first, then ours); what
// `djp metrics --json` prints. Json itself keeps object keys sorted.
using OrderedJson = nlohmann::ordered_json;
OrderedJson kpisToOrderedJson(const Kpis& k);
// The top-level keys of kpisToJson() in that order.
const QStringList& kpiKeys();

} // namespace djp
