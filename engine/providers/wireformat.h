#pragma once
// The three HTTP wire formats of SPEC §2 as pure functions (no network), so the exact request
// shapes and reply parsing are testable and shared by the client and the fake server's tests.
#include "providers/chattypes.h"

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
//   is sent to openai_chat only (the other two APIs of §2 have no seed field).
// An empty key sends no auth header (keyless local servers).
HttpCall buildHttpCall(
    ApiKind api, const QString& baseUrl, const QString& apiModel, const QByteArray& key, const ChatRequest& request);

struct ParsedReply
{
    bool ok = false;
    QString text;
    std::optional<qint64> inputTokens; // absent when the reply has no usage
    std::optional<qint64> outputTokens;
    QString error; // why the body could not be used (no body text quoted)
};

// Parses a 2xx body. openai_chat: choices[0].message.content (+ usage.prompt_tokens /
// completion_tokens); anthropic_messages: concatenated content[].text of type "text" (+ usage
// input_tokens / output_tokens); gemini: candidates[0].content.parts[].text (+ usageMetadata
// promptTokenCount / candidatesTokenCount). A Gemini reply blocked by safety (no candidates, or a
// candidate without parts) is a valid empty text, not a malformed reply.
ParsedReply parseReplyBody(ApiKind api, const QByteArray& body);

// A short, key-free identifier of an error body (e.g. "invalid_api_key", "rate_limit_error",
// "RESOURCE_EXHAUSTED") taken from the provider's error code/type fields; the human message is
// never used because providers echo parts of the key in it. Empty when there is none.
QString errorBodyCode(const QByteArray& body);

} // namespace djp
