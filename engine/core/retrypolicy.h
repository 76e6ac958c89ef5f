#pragma once
// Retry policy of SPEC §4.5, shared by provider calls and webhook posts. Classification is by HTTP
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
    int totalBudgetMs = 120000;   // no new attempt starts after this much time since the first
};

// 408, 409, 425, 429, 500, 502, 503, 504 are retried; 400/401/403/404/422 and others are not.
bool isRetryableHttpStatus(int status);

// Delay before attempt `nextAttempt` (2-based: the first retry is attempt 2). `jitterUnit` in [-1, 1]
// scales the jitter (callers draw it from a random source; tests pass fixed values).
// A Retry-After value, when present, replaces the exponential delay, capped at maxDelayMs.
int retryDelayMs(const RetryPolicy& policy, int nextAttempt, double jitterUnit,
                 std::optional<int> retryAfterMs = std::nullopt);

// Parses a Retry-After header: delta-seconds ("7") or an HTTP date. nullopt when absent/invalid;
// a date in the past gives 0.
std::optional<int> parseRetryAfterMs(const QByteArray& value, const QDateTime& nowUtc);

} // namespace djp
