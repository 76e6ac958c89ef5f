#pragma once
// KPIs of SPEC §7.2. Names and definitions are the legacy tool's; keep them exact.
#include "artifact/runrecord.h"
#include "core/jsonutil.h"

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
    int failedRuns = 0;
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
};

Kpis computeKpis(const std::vector<RunRecord>& records, const std::vector<int>& indices);
Kpis computeKpis(const std::vector<RunRecord>& records); // all of them

// Every KPI key of §7.2 (legacy names: total_runs, published_runs, ..., provider_mix as an object,
// top_failure_reasons as an object reason -> count) plus ours.
Json kpisToJson(const Kpis& k);

// The same object with its keys in the documented order (legacy names first, then ours); what
// `djp metrics --json` prints. Json itself keeps object keys sorted.
using OrderedJson = nlohmann::ordered_json;
OrderedJson kpisToOrderedJson(const Kpis& k);
// The top-level keys of kpisToJson() in that order.
const QStringList& kpiKeys();

} // namespace djp
