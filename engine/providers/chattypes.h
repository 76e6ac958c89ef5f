#pragma once
// Plain values exchanged between the pipeline and the providers layer.
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
    ReplyTooLarge
};
QString errorKindName(ErrorKind k); // "none" | "network" | "timeout" | "http" | "malformed_response" | ...
                                    // | "redirected" | "reply_too_large"

struct ChatRequest
{
    QString stage; // "debate" | "judge"
    QString label; // "vendor/model" as requested (recorded verbatim)
    QString system; // system prompt (may be empty)
    QString user; // user message
    int maxTokens = 800;
    double temperature = 0.2;
    std::optional<int> seed;
    int timeoutMs = 60000; // per attempt
};

// One attempt, as recorded in the artifact's calls[] (cost is added by the pipeline from pricing).
struct CallAttempt
{
    QString stage;
    QString label;
    QString api; // apiKindName()
    bool simulated = false;
    int attempt = 1; // 1-based
    QString status; // ok | error | skipped_budget | circuit_open
    std::optional<int> httpStatus;
    QString error; // short, key-free description; empty when ok
    ErrorKind errorKind = ErrorKind::None;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 latencyMs = 0;
    // The provider reported no usage, so the token counts are estimated (characters / 4, rounded up).
    bool usageEstimated = false;
};

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
