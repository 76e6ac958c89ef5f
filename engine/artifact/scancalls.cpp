// The 2.x calls[] list in the artifact scanner: one entry per provider attempt, summed into the record's
// call counts (failed, retried), usage buckets (cache, reasoning, estimated usage), reported vs computed
// cost, and per-label token buckets for the cost re-computation. Called from the document walk
// (scansections.cpp), on the scanner's thread.
#include "artifact/artifactwalk.h"
#include "core/callvocabulary.h"

#include <algorithm>

namespace djp::scan {

namespace {

// Compile-time ids: a call's fields are compared as raw bytes for every call of every file.
constexpr std::string_view kOk = vocabularyIdUtf8(CallStatus::Ok);
constexpr std::string_view kEstimated = vocabularyIdUtf8(UsageSource::Estimated);

} // namespace

bool ArtifactWalk::calls(ondemand::value& v)
{
    ondemand::array a;
    bool ok;
    if (!openArray(v, 2, a, ok, [] { return QStringLiteral("calls"); }) || !ok)
        return err == SUCCESS && !tooDeep;
    return eachElement(a, [&](qint64 index, ondemand::value& item) {
        ondemand::object call;
        bool isObject;
        if (!openObject(item, 3, call, isObject, [index] { return QStringLiteral("calls[%1]").arg(index); })
            || !isObject)
            return err == SUCCESS && !tooDeep;
        std::optional<std::string_view> status, label, usageSource;
        std::optional<qint64> attempt, in, out, cacheRead, cacheWrite, reasoning, costNano, reportedNano;
        std::optional<double> cost, reported;
        bool good = eachField(call, [&](std::string_view k, ondemand::value f) {
            if (k == "status")
                return readString(f, 4, status);
            if (k == "attempt")
                return readInt(f, 4, attempt);
            if (k == "cost_usd")
                return readMoney(f, 4, cost, costNano);
            if (k == "label")
                return readString(f, 4, label);
            if (k == "input_tokens")
                return readInt(f, 4, in);
            if (k == "output_tokens")
                return readInt(f, 4, out);
            if (k == "cache_read_tokens")
                return readInt(f, 4, cacheRead);
            if (k == "cache_write_tokens")
                return readInt(f, 4, cacheWrite);
            if (k == "reasoning_tokens")
                return readInt(f, 4, reasoning);
            if (k == "usage_source")
                return readString(f, 4, usageSource);
            if (k == "reported_cost_usd")
                return readMoney(f, 4, reported, reportedNano);
            return skip(f, 4);
        });
        ++c.calls;
        const bool isOk = status && *status == kOk;
        if (!isOk)
            ++c.failedCalls;
        if (attempt && *attempt > 1)
            ++c.retries;
        if (isOk && !cost)
            c.okCallWithoutCost = true;
        auto nonNegative = [](const std::optional<qint64>& v) { return v && *v > 0 ? *v : 0; };
        c.cacheReadTokens = addClamped(c.cacheReadTokens, nonNegative(cacheRead));
        c.cacheWriteTokens = addClamped(c.cacheWriteTokens, nonNegative(cacheWrite));
        c.reasoningTokens = addClamped(c.reasoningTokens, nonNegative(reasoning));
        if (usageSource && *usageSource == kEstimated)
            ++c.estimatedUsageCalls;
        if (reportedNano && costNano) {
            ++c.reportedCostCalls;
            c.reportedCostNano = addClamped(c.reportedCostNano, *reportedNano);
            c.computedCostNano = addClamped(c.computedCostNano, *costNano);
        }
        const qint64 inTokens = nonNegative(in), outTokens = nonNegative(out);
        if (label && !label->empty() && (inTokens > 0 || outTokens > 0 || costNano)) {
            auto it = std::find_if(
                labelBuckets.begin(), labelBuckets.end(), [&](const LabelBucketsView& b) { return b.label == *label; });
            if (it == labelBuckets.end())
                it = labelBuckets.insert(labelBuckets.end(), LabelBucketsView { *label });
            it->inputTokens = addClamped(it->inputTokens, inTokens);
            it->cacheReadTokens = addClamped(it->cacheReadTokens, nonNegative(cacheRead));
            it->cacheWriteTokens = addClamped(it->cacheWriteTokens, nonNegative(cacheWrite));
            it->outputTokens = addClamped(it->outputTokens, outTokens);
            it->maxCallInputTokens = std::max(it->maxCallInputTokens, inTokens);
            it->costNano = addClamped(it->costNano, costNano.value_or(0));
        }
        return good;
    });
}

} // namespace djp::scan
