#pragma once
// What request shape each model accepts (docs/providers.md, "Request shapes"): a small rule table
// bundled as resources/model_capabilities.json (user override in the config dir, as every resource).
//
// Today's OpenAI reasoning models (GPT-5.x, o1/o3/o4) refuse `max_tokens` and any non-default
// temperature; Anthropic's extended thinking and Gemini's thinkingConfig are opt-in budgets that
// count as billed output. The table says which label gets which shape; a label no rule matches keeps
// the plain shape of its API kind, which is what every other OpenAI-compatible server expects.
//
// Threading: a ModelCapabilityTable is immutable once built; shared() is loaded once per process and
// is safe from any thread.
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <optional>

namespace djp {

enum class ThinkingStyle
{
    None,
    Anthropic, // body.thinking = {type: enabled, budget_tokens}; max_tokens covers thinking + answer
    Gemini // generationConfig.thinkingConfig.thinkingBudget; maxOutputTokens covers both
};

struct ModelCapabilities
{
    QString rule; // the pattern that matched ("" when none did)
    bool maxCompletionTokens = false; // openai_chat: send max_completion_tokens instead of max_tokens
    bool omitTemperature = false; // the model accepts only its default temperature: never send one
    bool reasoningEffort = false; // openai_chat: accepts reasoning_effort
    bool mergeSystemIntoUser = false; // the model rejects system/developer messages
    ThinkingStyle thinking = ThinkingStyle::None;
};

namespace thinking {
// Anthropic refuses smaller thinking budgets.
inline constexpr int kAnthropicMinBudget = 1024;
} // namespace thinking

class ModelCapabilityTable
{
public:
    ModelCapabilityTable() = default;

    // Parses model_capabilities.json ({"models": [{"match": "openai/gpt-5*", ...}, ...]}); nullopt and
    // *error on anything malformed (an unknown key value is an error, not silently ignored).
    static std::optional<ModelCapabilityTable> fromJson(const QByteArray& bytes, QString* error = nullptr);
    // The user's override when present and valid, else the bundled table (problems in *error).
    static ModelCapabilityTable load(QString* error = nullptr);
    // load(), once per process.
    static const ModelCapabilityTable& shared();

    // First rule whose pattern matches the whole label; defaults when none does.
    ModelCapabilities find(const QString& label) const;
    int ruleCount() const { return static_cast<int>(m_rules.size()); }

private:
    struct Rule
    {
        QRegularExpression pattern;
        ModelCapabilities caps;
    };
    QList<Rule> m_rules;
};

// The thinking budget actually sent for `requested` tokens (0 = thinking off): raised to the vendor's
// minimum where there is one; 0 for a model without a thinking option.
int effectiveThinkingBudget(const ModelCapabilities& caps, int requested);

// The output-token limit sent on the wire, which is also the most output the call can be billed for:
// max_tokens plus the effective thinking budget (Anthropic and Gemini count thinking inside the limit).
// OpenAI reasoning tokens already live inside max_completion_tokens.
int outputTokenLimit(const ModelCapabilities& caps, int maxTokens, int thinkingBudget);
// The same for a label, through ModelCapabilityTable::shared().
int outputTokenLimit(const QString& label, int maxTokens, int thinkingBudget);

// Accepted values of reasoning_effort ("" = not sent).
bool isValidReasoningEffort(const QString& effort);

} // namespace djp
