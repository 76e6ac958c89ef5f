#include "pricing/litellmimport.h"

#include "core/jsonutil.h"
#include "core/paths.h"
#include "core/strings.h"

#include <QDir>
#include <QHash>
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

std::optional<double> perToken(const Json& entry, const char* key)
{
    auto it = entry.find(key);
    if (it == entry.end() || !it->is_number())
        return std::nullopt;
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < 0.0)
        return std::nullopt;
    return v;
}

double toPerMillion(double perTokenUsd)
{
    return std::round(perTokenUsd * 1e6 * 1e6) / 1e6;
}

} // namespace

std::optional<LiteLlmImport> parseLiteLlm(const QByteArray& bytes, const QString& updated, QString* error)
{
    QString parseError;
    const auto doc = parseJson(bytes, &parseError);
    if (!doc || !doc->is_object()) {
        if (error)
            *error = doc ? QStringLiteral("top level must be an object of model name -> prices")
                         : QStringLiteral("not valid JSON: ") + parseError;
        return std::nullopt;
    }
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
        const auto in = perToken(*it, "input_cost_per_token");
        const auto out = perToken(*it, "output_cost_per_token");
        if (!in || !out) {
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
        ModelPrice price { QLatin1String(vendor->vendor) + QLatin1Char('/') + model, toPerMillion(*in),
            toPerMillion(*out), std::nullopt, updated,
            QStringLiteral("LiteLLM %1 (%2)").arg(qs(it.key()), qs(prov->get<std::string>())) };
        if (const auto cached = perToken(*it, "cache_read_input_token_cost"))
            price.cachedInput = toPerMillion(*cached);

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

PricingTable mergePricing(
    const PricingTable& base, const QList<ModelPrice>& imported, const QString& updated, const QString& importedFrom)
{
    QHash<QString, bool> replaced;
    for (const ModelPrice& p : imported)
        replaced.insert(p.label, true);
    QList<ModelPrice> merged = imported;
    for (const ModelPrice& p : base.entries()) {
        if (!replaced.contains(p.label))
            merged.append(p);
    }
    const QString source = QStringLiteral("LiteLLM import of %1 on %2, merged over pricing table %3")
                               .arg(importedFrom, updated, base.id());
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
