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

} // namespace djp
