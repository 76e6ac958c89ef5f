#include "providers/modelcapabilities.h"

#include "core/jsonutil.h"
#include "core/log.h"
#include "core/resources.h"
#include "core/strings.h"

#include <QFile>
#include <algorithm>

namespace djp {

namespace {

const QString kResourceName = QStringLiteral("model_capabilities.json");

bool readBool(const Json& rule, const char* key, bool& out, QString* error, const QString& match)
{
    auto it = rule.find(key);
    if (it == rule.end())
        return true;
    if (!it->is_boolean()) {
        if (error)
            *error = QStringLiteral("rule \"%1\": \"%2\" must be true or false").arg(match, QLatin1String(key));
        return false;
    }
    out = it->get<bool>();
    return true;
}

bool readChoice(
    const Json& rule, const char* key, const QStringList& allowed, QString& out, QString* error, const QString& match)
{
    auto it = rule.find(key);
    if (it == rule.end())
        return true;
    const QString v = it->is_string() ? qs(it->get<std::string>()) : QString();
    if (!allowed.contains(v)) {
        if (error)
            *error = QStringLiteral("rule \"%1\": \"%2\" must be one of %3")
                         .arg(match, QLatin1String(key), allowed.join(QStringLiteral(", ")));
        return false;
    }
    out = v;
    return true;
}

} // namespace

std::optional<ModelCapabilityTable> ModelCapabilityTable::fromJson(const QByteArray& bytes, QString* error)
{
    QString parseError;
    const auto doc = parseJson(bytes, &parseError);
    if (!doc || !doc->is_object()) {
        if (error)
            *error
                = doc ? QStringLiteral("top level must be an object") : QStringLiteral("not valid JSON: ") + parseError;
        return std::nullopt;
    }
    auto models = doc->find("models");
    if (models == doc->end() || !models->is_array()) {
        if (error)
            *error = QStringLiteral("\"models\" must be an array of rules");
        return std::nullopt;
    }
    ModelCapabilityTable table;
    for (const Json& r : *models) {
        const QString match = r.is_object() ? jsonString(r, "match") : QString();
        if (match.isEmpty()) {
            if (error)
                *error = QStringLiteral("every rule needs a non-empty \"match\" pattern");
            return std::nullopt;
        }
        Rule rule;
        rule.caps.rule = match;
        // '*' is the only wildcard; everything else matches literally, over the whole label.
        QString re = QRegularExpression::escape(match);
        re.replace(QStringLiteral("\\*"), QStringLiteral(".*"));
        rule.pattern = QRegularExpression(QStringLiteral("\\A(?:") + re + QStringLiteral(")\\z"));
        QString field = QStringLiteral("max_tokens"), temperature = QStringLiteral("send"),
                system = QStringLiteral("system"), think = QStringLiteral("none");
        if (!readChoice(r, "output_limit_field",
                { QStringLiteral("max_tokens"), QStringLiteral("max_completion_tokens") }, field, error, match)
            || !readChoice(
                r, "temperature", { QStringLiteral("send"), QStringLiteral("omit") }, temperature, error, match)
            || !readChoice(r, "system_prompt", { QStringLiteral("system"), QStringLiteral("merge_into_user") }, system,
                error, match)
            || !readChoice(r, "thinking",
                { QStringLiteral("none"), QStringLiteral("anthropic"), QStringLiteral("gemini") }, think, error, match)
            || !readBool(r, "reasoning_effort", rule.caps.reasoningEffort, error, match))
            return std::nullopt;
        rule.caps.maxCompletionTokens = field == u"max_completion_tokens";
        rule.caps.omitTemperature = temperature == u"omit";
        rule.caps.mergeSystemIntoUser = system == u"merge_into_user";
        rule.caps.thinking = think == u"anthropic" ? ThinkingStyle::Anthropic
            : think == u"gemini"                   ? ThinkingStyle::Gemini
                                                   : ThinkingStyle::None;
        table.m_rules.push_back(std::move(rule));
    }
    return table;
}

ModelCapabilityTable ModelCapabilityTable::load(QString* error)
{
    if (const auto bytes = readResource(kResourceName)) {
        QString why;
        if (auto t = fromJson(*bytes, &why))
            return *t;
        if (error)
            *error = resourceOrigin(kResourceName) + QStringLiteral(": ") + why;
        logger("providers")
            ->warn("model capabilities {}: {}; using the bundled table", ss(resourceOrigin(kResourceName)), ss(why));
    }
    QFile bundled(QStringLiteral(":/djp/") + kResourceName);
    if (bundled.open(QIODevice::ReadOnly))
        if (auto t = fromJson(bundled.readAll()))
            return *t;
    return {};
}

const ModelCapabilityTable& ModelCapabilityTable::shared()
{
    static const ModelCapabilityTable table = load();
    return table;
}

ModelCapabilities ModelCapabilityTable::find(const QString& label) const
{
    for (const Rule& r : m_rules)
        if (r.pattern.match(label).hasMatch())
            return r.caps;
    return {};
}

int effectiveThinkingBudget(const ModelCapabilities& caps, int requested)
{
    if (requested <= 0)
        return 0;
    switch (caps.thinking) {
    case ThinkingStyle::Anthropic:
        return std::max(requested, thinking::kAnthropicMinBudget);
    case ThinkingStyle::Gemini:
        return requested;
    case ThinkingStyle::None:
        break;
    }
    return 0;
}

int outputTokenLimit(const ModelCapabilities& caps, int maxTokens, int thinkingBudget)
{
    return std::max(0, maxTokens) + effectiveThinkingBudget(caps, thinkingBudget);
}

int outputTokenLimit(const QString& label, int maxTokens, int thinkingBudget)
{
    return outputTokenLimit(ModelCapabilityTable::shared().find(label), maxTokens, thinkingBudget);
}

bool isValidReasoningEffort(const QString& effort)
{
    static const QStringList valid { QStringLiteral("none"), QStringLiteral("minimal"), QStringLiteral("low"),
        QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("xhigh") };
    return effort.isEmpty() || valid.contains(effort);
}

} // namespace djp
