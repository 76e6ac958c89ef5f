#pragma once
// The three HTTP wire formats of docs/providers.md as pure functions (no network), so the exact request
// shapes and reply parsing are testable and shared by the client and the fake server's tests.
#include "providers/chattypes.h"
#include "providers/modelcapabilities.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>
#include <optional>

namespace djp {

struct HttpCall
{
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // includes the auth header: never log them
    QByteArray body; // compact JSON
};

// `baseUrl` without a trailing slash; `apiModel` is the label without its vendor prefix.
// openai_chat: POST {base}/chat/completions, Authorization: Bearer, {model, messages, max_tokens,
//   temperature, seed?}; anthropic_messages: POST {base}/v1/messages, x-api-key, anthropic-version,
//   {model, max_tokens, system?, messages, temperature}; gemini: POST
//   {base}/v1beta/models/{model}:generateContent, x-goog-api-key, {contents, systemInstruction?,
//   generationConfig{maxOutputTokens, temperature}}. An empty system prompt is left out; the seed
//   is sent to openai_chat only (the other two APIs of docs/providers.md have no seed field).
// An empty key sends no auth header (keyless local servers).
// The model's capabilities (model_capabilities.json) then adjust the shape: max_completion_tokens
// instead of max_tokens and no temperature for OpenAI reasoning models, reasoning_effort where
// accepted, Anthropic `thinking` / Gemini `thinkingConfig` when a thinking budget is asked for (the
// output limit sent is max_tokens + that budget, see outputTokenLimit()).
HttpCall buildHttpCall(ApiKind api, const QString& baseUrl, const QString& apiModel, const QByteArray& key,
    const ChatRequest& request, const ModelCapabilities& caps);
// The same with the capabilities of request.label from ModelCapabilityTable::shared().
HttpCall buildHttpCall(
    ApiKind api, const QString& baseUrl, const QString& apiModel, const QByteArray& key, const ChatRequest& request);

struct ParsedReply
{
    bool ok = false;
    QString text;
    // Canonical buckets (docs/providers.md, "Usage"). input/output are absent when the reply has
    // no usage; the other buckets are 0 when not reported.
    std::optional<qint64> inputTokens; // all input, cached included
    std::optional<qint64> outputTokens; // all billed output, reasoning included
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    std::optional<double> reportedCostUsd; // openai_chat usage.cost (routers such as OpenRouter)
    // The model stopped at its output limit with no answer text (a reasoning model that thought
    // until the budget ran out): billed, but not a usable reply.
    bool emptyAtOutputLimit = false;
    QString error; // why the body could not be used (no body text quoted)

    bool usageReported() const { return inputTokens && outputTokens; }
};

// Parses a 2xx body. openai_chat: choices[0].message.content, usage prompt_tokens (all input),
// prompt_tokens_details.cached_tokens, completion_tokens (all output),
// completion_tokens_details.reasoning_tokens, cost. anthropic_messages: concatenated content[].text
// of type "text"; usage input_tokens is the UNCACHED input, so all input = input_tokens +
// cache_read_input_tokens + cache_creation_input_tokens; output_tokens. gemini:
// candidates[0].content.parts[].text (thought parts excluded); usageMetadata promptTokenCount (all
// input), cachedContentTokenCount, output = candidatesTokenCount + thoughtsTokenCount. A Gemini reply
// blocked by safety (no candidates, or a candidate without parts) is a valid empty text, not a
// malformed reply.
ParsedReply parseReplyBody(ApiKind api, const QByteArray& body);

// A short, key-free identifier of an error body (e.g. "invalid_api_key", "rate_limit_error",
// "RESOURCE_EXHAUSTED") taken from the provider's error code/type fields; the human message is
// never used because providers echo parts of the key in it. Empty when there is none.
QString errorBodyCode(const QByteArray& body);

} // namespace djp
