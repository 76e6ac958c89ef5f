#include "providers/wireformat.h"

#include "core/jsonutil.h"
#include "core/strings.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace djp {

namespace {

// Above any real usage, and small enough that adding a few of them cannot overflow.
constexpr qint64 kMaxTokenCount = 1'000'000'000'000'000;

// A token count from the reply: a non-negative number, capped at kMaxTokenCount. A negative count, or
// a fractional one beyond the integer range, is not a count (nullopt): converting it would give a
// negative or undefined value (found by fuzz_wireformat_replay, docs/fuzzing.md).
std::optional<qint64> tokenCount(const Json& v)
{
    if (v.is_number_unsigned())
        return static_cast<qint64>(std::min<quint64>(v.get<quint64>(), quint64(kMaxTokenCount)));
    if (v.is_number_integer()) {
        const qint64 n = v.get<qint64>();
        return n < 0 ? std::nullopt : std::optional<qint64>(std::min(n, kMaxTokenCount));
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < 0.0)
            return std::nullopt;
        return d >= double(kMaxTokenCount) ? kMaxTokenCount : static_cast<qint64>(d);
    }
    return std::nullopt;
}

std::optional<qint64> intAt(const Json& j, const char* object, const char* key)
{
    auto o = j.find(object);
    if (o == j.end() || !o->is_object())
        return std::nullopt;
    auto v = o->find(key);
    if (v == o->end())
        return std::nullopt;
    return tokenCount(*v);
}

ParsedReply malformed(const char* why)
{
    ParsedReply r;
    r.error = QString::fromLatin1(why);
    return r;
}

const Json* objectAt(const Json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? &*it : nullptr;
}

qint64 intOr0(const Json* o, const char* key)
{
    if (!o)
        return 0;
    auto v = o->find(key);
    return v != o->end() ? tokenCount(*v).value_or(0) : 0;
}

// Text the model produced ended because it hit the output limit, with nothing to show for it.
void markEmptyAtLimit(ParsedReply& r, bool hitLimit)
{
    r.emptyAtOutputLimit = hitLimit && r.text.trimmed().isEmpty();
}

ParsedReply parseOpenAi(const Json& j)
{
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
        return malformed("reply has no choices");
    const Json& choice = (*choices)[0];
    auto message = choice.find("message");
    if (message == choice.end() || !message->is_object())
        return malformed("reply choice has no message");
    auto content = message->find("content");
    ParsedReply r;
    if (content != message->end() && content->is_string())
        r.text = qs(content->get<std::string>());
    else if (content == message->end() || !content->is_null())
        return malformed("reply message has no text content");
    r.ok = true;
    markEmptyAtLimit(r, jsonString(choice, "finish_reason") == u"length");
    // prompt_tokens counts every input token, cached ones included; completion_tokens every output
    // token, reasoning included.
    r.inputTokens = intAt(j, "usage", "prompt_tokens");
    r.outputTokens = intAt(j, "usage", "completion_tokens");
    if (const Json* usage = objectAt(j, "usage")) {
        const Json* prompt = objectAt(*usage, "prompt_tokens_details");
        r.cacheReadTokens = intOr0(prompt, "cached_tokens");
        r.cacheWriteTokens = intOr0(prompt, "cache_write_tokens"); // some routers report cache writes here
        r.reasoningTokens = intOr0(objectAt(*usage, "completion_tokens_details"), "reasoning_tokens");
        auto cost = usage->find("cost");
        if (cost != usage->end() && cost->is_number() && cost->get<double>() >= 0.0)
            r.reportedCostUsd = cost->get<double>();
    }
    return r;
}

ParsedReply parseAnthropic(const Json& j)
{
    auto content = j.find("content");
    if (content == j.end() || !content->is_array())
        return malformed("reply has no content array");
    ParsedReply r;
    for (const Json& block : *content) {
        if (block.is_object() && jsonString(block, "type") == u"text")
            r.text += jsonString(block, "text");
    }
    r.ok = true;
    markEmptyAtLimit(r, jsonString(j, "stop_reason") == u"max_tokens");
    // input_tokens counts only the UNCACHED input: cache reads and writes come on top of it.
    // output_tokens already includes extended-thinking tokens.
    const auto uncached = intAt(j, "usage", "input_tokens");
    r.outputTokens = intAt(j, "usage", "output_tokens");
    if (uncached) {
        const Json* usage = objectAt(j, "usage");
        r.cacheReadTokens = intOr0(usage, "cache_read_input_tokens");
        r.cacheWriteTokens = intOr0(usage, "cache_creation_input_tokens");
        r.inputTokens = *uncached + r.cacheReadTokens + r.cacheWriteTokens;
    }
    return r;
}

ParsedReply parseGemini(const Json& j)
{
    ParsedReply r;
    bool hitLimit = false;
    auto candidates = j.find("candidates");
    if (candidates != j.end()) {
        if (!candidates->is_array())
            return malformed("reply candidates is not an array");
        if (!candidates->empty()) {
            const Json& c = (*candidates)[0];
            auto content = c.is_object() ? c.find("content") : c.end();
            if (content != c.end() && content->is_object()) {
                auto parts = content->find("parts");
                if (parts != content->end() && parts->is_array())
                    for (const Json& p : *parts)
                        if (p.is_object() && !p.value("thought", false)) // thought summaries are not the answer
                            r.text += jsonString(p, "text");
            }
            hitLimit = c.is_object() && jsonString(c, "finishReason") == u"MAX_TOKENS";
        }
    } else if (!j.contains("promptFeedback")) {
        return malformed("reply has neither candidates nor promptFeedback");
    }
    r.ok = true;
    markEmptyAtLimit(r, hitLimit);
    // promptTokenCount includes cached content; thoughts are billed as output beside the candidates.
    r.inputTokens = intAt(j, "usageMetadata", "promptTokenCount");
    if (r.inputTokens) {
        const Json* usage = objectAt(j, "usageMetadata");
        r.cacheReadTokens = intOr0(usage, "cachedContentTokenCount");
        r.reasoningTokens = intOr0(usage, "thoughtsTokenCount");
        r.outputTokens = intOr0(usage, "candidatesTokenCount") + r.reasoningTokens;
    }
    return r;
}

QByteArray joinUrl(const QString& base, const QString& path)
{
    QString b = base;
    while (b.endsWith(u'/'))
        b.chop(1);
    return (b + path).toUtf8();
}

} // namespace

HttpCall buildHttpCall(
    ApiKind api, const QString& baseUrl, const QString& apiModel, const QByteArray& key, const ChatRequest& request)
{
    return buildHttpCall(api, baseUrl, apiModel, key, request, ModelCapabilityTable::shared().find(request.label));
}

HttpCall buildHttpCall(ApiKind api, const QString& baseUrl, const QString& apiModel, const QByteArray& key,
    const ChatRequest& request, const ModelCapabilities& caps)
{
    HttpCall call;
    auto addHeader = [&call](const QByteArray& name, const QByteArray& value) { call.headers.append({ name, value }); };
    addHeader("Content-Type", "application/json");
    Json body = Json::object();
    const int thinkingBudget = effectiveThinkingBudget(caps, request.thinkingBudget);
    const int outputLimit = outputTokenLimit(caps, request.maxTokens, request.thinkingBudget);
    switch (api) {
    case ApiKind::OpenAiChat: {
        call.url = QUrl::fromEncoded(joinUrl(baseUrl, QStringLiteral("/chat/completions")));
        if (!key.isEmpty())
            addHeader("Authorization", "Bearer " + key);
        Json messages = Json::array();
        QString user = request.user;
        if (!request.system.isEmpty()) {
            if (caps.mergeSystemIntoUser)
                user = request.system + QStringLiteral("\n\n") + user;
            else
                messages.push_back({ { "role", "system" }, { "content", ss(request.system) } });
        }
        messages.push_back({ { "role", "user" }, { "content", ss(user) } });
        body["model"] = ss(apiModel);
        body["messages"] = std::move(messages);
        // Reasoning models refuse max_tokens; their limit covers reasoning and answer together.
        body[caps.maxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = outputLimit;
        if (!caps.omitTemperature)
            body["temperature"] = request.temperature;
        if (caps.reasoningEffort && !request.reasoningEffort.isEmpty())
            body["reasoning_effort"] = ss(request.reasoningEffort);
        if (request.seed)
            body["seed"] = *request.seed;
        break;
    }
    case ApiKind::AnthropicMessages: {
        call.url = QUrl::fromEncoded(joinUrl(baseUrl, QStringLiteral("/v1/messages")));
        if (!key.isEmpty())
            addHeader("x-api-key", key);
        addHeader("anthropic-version", "2023-06-01");
        body["model"] = ss(apiModel);
        body["max_tokens"] = outputLimit;
        if (!request.system.isEmpty())
            body["system"] = ss(request.system);
        body["messages"] = Json::array({ { { "role", "user" }, { "content", ss(request.user) } } });
        if (thinkingBudget > 0)
            // Extended thinking accepts only the default temperature, and its budget lives inside max_tokens.
            body["thinking"] = { { "type", "enabled" }, { "budget_tokens", thinkingBudget } };
        else if (!caps.omitTemperature)
            body["temperature"] = request.temperature;
        break;
    }
    case ApiKind::Gemini: {
        const QString model = QString::fromLatin1(QUrl::toPercentEncoding(apiModel, "-._~"));
        call.url = QUrl::fromEncoded(
            joinUrl(baseUrl, QStringLiteral("/v1beta/models/") + model + QStringLiteral(":generateContent")));
        if (!key.isEmpty())
            addHeader("x-goog-api-key", key);
        body["contents"]
            = Json::array({ { { "role", "user" }, { "parts", Json::array({ { { "text", ss(request.user) } } }) } } });
        if (!request.system.isEmpty())
            body["systemInstruction"] = { { "parts", Json::array({ { { "text", ss(request.system) } } }) } };
        Json config = { { "maxOutputTokens", outputLimit } };
        if (!caps.omitTemperature)
            config["temperature"] = request.temperature;
        if (thinkingBudget > 0)
            config["thinkingConfig"] = { { "thinkingBudget", thinkingBudget } };
        body["generationConfig"] = std::move(config);
        break;
    }
    case ApiKind::Simulated:
        break;
    }
    const std::string dumped = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    call.body = QByteArray(dumped.data(), static_cast<qsizetype>(dumped.size()));
    return call;
}

ParsedReply parseReplyBody(ApiKind api, const QByteArray& body)
{
    QString error;
    const auto doc = parseJson(body, &error);
    if (!doc)
        return malformed("reply body is not valid JSON");
    if (!doc->is_object())
        return malformed("reply body is not a JSON object");
    switch (api) {
    case ApiKind::OpenAiChat:
        return parseOpenAi(*doc);
    case ApiKind::AnthropicMessages:
        return parseAnthropic(*doc);
    case ApiKind::Gemini:
        return parseGemini(*doc);
    case ApiKind::Simulated:
        break;
    }
    return malformed("no wire format for this API kind");
}

QString errorBodyCode(const QByteArray& body)
{
    const auto doc = parseJson(body);
    if (!doc || !doc->is_object())
        return {};
    auto err = doc->find("error");
    if (err == doc->end() || !err->is_object())
        return {};
    QString code;
    // OpenAI: error.code (string) or error.type; Anthropic: error.type; Gemini: error.status.
    for (const char* key : { "code", "status", "type" }) {
        code = jsonString(*err, key);
        if (!code.isEmpty())
            break;
    }
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    return safe.match(code).hasMatch() ? code : QString();
}

} // namespace djp
