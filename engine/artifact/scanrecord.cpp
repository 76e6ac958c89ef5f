#include "artifact/scanrecord.h"

#include "artifact/artifacttimestamp.h"
#include "core/stringinterner.h"

#include <algorithm>
#include <string>

namespace djp::scan {

void buildRunRecord(
    ArtifactWalk& w, const QString& path, StringInterner& interner, LocalOffsetCache& localOffsets, RunRecord& r)
{
    r.artifactFile = path;
    r.hasTimestamp = !w.c.timestamp.empty()
        && parseTimestampCached(w.c.timestamp, r.timestampMs, r.utcOffsetSeconds, &localOffsets);
    r.timestampDropped = w.c.timestampSeen && !r.hasTimestamp;
    r.task = qs(w.c.task);
    r.traceName = qs(w.c.traceName);
    r.presetName = w.c.presetName ? interner.get(*w.c.presetName) : interner.get("manual");
    r.status = w.c.status ? interner.get(*w.c.status) : interner.get(vocabularyIdUtf8(RunStatus::None));
    r.provider = w.c.provider ? interner.get(*w.c.provider) : QString();
    r.winnerProvider = w.c.winnerProvider ? interner.get(*w.c.winnerProvider) : QString();
    r.tokensIn = w.c.tokensIn;
    r.tokensOut = w.c.tokensOut;
    r.totalTokens = clampToInt<qint64>(double(w.c.tokensIn) + double(w.c.tokensOut));
    r.costByLabel.reserve(w.costs.size());
    // est_cost is summed in exact nano-dollars (no 0.043654599999999995); the per-label amounts keep
    // the artifact's numbers.
    qint64 estNano = 0;
    for (const auto& [label, nano] : w.costsNano)
        estNano = addClamped(estNano, nano);
    double est = 0.0;
    bool beyondNano = false; // amounts of $1e9 and more saturate in nano-dollars: keep the double sum then
    for (const auto& [label, cost] : w.costs) {
        est += cost;
        beyondNano = beyondNano || std::fabs(cost) >= 1e9;
        r.costByLabel.emplace_back(interner.get(label), cost);
    }
    r.estCostNano = estNano;
    r.estCost = beyondNano ? finiteOrClamp(est) : static_cast<double>(estNano) / 1e9;
    r.duration = w.c.duration ? finiteOrClamp(*w.c.duration) : 0.0;
    r.numDrafts = clampToInt<int>(double(w.c.totalDrafts ? *w.c.totalDrafts : w.c.draftCount));
    r.numRanked = clampToInt<int>(double(w.c.totalRanked ? *w.c.totalRanked : w.c.rankedCount));
    r.citationsRequired = clampToInt<int>(double(w.c.requireCitations.value_or(0)));
    r.citationsOk = r.citationsRequired <= 0 || w.c.rankedCount == 0 || w.c.minEvidence >= r.citationsRequired;
    r.grounded = w.c.grounded.value_or(false);
    r.groundedRequired = clampToInt<int>(double(w.c.groundedRequired));
    r.citationsCount = clampToInt<int>(double(w.c.citationsCount));
    r.redacted = w.c.redacted.value_or(false);
    r.redactionCount = clampToInt<int>(double(w.c.redactionCount));
    if (!w.redactionTypes.empty()) {
        std::sort(w.redactionTypes.begin(), w.redactionTypes.end());
        w.redactionTypes.erase(std::unique(w.redactionTypes.begin(), w.redactionTypes.end()), w.redactionTypes.end());
        std::string joined;
        for (std::size_t i = 0; i < w.redactionTypes.size(); ++i) {
            if (i)
                joined += ',';
            joined += w.redactionTypes[i];
        }
        r.redactionTypes = interner.get(joined);
    }
    const std::string_view reason = w.c.reason.value_or(std::string_view());
    if (r.hasStatus(RunStatus::AdvisoryOnly))
        r.advisoryReason = interner.get(reason.empty() ? std::string_view("not_from_allowed_provider") : reason);
    else if (r.hasStatus(RunStatus::None))
        r.advisoryReason = interner.get(reason.empty() ? std::string_view("no_valid_content") : reason);
    r.maxTokens = clampToInt<int>(double(w.c.maxTokens.value_or(0)));
    r.temperature = finiteOrClamp(w.c.temperature.value_or(0.0));
    r.fastpath = w.c.fastpath.value_or(false);
    r.textLength = w.c.textLength ? *w.c.textLength : std::max<qint64>(w.c.textCodePoints, 0);
    r.schemaVersion = interner.get(w.c.schemaVersion);

    r.runId = qs(w.c.runId);
    r.simulated = w.c.simulated.value_or(false);
    if (w.c.budgetUsdParam)
        r.budgetUsd = finiteOrClamp(*w.c.budgetUsdParam);
    else if (w.c.budgetUsdBudget)
        r.budgetUsd = finiteOrClamp(*w.c.budgetUsdBudget);
    r.budgetStatus = w.c.budgetStatus ? interner.get(*w.c.budgetStatus) : QString();
    r.stoppedEarly = w.c.stoppedEarly.value_or(false);
    r.costComplete = w.c.costCompleteFlag ? *w.c.costCompleteFlag : !w.c.okCallWithoutCost;
    r.judgeMethod = w.c.judgeMethod ? interner.get(*w.c.judgeMethod) : QString();
    r.calls = clampToInt<int>(double(w.c.calls));
    r.failedCalls = clampToInt<int>(double(w.c.failedCalls));
    r.retries = clampToInt<int>(double(w.c.retries));
    r.cacheReadTokens = w.c.cacheReadTokens;
    r.cacheWriteTokens = w.c.cacheWriteTokens;
    r.reasoningTokens = w.c.reasoningTokens;
    r.estimatedUsageCalls = clampToInt<int>(double(w.c.estimatedUsageCalls));
    r.reportedCostCalls = clampToInt<int>(double(w.c.reportedCostCalls));
    r.reportedCostNano = w.c.reportedCostNano;
    r.computedCostNano = w.c.computedCostNano;
    r.bucketsByLabel.reserve(w.labelBuckets.size());
    for (const LabelBucketsView& b : w.labelBuckets)
        r.bucketsByLabel.push_back({ interner.get(b.label), b.inputTokens, b.cacheReadTokens, b.cacheWriteTokens,
            b.outputTokens, b.maxCallInputTokens, b.costNano });
}

} // namespace djp::scan
