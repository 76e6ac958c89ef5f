#pragma once
// Reading a price from an imported price database (LiteLLM, models.dev) exactly: the JSON number's own
// decimal text is scaled to an integer rate, so 2.5e-06 becomes 2'500'000'000 with no float noise
// (docs/pricing.md, "Exact money").
#include "core/jsonutil.h"
#include "pricing/pricingtable.h"

#include <optional>

namespace djp {

// obj[key] as an exact rate: the number × 10^scale, rounded up to a whole unit. nullopt when the key
// is missing, not a number, negative or not finite.
std::optional<RatePerM> importedRate(const Json& obj, const std::string& key, int scale);

// The four rates a database gives for a model or for one of its long-context tiers; nullopt where it
// gives none.
struct ImportedRates
{
    std::optional<RatePerM> input;
    std::optional<RatePerM> output;
    std::optional<RatePerM> cacheRead;
    std::optional<RatePerM> cacheWrite;

    // A model's rates: nullopt unless both the input and the output rate are given (the model is then
    // skipped as missing its cost).
    std::optional<PriceRates> price() const;
    // A tier's rates: a rate the tier leaves out is the model's (`base`), since both databases omit what
    // does not change above the threshold.
    PriceRates over(const PriceRates& base) const;
};

// Tiers in ascending order of their threshold.
void sortTiers(QList<PriceTier>& tiers);

} // namespace djp
