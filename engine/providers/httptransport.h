#pragma once
// Real HTTP attempts over QNetworkAccessManager for the three API kinds of docs/providers.md.
// Threading: lives on, and must be used from, the thread of the QNetworkAccessManager it is given.
#include "providers/attempt.h"
#include "providers/wireformat.h"

#include <QObject>

class QNetworkAccessManager;

namespace djp {

// The most a reply may hold: max(1 MiB, 64 bytes x max_tokens). A reply that declares or sends more
// is aborted mid-stream (ErrorKind::ReplyTooLarge); its bytes are never all held in memory.
qint64 replySizeLimitBytes(int maxTokens);

class HttpTransport : public QObject
{
    Q_OBJECT
public:
    explicit HttpTransport(QNetworkAccessManager* nam, QObject* parent = nullptr);

    // Posts `call` and reports one AttemptOutcome. The whole attempt (connect, send, wait, read) is
    // bounded by `timeoutMs` through a timer that aborts the reply (ErrorKind::Timeout). Errors are
    // classified by HTTP status (ErrorKind::Http) or QNetworkReply::NetworkError (Network/Timeout);
    // a 2xx body that cannot be parsed is ErrorKind::MalformedResponse. Missing usage is estimated.
    // Redirects are not followed (ErrorKind::Redirected); replies over replySizeLimitBytes() are
    // cut (ErrorKind::ReplyTooLarge).
    // `request` is only used for the usage estimate.
    PendingAttempt* start(ApiKind api, const HttpCall& call, const ChatRequest& request, int timeoutMs,
        AttemptCallback done, QObject* parent);

private:
    QNetworkAccessManager* m_nam;
};

} // namespace djp
