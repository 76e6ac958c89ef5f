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
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    bool usageEstimated = false;
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
};

// Token estimate used when no usage is reported: characters / 4, rounded up (as SPEC §3.1).
inline qint64 estimateTokens(qsizetype chars)
{
    return (static_cast<qint64>(chars) + 3) / 4;
}

} // namespace djp
