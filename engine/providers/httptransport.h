#pragma once
// Real HTTP attempts over QNetworkAccessManager for the three API kinds of SPEC §2.
// Threading: lives on, and must be used from, the thread of the QNetworkAccessManager it is given.
#include "providers/attempt.h"
#include "providers/wireformat.h"

#include <QObject>

class QNetworkAccessManager;

namespace djp {

class HttpTransport : public QObject
{
    Q_OBJECT
public:
    explicit HttpTransport(QNetworkAccessManager* nam, QObject* parent = nullptr);

    // Posts `call` and reports one AttemptOutcome. The whole attempt (connect, send, wait, read) is
    // bounded by `timeoutMs` through a timer that aborts the reply (ErrorKind::Timeout). Errors are
    // classified by HTTP status (ErrorKind::Http) or QNetworkReply::NetworkError (Network/Timeout);
    // a 2xx body that cannot be parsed is ErrorKind::MalformedResponse. Missing usage is estimated.
    // `request` is only used for the usage estimate.
    PendingAttempt* start(ApiKind api, const HttpCall& call, const ChatRequest& request, int timeoutMs,
        AttemptCallback done, QObject* parent);

private:
    QNetworkAccessManager* m_nam;
};

} // namespace djp
