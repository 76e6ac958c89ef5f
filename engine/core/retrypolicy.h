#pragma once
// Retry policy of docs/providers.md, shared by provider calls and webhook posts. Classification is by HTTP
// status and error type only, never by message text.
#include <QByteArray>
#include <QDateTime>
#include <optional>

namespace djp {

struct RetryPolicy
{
    int maxAttempts = 3;
    int baseDelayMs = 1000;
    double multiplier = 2.0;
    int maxDelayMs = 30000;
    double jitterFraction = 0.10; // +-10 %
    int totalBudgetMs = 120000; // no new attempt starts after this much time since the first
};

// 408, 409, 425, 429, 500, 502, 503, 504 are retried; 400/401/403/404/422 and others are not.
bool isRetryableHttpStatus(int status);

// Delay before attempt `nextAttempt` (2-based: the first retry is attempt 2). `jitterUnit` in [-1, 1]
// scales the jitter (callers draw it from a random source; tests pass fixed values). The jittered
// delay is capped again, so the jitter never pushes a delay past maxDelayMs.
// A Retry-After value, when present, replaces the exponential delay as given, without jitter and
// without the maxDelayMs cap: the server said when it will accept us again, and retrying earlier is
// pointless. Whether that wait still fits the call is the caller's question (retryAfterFits).
int retryDelayMs(
    const RetryPolicy& policy, int nextAttempt, double jitterUnit, std::optional<int> retryAfterMs = std::nullopt);

// Whether a retry after `delayMs` still starts within the call's overall budget, `elapsedMs` after
// its first attempt started.
inline bool retryFitsBudget(const RetryPolicy& policy, qint64 elapsedMs, qint64 delayMs)
{
    return elapsedMs + delayMs <= policy.totalBudgetMs;
}

// Parses a Retry-After header: delta-seconds ("7") or an HTTP date in any of the three forms HTTP
// allows (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
// asctime "Sun Nov  6 08:49:37 1994"). nullopt when absent/invalid; a date in the past gives 0; at
// most a day.
std::optional<int> parseRetryAfterMs(const QByteArray& value, const QDateTime& nowUtc);

// The HTTP-date parser behind parseRetryAfterMs (invalid QDateTime when `value` is none of the
// three forms or names a day that does not exist). A two-digit RFC 850 year is taken as the one
// nearest `nowUtc` that is not more than 50 years ahead of it.
QDateTime parseHttpDate(const QByteArray& value, const QDateTime& nowUtc);

} // namespace djp
