#pragma once
// One analyst's share of a team history's filtered runs (docs/team-history.md, "Spend by analyst"):
// a plain value, so that views can hold it without the database client.
#include <QString>
#include <optional>

namespace djp {

// The analyst is the database role that pushed the runs (`pushed_by`: each analyst logs in as their
// own role).
struct AnalystSpend
{
    QString analyst;
    qint64 runs = 0;
    double cost = 0; // the exact sum of est_cost, rounded once (as the KPIs' total_cost)
    qint64 tokens = 0;
    std::optional<qint64> firstRunMs; // dated runs only
    std::optional<qint64> lastRunMs;

    bool operator==(const AnalystSpend&) const = default;
};

} // namespace djp
