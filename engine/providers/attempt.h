#pragma once
// One attempt at a chat call as the transports (HTTP and simulator) report it to the ProviderHub.
#include "providers/chattypes.h"

#include <QObject>
#include <functional>
#include <optional>

namespace djp {

struct AttemptOutcome
{
    ErrorKind errorKind = ErrorKind::None;
    std::optional<int> httpStatus;
    QString error; // key-free, built from status codes and error types only
    QString text;
    // Canonical buckets (see CallAttempt); all 0 with usageSource None when the reply reported none.
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    qint64 reasoningTokens = 0;
    UsageSource usageSource = UsageSource::None;
    std::optional<double> reportedCostUsd;
    bool possiblyBilled = false; // see CallAttempt::possiblyBilled
    std::optional<int> retryAfterMs; // from a Retry-After header

    bool ok() const { return errorKind == ErrorKind::None; }
};

using AttemptCallback = std::function<void(const AttemptOutcome&)>;

// An attempt in flight. The callback runs later from the owner thread's event loop (never inside
// the call that started the attempt) and at most once; after abort() it never runs. Owned by the
// caller, who deletes it (deleteLater() from inside the callback).
class PendingAttempt : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void abort() = 0;
    // Whether the request may have reached the provider (so an abort now may still be billed).
    virtual bool requestSent() const { return false; }
};

// The simulator's token count for a text it produced: characters / 4, rounded up. Real replies
// without usage are never estimated this way (their attempt settles at its reservation).
inline qint64 estimateTokens(qsizetype chars)
{
    return (static_cast<qint64>(chars) + 3) / 4;
}

} // namespace djp
