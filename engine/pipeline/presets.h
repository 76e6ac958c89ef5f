#pragma once
// Presets and policies (docs/pipeline.md): JSON files under resources/presets/ and resources/policies/,
// bundled and overridable from the user's config dir (core/resources.h). Pure loaders; safe on any
// thread as long as the config dir does not change underneath.
#include <QString>
#include <QStringList>
#include <optional>

namespace djp {

// A preset: every value optional ("–" in docs/pipeline.md's preset table is null/absent in the file).
struct Preset
{
    QString name;
    QString description;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    std::optional<bool> fastpath;
    std::optional<int> maxDebaters;
    std::optional<int> timeoutS;
    std::optional<double> marginThreshold;
    std::optional<int> requireCitations;
    std::optional<qint64> seed;
    std::optional<QString> policy;
    // Options for today's reasoning models (docs/providers.md): sent only to models that take them.
    std::optional<QString> reasoningEffort; // OpenAI reasoning_effort
    std::optional<int> thinkingBudget; // Anthropic thinking.budget_tokens / Gemini thinkingBudget
    QString origin; // file it was read from (":/djp/presets/quick.json" or a user path)
};

// A publish policy: the labels allowed to publish (empty = nobody), and the vendor that wins ties.
struct Policy
{
    QString name;
    QString description;
    QStringList allowedModels;
    QString preferredVendor = QStringLiteral("openai");
    QString origin;

    bool allows(const QString& label) const { return allowedModels.contains(label); }
};

// Names (file base names) of all presets / policies, bundled and user ones merged, sorted.
QStringList presetNames();
QStringList policyNames();

// Load by name. nullopt with *error set ("Unknown preset 'x' (available: ...)", or a parse error
// naming the file) when the preset cannot be used.
std::optional<Preset> loadPreset(const QString& name, QString* error = nullptr);
std::optional<Policy> loadPolicy(const QString& name, QString* error = nullptr);

} // namespace djp
