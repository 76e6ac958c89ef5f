#pragma once
// Plain values exchanged between the pipeline and the providers layer.
#include "core/vocabulary.h"

#include <QString>
#include <functional>
#include <optional>
#include <vector>

namespace djp {

enum class ApiKind
{
    OpenAiChat,
    AnthropicMessages,
    Gemini,
    Simulated
};
QString apiKindName(ApiKind k); // "openai_chat" | "anthropic_messages" | "gemini" | "simulated"
std::optional<ApiKind> apiKindFromName(const QString& name);

// Why an attempt failed; retry decisions are made on this and the HTTP status, never on text.
enum class ErrorKind
{
    None,
    Network,
    Timeout,
    Http,
    MalformedResponse,
    CircuitOpen,
    SkippedBudget,
    Cancelled,
    // The provider answered with a redirect; redirects are never followed, so API keys only ever
    // go to the configured origin. Not retried.
    Redirected,
    // The reply grew past the transport's size limit and the connection was aborted. Not retried.
    ReplyTooLarge,
    // A 2xx reply with no answer text because the model hit its output limit (OpenAI
    // finish_reason "length", Anthropic stop_reason "max_tokens", Gemini finishReason MAX_TOKENS):
    // typically a reasoning model that spent the whole budget thinking. Billed; never retried.
    OutputLimitReached
};
QString errorKindName(ErrorKind k); // "none" | "network" | "timeout" | "http" | "malformed_response" | ...
                                    // | "redirected" | "reply_too_large"

// Where an attempt's token counts come from: the provider's own usage report, an estimate (the
// reply had none: the counts are the attempt's reservation), or nothing (no tokens were used).
enum class UsageSource
{
    None,
    Reported,
    Estimated
};
QString usageSourceName(UsageSource s); // "none" | "reported" | "estimated"

struct ChatRequest
{
    QString stage; // "debate" | "judge"
    QString label; // "vendor/model" as requested (recorded verbatim)
    QString system; // system prompt (may be empty)
    QString user; // user message
    int maxTokens = 800; // answer tokens; the wire limit adds the thinking budget (outputTokenLimit)
    double temperature = 0.2;
    std::optional<int> seed;
    int timeoutMs = 60000; // per attempt
    QString reasoningEffort; // "" = not sent; sent only to models that accept it (model_capabilities.json)
    int thinkingBudget = 0; // Anthropic / Gemini thinking tokens; 0 = thinking not requested
};

// calls[].status of an artifact and of the spend journal (docs/artifact-format.md, "Vocabularies"), plus
// Running, which only the run engine's live events carry (never written to a file).
enum class CallStatus
{
    Ok, // ok: the provider answered
    Error, // error: sent, and failed (HTTP error, timeout, malformed reply...)
    SkippedBudget, // skipped_budget: not sent, the spend ledger could not reserve its worst case
    CircuitOpen, // circuit_open: not sent, the provider's circuit breaker is open
    Running, // running: in flight (live events only)
};

// parseVocabulary<CallStatus>() gives nullopt for a status written by another tool: such a call counts as failed, and
// is shown as written.
template <>
inline constexpr std::array<VocabularyEntry<CallStatus>, 5> kVocabulary<CallStatus> { {
    { CallStatus::Ok, QLatin1String("ok") },
    { CallStatus::Error, QLatin1String("error") },
    { CallStatus::SkippedBudget, QLatin1String("skipped_budget") },
    { CallStatus::CircuitOpen, QLatin1String("circuit_open") },
    { CallStatus::Running, QLatin1String("running") },
} };

// One attempt, as recorded in the artifact's calls[] (cost is added by the pipeline from pricing).
struct CallAttempt
{
    QString stage;
    QString label;
    QString api; // apiKindName()
    bool simulated = false;
    int attempt = 1; // 1-based
    QString status; // a CallStatus id
    bool hasStatus(CallStatus s) const { return status == vocabularyId(s); }
    std::optional<int> httpStatus;
    QString error; // short, key-free description; empty when ok
    ErrorKind errorKind = ErrorKind::None;
    // Canonical usage buckets, whatever the vendor's shape (docs/providers.md, "Usage"):
    qint64 inputTokens = 0; // all input tokens, cached ones included
    qint64 outputTokens = 0; // all billed output, reasoning/thinking included
    qint64 cacheReadTokens = 0; // part of the input read from the prompt cache
    qint64 cacheWriteTokens = 0; // part of the input written to the prompt cache
    qint64 reasoningTokens = 0; // part of the output spent reasoning
    qint64 latencyMs = 0;
    UsageSource usageSource = UsageSource::None;
    std::optional<double> reportedCostUsd; // the provider's own figure (e.g. a router's usage.cost)
    // A failed attempt the vendor may have billed without telling us (timeout or cancel after the
    // request went out, malformed 2xx, reply too large): its reservation is held, not released.
    bool possiblyBilled = false;
    int outputLimit = 0; // output tokens the request allowed (max_tokens + thinking budget)
};

// The usage buckets of an attempt in one line, e.g. "5000 in (4000 cached) / 900 out (600 reasoning)",
// with " [estimated]" when the reply reported no usage. For the CLI's per-call lines and run progress.
QString describeUsage(const CallAttempt& a);

struct ChatResult
{
    bool ok = false;
    QString text; // the model's reply text
    qint64 inputTokens = 0; // of the successful attempt
    qint64 outputTokens = 0;
    std::vector<CallAttempt> attempts; // every attempt, in order
    QString error; // last error when !ok
    ErrorKind errorKind = ErrorKind::None;
    std::optional<int> httpStatus; // of the last attempt, when it got an HTTP answer
};

// Per-call hooks the pipeline passes with a request (all optional, called on the hub's thread).
struct CallHooks
{
    // Before every attempt (including retries): return false to skip it for budget reasons; the
    // attempt is then recorded as skipped_budget and the call ends.
    std::function<bool(const ChatRequest&, int attempt)> beforeAttempt;
    // After every attempt that was actually made (ok or error), e.g. to settle a cost reservation.
    std::function<void(const CallAttempt&)> attemptFinished;
};

} // namespace djp
