#pragma once
// Import of LiteLLM's model_prices_and_context_window.json (docs/pricing-and-budgets.md): prices there are USD per token,
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
// exact (read from the number text: 2.5e-06 per token is exactly 2.5 per 1M). Cache read/write rates
// (cache_read_input_token_cost, cache_creation_input_token_cost) and long-context tiers
// (*_above_<N>k_tokens) are kept. `updated` stamps every entry.
std::optional<LiteLlmImport> parseLiteLlm(const QByteArray& bytes, const QString& updated, QString* error = nullptr);

// One imported price over the table's: unchanged rates keep the table's entry as it is; new rates become
// the current period, effective `effective`, and the old ones stay in the history so that calls made
// before keep their price (if the table's current period starts on or after `effective`, it is replaced).
ModelPrice mergeModelPrice(const ModelPrice& base, const ModelPrice& imported, QDate effective);

// `base` with every imported label added, or merged as mergeModelPrice says (effective = `updated`).
// The result is dated `updated`; its source names the format, the imported file and the base table's id.
PricingTable mergePricing(const PricingTable& base, const QList<ModelPrice>& imported, const QString& updated,
    const QString& importedFrom, const QString& format = QStringLiteral("LiteLLM"));

// Writes the table as the user override, configDir()/pricing.json, atomically (QSaveFile), creating
// the folder if needed. Returns the path written, or an empty string and *error.
QString writeUserPricing(const PricingTable& table, QString* error = nullptr);

} // namespace djp
