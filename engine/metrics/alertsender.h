#pragma once
// Webhook delivery of alert payloads (docs/metrics.md): one JSON POST, 10 s timeout per attempt, retried
// per the shared policy of docs/providers.md (retryable HTTP statuses and network errors, Retry-After honoured).
// Failures are reported as values, never thrown.
#include "core/retrypolicy.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace djp {

struct WebhookResult
{
    bool ok = false;
    int attempts = 0;
    int httpStatus = 0; // of the last attempt; 0 when no HTTP response
    QString error; // empty when ok: "HTTP 500 Internal Server Error", "Connection refused", ...
};

// Lives on a thread with an event loop (the GUI thread or the CLI's main thread) and is used from
// that thread only. One POST at a time: post() while busy fails immediately.
class WebhookSender : public QObject
{
    Q_OBJECT
public:
    // `nam` may be shared with the rest of the application; when null the sender owns one.
    explicit WebhookSender(QNetworkAccessManager* nam = nullptr, QObject* parent = nullptr);
    ~WebhookSender() override;

    void setRetryPolicy(const RetryPolicy& policy) { m_policy = policy; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    bool isBusy() const { return m_busy; }

    // Starts the POST (Content-Type: application/json); finished() is emitted exactly once.
    void post(const QUrl& url, const QByteArray& jsonBody);

Q_SIGNALS:
    void finished(const djp::WebhookResult& result);

private:
    void startAttempt();
    void onReplyFinished(QNetworkReply* reply);
    void finish(WebhookResult result);

    QNetworkAccessManager* m_nam = nullptr;
    RetryPolicy m_policy;
    int m_timeoutMs = 10000;
    bool m_busy = false;
    QUrl m_url;
    QByteArray m_body;
    int m_attempt = 0;
    QElapsedTimer m_clock;
    QPointer<QNetworkReply> m_reply;
    QTimer* m_retryTimer = nullptr;
};

// Posts and waits in a local event loop (CLI, tests). Needs a QCoreApplication.
WebhookResult postWebhookBlocking(
    const QUrl& url, const QByteArray& jsonBody, const RetryPolicy& policy = {}, int timeoutMs = 10000);

} // namespace djp
