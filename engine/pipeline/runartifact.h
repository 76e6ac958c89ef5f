#pragma once
// Assembles the schema 2.0 run artifact (SPEC §5, docs/artifact-format.md) from what a run planned,
// decided and spent. Pure; the run engine writes the result with writeArtifact().
#include "core/jsonutil.h"
#include "pipeline/pipelineresult.h"
#include "pipeline/runplanner.h"
#include "providers/chattypes.h"

#include <QDateTime>
#include <QString>
#include <optional>
#include <vector>

namespace djp {

// One entry of calls[]: an attempt plus its measured cost (nullopt when the model is unpriced).
struct CallRecord
{
    CallAttempt attempt;
    std::optional<double> costUsd;
    QString pricingId;
};

// Measured cost of an attempt: tokens at the label's price; 0 for attempts that used no tokens;
// nullopt when tokens were used and the label is unpriced.
std::optional<double> attemptCost(const PricingTable& pricing, const CallAttempt& attempt);

struct RunFacts
{
    QString runId;
    QDateTime startedAt;      // local time with offset
    qint64 durationMs = 0;
    bool stoppedEarly = false;
    QString stopReason;       // empty = none
    QString redactionRules;   // Redactor::origin() when redaction ran
    bool simulatedFallback = false; // the run is simulated even when no attempt was recorded
};

struct MeasuredSpend
{
    double costUsd = 0.0;     // sum of known attempt costs
    qint64 tokens = 0;
    bool complete = true;     // false when an attempt with tokens was unpriced
};
MeasuredSpend measuredSpend(const std::vector<CallRecord>& calls);

Json buildRunArtifact(const RunPlan& plan, const PipelineResult& result, const std::vector<CallRecord>& calls,
    const RunFacts& facts);

} // namespace djp

namespace djp {
// One calls[] entry as the artifact stores it (also a line of the spend journal).
Json callRecordJson(const CallRecord& record);
} // namespace djp
