#include "pricing/importrate.h"

#include "core/exactmoney.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace djp {

std::optional<RatePerM> importedRate(const Json& obj, const std::string& key, int scale)
{
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number())
        return std::nullopt;
    std::string text;
    if (it->is_number_float()) {
        const double v = it->get<double>();
        if (!std::isfinite(v) || v < 0.0)
            return std::nullopt;
        text = shortestDecimal(v);
    } else if (it->is_number_unsigned()) {
        text = std::to_string(it->get<std::uint64_t>());
    } else {
        const auto v = it->get<std::int64_t>();
        if (v < 0)
            return std::nullopt;
        text = std::to_string(v);
    }
    return scaleDecimal(text, scale, true);
}

std::optional<PriceRates> ImportedRates::price() const
{
    if (!input || !output)
        return std::nullopt;
    PriceRates r;
    r.input = *input;
    r.output = *output;
    r.cacheRead = cacheRead;
    r.cacheWrite = cacheWrite;
    return r;
}

PriceRates ImportedRates::over(const PriceRates& base) const
{
    PriceRates r;
    r.input = input.value_or(base.input);
    r.output = output.value_or(base.output);
    r.cacheRead = cacheRead ? cacheRead : base.cacheRead;
    r.cacheWrite = cacheWrite ? cacheWrite : base.cacheWrite;
    return r;
}

void sortTiers(QList<PriceTier>& tiers)
{
    std::sort(tiers.begin(), tiers.end(),
        [](const PriceTier& a, const PriceTier& b) { return a.aboveInputTokens < b.aboveInputTokens; });
}

} // namespace djp
