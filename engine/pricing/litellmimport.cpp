#include "pricing/litellmimport.h"

#include "core/jsonutil.h"
#include "core/paths.h"
#include "core/strings.h"
#include "pricing/importrate.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>
#include <cmath>

namespace djp {

namespace {

struct VendorMapping
{
    const char* litellmProvider;
    const char* vendor;
    int rank; // higher wins when two entries produce the same label
};

constexpr VendorMapping kVendors[] = {
    { "openai", "openai", 1 },
    { "anthropic", "anthropic", 1 },
    { "gemini", "google", 2 },
    { "vertex_ai-language-models", "google", 1 },
};

const VendorMapping* mapProvider(const std::string& provider)
{
    for (const VendorMapping& m : kVendors) {
        if (provider == m.litellmProvider)
            return &m;
    }
    return nullptr;
}

// LiteLLM gives USD per token; our rates are nano-dollars per 1M tokens (10^9 × 10^6).
std::optional<RatePerM> perTokenRate(const Json& entry, const std::string& key)
{
    return importedRate(entry, key, 15);
}

// The rates of an entry, or with `suffix` "_above_<N>k_tokens" those of its long-context tier.
ImportedRates liteLlmRates(const Json& entry, const std::string& suffix = {})
{
    return { perTokenRate(entry, "input_cost_per_token" + suffix),
        perTokenRate(entry, "output_cost_per_token" + suffix),
        perTokenRate(entry, "cache_read_input_token_cost" + suffix),
        perTokenRate(entry, "cache_creation_input_token_cost" + suffix) };
}

// LiteLLM's long-context keys: "input_cost_per_token_above_200k_tokens" and friends. Returns the tiers
// found (threshold in tokens), each with at least its own input rate.
QList<PriceTier> liteLlmTiers(const Json& entry, const PriceRates& base)
{
    static const QRegularExpression re(QStringLiteral("^input_cost_per_token_above_(\\d+)k_tokens$"));
    QList<PriceTier> tiers;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const auto m = re.match(qs(it.key()));
        if (!m.hasMatch())
            continue;
        const ImportedRates given = liteLlmRates(entry, "_above_" + m.captured(1).toStdString() + "k_tokens");
        if (!given.input)
            continue;
        PriceTier tier;
        tier.aboveInputTokens = m.captured(1).toLongLong() * 1000;
        tier.rates = given.over(base);
        tiers.append(tier);
    }
    sortTiers(tiers);
    return tiers;
}

} // namespace

std::optional<LiteLlmImport> parseLiteLlm(const QByteArray& bytes, const QString& updated, QString* error)
{
    const auto doc = parseJsonObject(bytes, error, QStringLiteral(" of model name -> prices"));
    if (!doc)
        return std::nullopt;
    LiteLlmImport result;
    QHash<QString, std::pair<qsizetype, int>> byLabel; // label -> (index in entries, provider rank)
    for (auto it = doc->begin(); it != doc->end(); ++it) { // nlohmann objects iterate in sorted key order
        if (it.key() == "sample_spec") {
            ++result.skippedSampleSpec;
            continue;
        }
        if (!it->is_object()) {
            ++result.skippedMissingCost;
            continue;
        }
        const auto rates = liteLlmRates(*it).price();
        if (!rates) {
            ++result.skippedMissingCost;
            continue;
        }
        auto prov = it->find("litellm_provider");
        const VendorMapping* vendor
            = (prov != it->end() && prov->is_string()) ? mapProvider(prov->get<std::string>()) : nullptr;
        if (!vendor) {
            ++result.skippedProvider;
            continue;
        }
        QString model = qs(it.key());
        model = model.mid(model.lastIndexOf(QLatin1Char('/')) + 1);
        if (model.isEmpty()) {
            ++result.skippedMissingCost;
            continue;
        }
        PricePeriod period;
        period.rates = *rates;
        period.tiers = liteLlmTiers(*it, period.rates);
        period.updated = updated;
        period.source = QStringLiteral("LiteLLM %1 (%2)").arg(qs(it.key()), qs(prov->get<std::string>()));
        ModelPrice price;
        price.label = QLatin1String(vendor->vendor) + QLatin1Char('/') + model;
        price.periods.append(period);

        auto seen = byLabel.find(price.label);
        if (seen == byLabel.end()) {
            byLabel.insert(price.label, { result.entries.size(), vendor->rank });
            result.entries.append(std::move(price));
        } else {
            ++result.skippedDuplicate;
            if (vendor->rank > seen->second) {
                result.entries[seen->first] = std::move(price);
                seen->second = vendor->rank;
            }
        }
    }
    return result;
}

ModelPrice mergeModelPrice(const ModelPrice& base, const ModelPrice& imported, QDate effective)
{
    const PricePeriod& now = base.current();
    const PricePeriod& incoming = imported.current();
    if (now.rates == incoming.rates && now.tiers == incoming.tiers)
        return base; // same price: keep its date and source
    ModelPrice merged = base;
    PricePeriod next = incoming;
    next.effective = effective;
    if (now.effective.isValid() && now.effective >= effective) {
        // The base's current price already starts on or after that day: the import replaces it.
        next.effective = now.effective;
        merged.periods.last() = next;
    } else {
        merged.periods.append(next);
    }
    return merged;
}

PricingTable mergePricing(const PricingTable& base, const QList<ModelPrice>& imported, const QString& updated,
    const QString& importedFrom, const QString& format)
{
    const QDate effective = QDate::fromString(updated, Qt::ISODate);
    QHash<QString, qsizetype> byLabel;
    QList<ModelPrice> merged = base.entries();
    for (qsizetype i = 0; i < merged.size(); ++i)
        byLabel.insert(merged.at(i).label, i);
    for (const ModelPrice& p : imported) {
        auto it = byLabel.constFind(p.label);
        if (it == byLabel.constEnd())
            merged.append(p);
        else
            merged[*it] = mergeModelPrice(merged.at(*it), p, effective);
    }
    const QString source = QStringLiteral("%1 import of %2 on %3, merged over pricing table %4")
                               .arg(format, importedFrom, updated, base.id());
    return PricingTable::fromEntries(std::move(merged), updated, source);
}

QString writeUserPricing(const PricingTable& table, QString* error)
{
    const QString dir = configDir();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return {};
    }
    const QString path = dir + QStringLiteral("/pricing.json");
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(table.toIndentedJson()) < 0 || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return {};
    }
    return path;
}

} // namespace djp
