#pragma once
// Run records built in code for the metrics tests: one line per record, only the fields a test cares about.
#include "artifact/runrecord.h"

#include <QDateTime>
#include <vector>

namespace djp::test {

inline RunRecord makeRun(const QString& status, qint64 timestampMs = 0, bool hasTimestamp = true)
{
    RunRecord r;
    r.status = status;
    r.timestampMs = timestampMs;
    r.hasTimestamp = hasTimestamp;
    if (status == QLatin1String("advisory_only"))
        r.advisoryReason = QStringLiteral("not_from_allowed_provider");
    else if (status == QLatin1String("none"))
        r.advisoryReason = QStringLiteral("no_valid_content");
    return r;
}

inline std::vector<int> allIndices(const std::vector<RunRecord>& records)
{
    std::vector<int> v(records.size());
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<int>(i);
    return v;
}

} // namespace djp::test
