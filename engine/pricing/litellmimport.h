#pragma once
// Import of LiteLLM's model_prices_and_context_window.json (SPEC §3): prices there are USD per token,
// keyed by model name (sometimes "provider/model"), with the vendor in "litellm_provider".
#include "pricing/pricingtable.h"

#include <QList>
#include <QString>
#include <optional>

namespace djp {

struct LiteLlmImport
{
    QList<ModelPrice> entries; // converted to USD per 1M, labelled "openai/...", "anthropic/...", "google/..."
    int skippedSampleSpec = 0; // the "sample_spec" documentation key
    int skippedMissingCost = 0; // no numeric input_cost_per_token and output_cost_per_token
    int skippedProvider = 0; // litellm_provider we do not call (azure, bedrock, ...)
    int skippedDuplicate = 0; // a second entry for a label already imported (see parseLiteLlm)
    int skipped() const { return skippedSampleSpec + skippedMissingCost + skippedProvider + skippedDuplicate; }
};

// Converts a LiteLLM file. Provider mapping: openai -> openai, anthropic -> anthropic, gemini and
// vertex_ai-language-models -> google. The label is our vendor + the key without any "provider/" prefix.
// When two entries give the same label, the Gemini API ("gemini") entry beats the Vertex AI one (we call
// the Gemini API); otherwise the first key in sorted order wins. Per-token prices become per-1M prices
// rounded to 1e-6 USD (removing float noise like 2.4999999999999996). `updated` stamps every entry.
std::optional<LiteLlmImport> parseLiteLlm(const QByteArray& bytes, const QString& updated, QString* error = nullptr);

// `base` with every imported label added or replaced. The result is dated `updated`; its source names
// the imported file and the base table's id.
PricingTable mergePricing(
    const PricingTable& base, const QList<ModelPrice>& imported, const QString& updated, const QString& importedFrom);

// Writes the table as the user override, configDir()/pricing.json, atomically (QSaveFile), creating
// the folder if needed. Returns the path written, or an empty string and *error.
QString writeUserPricing(const PricingTable& table, QString* error = nullptr);

} // namespace djp
