#pragma once
// The canonical token buckets of one call, whatever shape the vendor reported them in (docs/pricing.md).
// Providers translate their own usage fields into these; pricing and budgets only ever see these.
#include <QtGlobal>

namespace djp {

struct UsageBuckets
{
    qint64 inputTokens = 0; // ALL input tokens, cached ones included
    qint64 cacheReadTokens = 0; // part of input read from the prompt cache
    qint64 cacheWriteTokens = 0; // part of input written to the prompt cache
    qint64 outputTokens = 0; // ALL billed output, reasoning/thinking included
    qint64 reasoningTokens = 0; // reasoning part of output (informational: billed as output)

    // Input billed at the plain input rate: what is neither read from nor written to the cache.
    // Never negative, even if a vendor reports more cached than total input.
    qint64 uncachedInputTokens() const
    {
        const qint64 rest = inputTokens - cacheReadTokens - cacheWriteTokens;
        return rest > 0 ? rest : 0;
    }
    qint64 totalTokens() const { return inputTokens + outputTokens; }
    bool operator==(const UsageBuckets&) const = default;
};

} // namespace djp
