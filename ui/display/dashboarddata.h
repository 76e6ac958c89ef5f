#pragma once
// What the Dashboard page displays: computed off the GUI thread by the data session (KPIs and time
// buckets from the engine) and handed over as one immutable value. The page only formats it.
#include "metrics/kpis.h"
#include "metrics/timeseries.h"

#include <vector>

namespace djp {

struct DashboardData
{
    Kpis kpis; // over the filtered set
    std::vector<TimeBucket> buckets; // cost trend, bucketed in local time
    BucketSize bucketSize = BucketSize::Day;
    int totalLoaded = 0; // runs loaded before filtering (for "N of M runs")
    bool anySimulated = false; // any simulated run in the filtered set
    // From a team history: totalLoaded counts the history's runs (none are loaded), and the cost details
    // that need each call's usage buckets (reported vs computed, cache savings) are not known there.
    bool teamHistory = false;
};

} // namespace djp
