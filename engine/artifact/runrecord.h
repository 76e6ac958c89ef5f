#pragma once
// The flat run record of docs/metrics.md: one per artifact, what the store keeps in memory, what metrics,
// filters, tables and CSV export work on. Kept compact: 100k of them must fit well under 300 MB.
#include "core/vocabulary.h"

#include <QMetaType>
#include <QString>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace djp {

// publish.status of an artifact (docs/artifact-format.md, "Vocabularies"). The record keeps the string it
// read: a foreign status (another tool's, a future one) is neither published nor advisory nor none, and is
// shown, filtered and exported as it was written.
enum class RunStatus
{
    Published, // published
    AdvisoryOnly, // advisory_only
    None, // none (no text was published: a failure, or a run the user cancelled)
};

template <>
inline constexpr std::array<VocabularyEntry<RunStatus>, 3> kVocabulary<RunStatus> { {
    { RunStatus::Published, QLatin1String("published") },
    { RunStatus::AdvisoryOnly, QLatin1String("advisory_only") },
    { RunStatus::None, QLatin1String("none") },
} };

struct RunRecord
{
    // ---- legacy columns (docs/metrics.md), in CSV order ----
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
    QString status = QStringLiteral("none"); // a RunStatus id (other strings kept as-is)
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

    // status as a RunStatus; nullopt for a foreign status.
    std::optional<RunStatus> runStatus() const { return parseVocabulary<RunStatus>(status); }
    bool hasStatus(RunStatus s) const { return status == vocabularyId(s); }

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

    // ---- 0.2: usage buckets and exact money (schema 2.1 calls[], docs/metrics.md) ----
    qint64 estCostNano = 0; // est_cost in exact nano-dollars; estCost is this / 1e9
    qint64 cacheReadTokens = 0; // sums over calls[] of cache_read_tokens, cache_write_tokens, reasoning_tokens
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    int estimatedUsageCalls = 0; // calls whose usage_source is "estimated" (not reported by the provider)
    // Reported vs computed, over the calls that carry both the provider's reported_cost_usd and our cost_usd.
    int reportedCostCalls = 0;
    qint64 reportedCostNano = 0;
    qint64 computedCostNano = 0; // our cost_usd of those same calls
    bool hasReportedCost() const { return reportedCostCalls > 0; }
    // est_cost in nano-dollars: estCostNano, or for records built without it (tests, old code paths)
    // the nearest nano-dollar of estCost.
    qint64 estCostExactNano() const
    {
        return (estCostNano != 0 || estCost == 0.0) ? estCostNano : static_cast<qint64>(std::llround(estCost * 1e9));
    }

    // provenance.estimated_costs per model label (for "cost by provider"); not a CSV column.
    std::vector<std::pair<QString, double>> costByLabel;
    // Tokens per bucket per model label over calls[] (for the "cost by provider" tooltip and cache
    // savings); only for artifacts with calls[]. Not a CSV column.
    struct LabelBuckets
    {
        QString label;
        qint64 inputTokens = 0; // all input, cached included
        qint64 cacheReadTokens = 0;
        qint64 cacheWriteTokens = 0;
        qint64 outputTokens = 0;
        qint64 maxCallInputTokens = 0; // the largest single call's input (its long-context tier)
        qint64 costNano = 0; // sum of cost_usd
        bool operator==(const LabelBuckets&) const = default;
    };
    std::vector<LabelBuckets> bucketsByLabel;

    // File identity, used by the index (not exported).
    qint64 fileSize = 0;
    qint64 fileMtimeMs = 0;
};

// The canonical order of runs, the one every list of runs is in (the store's result, the window's
// filtered set, a team history page, hence CSV export): timestamp ascending with runs without one
// first, then path as QString (UTF-16) order. Defined here only; the key is split out so that sorts
// over precomputed (key, index) pairs use the same rule.
inline qint64 runOrderKey(bool hasTimestamp, qint64 timestampMs)
{
    return hasTimestamp ? timestampMs : std::numeric_limits<qint64>::min();
}
inline qint64 runOrderKey(const RunRecord& r)
{
    return runOrderKey(r.hasTimestamp, r.timestampMs);
}
inline bool runOrderLess(qint64 keyA, const QString& pathA, qint64 keyB, const QString& pathB)
{
    return keyA != keyB ? keyA < keyB : pathA < pathB;
}
inline bool runOrderLess(const RunRecord& a, const RunRecord& b)
{
    return runOrderLess(runOrderKey(a), a.artifactFile, runOrderKey(b), b.artifactFile);
}

// Column names of docs/metrics.md in order: the 29 legacy ones, then ours.
inline constexpr int kLegacyColumnCount = 29;

} // namespace djp

Q_DECLARE_METATYPE(djp::RunRecord)
