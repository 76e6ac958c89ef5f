#pragma once
// The flat run record of SPEC §7.1: one per artifact, what the store keeps in memory, what metrics,
// filters, tables and CSV export work on. Kept compact: 100k of them must fit well under 300 MB.
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace djp {

struct RunRecord
{
    // ---- legacy columns (SPEC §7.1), in CSV order ----
    QString artifactFile; // absolute path
    // timestamp: UTC milliseconds since the epoch plus the offset the artifact was written with (for
    // legacy naive timestamps: the local offset at that instant). hasTimestamp false when missing or
    // unparseable (the run then counts only under "all time").
    qint64 timestampMs = 0;
    qint32 utcOffsetSeconds = 0;
    bool hasTimestamp = false;
    // run_metadata.timestamp was there but is not a real time (parseArtifactTimestamp said no: e.g.
    // "2026-02-30T10:00:00Z", "+25:00", "yesterday", a number). The store lists such a run as a
    // bad_timestamp problem; `djp validate` rejects the file by the same rule.
    bool timestampDropped = false;
    QString task;
    QString traceName;
    QString presetName = QStringLiteral("manual");
    QString status = QStringLiteral("none"); // published | advisory_only | none (other strings kept as-is)
    QString provider; // publish.provider
    QString winnerProvider; // judge.winner_provider
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    qint64 totalTokens = 0;
    double estCost = 0.0; // sum of provenance.estimated_costs
    double duration = 0.0; // provenance.duration_seconds (0 when missing)
    int numDrafts = 0;
    int numRanked = 0;
    int citationsRequired = 0;
    bool citationsOk = true;
    bool grounded = false;
    int groundedRequired = 0;
    int citationsCount = 0;
    bool redacted = false;
    int redactionCount = 0;
    QString redactionTypes; // sorted unique, comma-joined
    QString advisoryReason;
    int maxTokens = 0;
    double temperature = 0.0;
    bool fastpath = false;
    qint64 textLength = 0;
    QString schemaVersion;

    // ---- ours ----
    QString runId;
    bool simulated = false;
    bool costComplete = true; // false when any call was unpriced
    std::optional<double> budgetUsd; // parameters.budget_usd / budget.budget_usd
    QString budgetStatus; // ok | warning | blocked | "" (legacy)
    bool stoppedEarly = false;
    QString judgeMethod; // llm | heuristic | "" (legacy)
    int calls = 0; // calls[] entries (attempts)
    int failedCalls = 0; // attempts whose status != ok
    int retries = 0; // attempts with attempt > 1

    // provenance.estimated_costs per model label (for "cost by provider"); not a CSV column.
    std::vector<std::pair<QString, double>> costByLabel;

    // File identity, used by the index (not exported).
    qint64 fileSize = 0;
    qint64 fileMtimeMs = 0;
};

// Column names of SPEC §7.1 in order: the 29 legacy ones, then ours.
inline constexpr int kLegacyColumnCount = 29;

} // namespace djp

Q_DECLARE_METATYPE(djp::RunRecord)
