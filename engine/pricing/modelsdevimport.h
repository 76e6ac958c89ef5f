#pragma once
// Import of the models.dev catalog (its api.json, docs/pricing.md): an object of provider id ->
// {"models": {model id -> {"cost": {"input", "output", "cache_read", "cache_write",
// "context_over_200k": {...}}}}}, prices in USD per 1M tokens.
#include "pricing/pricingtable.h"

#include <QList>
#include <QString>
#include <optional>

namespace djp {

struct ModelsDevImport
{
    QList<ModelPrice> entries; // labelled "openai/...", "anthropic/...", "google/..."
    int skippedMissingCost = 0; // no numeric cost.input and cost.output
    int skippedProvider = 0; // models of providers we do not call (azure, bedrock, openrouter, ...)
    int skipped() const { return skippedMissingCost + skippedProvider; }
};

// Provider mapping: openai -> openai, anthropic -> anthropic, google -> google (the Gemini API; Vertex AI
// and resellers are skipped: their prices differ and we do not call them). The label is our vendor + the
// model id. Rates are read exactly from the number text. A "context_over_<N>k" object in cost is a
// long-context tier above N×1000 input tokens; its missing rates keep the base rates. `updated` stamps
// every entry.
std::optional<ModelsDevImport> parseModelsDev(
    const QByteArray& bytes, const QString& updated, QString* error = nullptr);

// True when the bytes look like a models.dev catalog rather than a LiteLLM map (an object whose values
// carry a "models" object), so that `djp pricing import` can pick the reader by itself.
bool looksLikeModelsDev(const QByteArray& bytes);

} // namespace djp
