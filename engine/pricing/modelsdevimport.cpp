#include "pricing/modelsdevimport.h"

#include "core/jsonutil.h"
#include "core/strings.h"
#include "pricing/importrate.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace djp {

namespace {

const char* vendorOf(const std::string& provider)
{
    if (provider == "openai")
        return "openai";
    if (provider == "anthropic")
        return "anthropic";
    if (provider == "google")
        return "google";
    return nullptr;
}

// models.dev gives USD per 1M tokens; our rates are nano-dollars per 1M tokens.
std::optional<RatePerM> rateOf(const Json& obj, const char* key)
{
    return importedRate(obj, key, 9);
}

// The rates of a "cost" object, or of one of its "context_over_<N>k" tiers.
ImportedRates modelsDevRates(const Json& cost)
{
    return { rateOf(cost, "input"), rateOf(cost, "output"), rateOf(cost, "cache_read"), rateOf(cost, "cache_write") };
}

} // namespace

bool looksLikeModelsDev(const QByteArray& bytes)
{
    const auto doc = parseJson(bytes);
    if (!doc || !doc->is_object())
        return false;
    for (auto it = doc->begin(); it != doc->end(); ++it) {
        if (it->is_object()) {
            auto models = it->find("models");
            if (models != it->end() && models->is_object())
                return true;
        }
    }
    return false;
}

std::optional<ModelsDevImport> parseModelsDev(const QByteArray& bytes, const QString& updated, QString* error)
{
    const auto doc = parseJsonObject(bytes, error, QStringLiteral(" of provider id -> {models}"));
    if (!doc)
        return std::nullopt;
    static const QRegularExpression tierKey(QStringLiteral("^context_over_(\\d+)k$"));
    ModelsDevImport result;
    bool sawProvider = false;
    for (auto prov = doc->begin(); prov != doc->end(); ++prov) {
        if (!prov->is_object())
            continue;
        auto models = prov->find("models");
        if (models == prov->end() || !models->is_object())
            continue;
        sawProvider = true;
        const char* vendor = vendorOf(prov.key());
        if (!vendor) {
            result.skippedProvider += static_cast<int>(models->size());
            continue;
        }
        for (auto m = models->begin(); m != models->end(); ++m) {
            const Json* cost = nullptr;
            if (m->is_object()) {
                auto c = m->find("cost");
                if (c != m->end() && c->is_object())
                    cost = &*c;
            }
            const auto rates = cost ? modelsDevRates(*cost).price() : std::nullopt;
            if (!rates || m.key().empty()) {
                ++result.skippedMissingCost;
                continue;
            }
            PricePeriod period;
            period.rates = *rates;
            for (auto t = cost->begin(); t != cost->end(); ++t) {
                const auto match = tierKey.match(qs(t.key()));
                if (!match.hasMatch() || !t->is_object())
                    continue;
                PriceTier tier;
                tier.aboveInputTokens = match.captured(1).toLongLong() * 1000;
                tier.rates = modelsDevRates(*t).over(period.rates);
                if (tier.aboveInputTokens > 0)
                    period.tiers.append(tier);
            }
            sortTiers(period.tiers);
            period.updated = updated;
            period.source = QStringLiteral("models.dev %1/%2").arg(qs(prov.key()), qs(m.key()));
            ModelPrice price;
            price.label = QLatin1String(vendor) + QLatin1Char('/') + qs(m.key());
            price.periods.append(period);
            result.entries.append(std::move(price));
        }
    }
    if (!sawProvider) {
        if (error)
            *error = QStringLiteral("no provider with a \"models\" object: not a models.dev catalog");
        return std::nullopt;
    }
    return result;
}

} // namespace djp
