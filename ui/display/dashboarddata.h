#pragma once
// What the Dashboard page displays: computed off the GUI thread by the data session (KPIs and time
// buckets from the engine) and handed over as one immutable value. The page only formats it.
#include "metrics/kpis.h"
#include "metrics/timeseries.h"
#include "team/analystspend.h"

#include <vector>

namespace djp {

struct DashboardData
{
    Kpis kpis; // over the filtered set
    std::vector<TimeBucket> buckets; // cost trend, bucketed in local time
    BucketSize bucketSize = BucketSize::Day;
    int totalLoaded = 0; // runs loaded before filtering (for "N of M runs")
    bool anySimulated = false; // any simulated run in the filtered set
    // From a team history: totalLoaded counts the history's runs (none are loaded). The cost details
    // (reported vs computed, cache savings, cost by bucket) and the spend per analyst come from a second
    // query, after the main figures (docs/team-history.md): pending until it answers.
    bool teamHistory = false;
    bool costDetailsPending = false;
    QString costDetailsError; // the second query failed: one line, password-free
    std::vector<AnalystSpend> analystSpend; // team history: per analyst, with the cost details
};

// What a team history's second query brings for a view (ui/session/teamhistory.h).
struct TeamCostDetails
{
    CostDetailAggregates aggregates;
    std::vector<AnalystSpend> analystSpend;
};

} // namespace djp
