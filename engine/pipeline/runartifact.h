#pragma once
// Assembles the schema 2.0 run artifact (docs/artifact-format.md, docs/artifact-format.md) from what a run planned,
// decided and spent. Pure; the run engine writes the result with writeArtifact().
#include "core/jsonutil.h"
#include "pipeline/pipelineresult.h"
#include "pipeline/runplanner.h"
#include "pricing/usage.h"
#include "providers/chattypes.h"

#include <QDateTime>
#include <QString>
#include <optional>
#include <vector>

namespace djp {

// One entry of calls[]: an attempt plus what it cost. costNano is the source of the stored figure;
// costUsd is the same amount as a double for display (nullopt when the model is unpriced).
struct CallRecord
{
    CallAttempt attempt;
    std::optional<double> costUsd;
    QString pricingId;
    std::optional<qint64> costNano; // when unset, costUsd is the source (records built by hand)
    qint64 heldNano = 0; // reservation kept because the failed attempt may have been billed
    QString tier; // price tier used ("" = base rates)

    std::optional<qint64> cost() const;
};

// An attempt's token counts as the buckets it is priced by (and shown by).
UsageBuckets usageOf(const CallAttempt& a);

// What an attempt's reservation held, so a finished attempt can be charged against it.
struct AttemptReservation
{
    qint64 nano = 0;
    qint64 tokens = 0;
    qint64 inputBound = 0;
    qint64 outputLimit = 0;
};

// How a finished attempt is charged (docs/pricing-and-budgets.md, "Settling an attempt"):
// - usage reported: priced from its buckets; the ledger settles at that amount even above the
//   reservation (an overrun is recorded, never hidden);
// - a reply without usage: settled at the reservation (the worst case), tokens = the reservation's,
//   usage_source "estimated", and the run's cost becomes incomplete;
// - a failure the vendor may have billed (possiblyBilled): the reservation is held;
// - any other failure: released, cost 0.
struct AttemptCharge
{
    enum class Ledger
    {
        Settle,
        Hold,
        Release
    };
    CallRecord record;
    Ledger ledger = Ledger::Release;
    qint64 ledgerNano = 0; // what Settle books (fail-safe price for an unpriced label)
    qint64 ledgerTokens = 0;
};
// `day`: the rates in force on the day of the run (price history); invalid = current rates.
AttemptCharge chargeAttempt(
    const PricingTable& pricing, const CallAttempt& attempt, const AttemptReservation& held, QDate day = {});

// Measured cost of an attempt from its reported buckets, for records of attempts that were not
// charged against a reservation (no tokens: 0). nullopt when tokens were used and the label is unpriced.
std::optional<qint64> attemptCostNano(const PricingTable& pricing, const CallAttempt& attempt, QDate day = {});
std::optional<double> attemptCost(const PricingTable& pricing, const CallAttempt& attempt, QDate day = {});

struct RunFacts
{
    QString runId;
    QDateTime startedAt; // local time with offset
    qint64 durationMs = 0;
    bool stoppedEarly = false;
    QString stopReason; // empty = none
    QString redactionRules; // Redactor::origin() when redaction ran
    bool simulatedFallback = false; // the run is simulated even when no attempt was recorded
    bool capExceeded = false; // from the spend ledger at the end of the run
    qint64 overrunNano = 0;
};

struct MeasuredSpend
{
    qint64 costNano = 0; // sum of known attempt costs (exact)
    double costUsd = 0.0; // the same / 1e9
    qint64 heldNano = 0; // reservations held for possibly-billed failures
    qint64 tokens = 0;
    bool complete = true; // false when an attempt was unpriced, estimated or held
};
MeasuredSpend measuredSpend(const std::vector<CallRecord>& calls);

Json buildRunArtifact(
    const RunPlan& plan, const PipelineResult& result, const std::vector<CallRecord>& calls, const RunFacts& facts);

} // namespace djp

namespace djp {
// One calls[] entry as the artifact stores it (also a line of the spend journal).
Json callRecordJson(const CallRecord& record);
} // namespace djp
