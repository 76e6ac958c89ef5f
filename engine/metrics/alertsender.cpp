#include "metrics/alertsender.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/strings.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <algorithm>

namespace djp {

namespace {

// Network-level failures worth another attempt (docs/providers.md: "network errors, timeouts"). Errors that
// come with an HTTP status are classified by the status instead.
bool isRetryableNetworkError(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // our per-attempt timeout aborts the reply
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

// A fixed description per error: Qt's errorString() quotes the whole URL ("Error transferring
// https://hooks.slack.com/services/T…/B…/secret - server replied: …"), and a webhook URL is a secret.
QString networkErrorText(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("the server closed the connection");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::TimeoutError:
        return QStringLiteral("timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("network unavailable");
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return QStringLiteral("redirect refused");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return QStringLiteral("proxy error");
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
        return QStringLiteral("protocol error");
    default:
        return QStringLiteral("network error %1").arg(int(e));
    }
}

// Defence in depth for text that comes from the server (the HTTP reason phrase): drop anything
// that repeats the URL, its path or one of its path segments.
QString withoutUrlParts(QString text, const QUrl& url)
{
    QStringList parts { url.toString(), url.toString(QUrl::FullyEncoded), url.path(), url.query() };
    for (const QString& segment : url.path().split(QLatin1Char('/'), Qt::SkipEmptyParts))
        parts << segment;
    std::sort(parts.begin(), parts.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
    for (const QString& p : parts)
        if (p.size() >= 3)
            text.replace(p, QStringLiteral("…"), Qt::CaseInsensitive);
    return text;
}

} // namespace

WebhookSender::WebhookSender(QNetworkAccessManager* nam, QObject* parent)
    : QObject(parent)
    , m_nam(nam ? nam : new QNetworkAccessManager(this))
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &WebhookSender::startAttempt);
}

WebhookSender::~WebhookSender()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void WebhookSender::post(const QUrl& url, const QByteArray& jsonBody)
{
    if (m_busy) {
        WebhookResult r;
        r.error = QStringLiteral("a webhook POST is already in progress");
        Q_EMIT finished(r);
        return;
    }
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        WebhookResult r;
        r.error = QStringLiteral("invalid webhook URL (http or https expected)");
        Q_EMIT finished(r);
        return;
    }
    m_busy = true;
    m_url = url;
    m_body = jsonBody;
    m_attempt = 0;
    m_clock.start();
    startAttempt();
}

void WebhookSender::startAttempt()
{
    ++m_attempt;
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_timeoutMs);
    // A webhook that redirects is misconfigured; following it would hand the alert body to whatever
    // origin the redirect names. The 3xx is reported as a failed post instead.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = m_nam->post(request, m_body);
    m_reply = reply;
    // Total time per attempt, not only inactivity: abort() ends the reply with OperationCanceledError.
    QTimer::singleShot(m_timeoutMs, reply, [reply] { reply->abort(); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
}

void WebhookSender::onReplyFinished(QNetworkReply* reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    WebhookResult result;
    result.attempts = m_attempt;
    result.httpStatus = status;
    if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
        result.ok = true;
        finish(result);
        return;
    }
    bool retryable = false;
    if (status > 0) {
        const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        result.error = QStringLiteral("HTTP %1%2")
                           .arg(status)
                           .arg(phrase.isEmpty() ? QString() : QLatin1Char(' ') + withoutUrlParts(phrase, m_url));
        retryable = isRetryableHttpStatus(status);
    } else {
        const bool timedOut
            = reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError;
        result.error
            = timedOut ? QStringLiteral("timed out after %1 ms").arg(m_timeoutMs) : networkErrorText(reply->error());
        retryable = isRetryableNetworkError(reply->error());
    }
    std::optional<int> retryAfter;
    if (reply->hasRawHeader("Retry-After"))
        retryAfter = parseRetryAfterMs(reply->rawHeader("Retry-After"), Clock::nowUtc());
    const double jitter = QRandomGenerator::global()->generateDouble() * 2.0 - 1.0;
    const int delay = retryDelayMs(m_policy, m_attempt + 1, jitter, retryAfter);
    const bool budgetLeft = m_clock.elapsed() + delay < m_policy.totalBudgetMs;
    if (retryable && m_attempt < m_policy.maxAttempts && budgetLeft) {
        logger("alerts")->info("webhook attempt {} failed ({}); retrying in {} ms", m_attempt, ss(result.error), delay);
        m_retryTimer->start(delay);
        return;
    }
    finish(result);
}

void WebhookSender::finish(WebhookResult result)
{
    m_busy = false;
    if (!result.ok)
        logger("alerts")->warn("webhook POST failed (attempts: {}): {}", result.attempts, ss(result.error));
    Q_EMIT finished(result);
}

WebhookResult postWebhookBlocking(const QUrl& url, const QByteArray& jsonBody, const RetryPolicy& policy, int timeoutMs)
{
    WebhookSender sender;
    sender.setRetryPolicy(policy);
    sender.setTimeoutMs(timeoutMs);
    WebhookResult result;
    bool done = false;
    QEventLoop loop;
    QObject::connect(&sender, &WebhookSender::finished, &loop, [&](const WebhookResult& r) {
        result = r;
        done = true;
        loop.quit();
    });
    sender.post(url, jsonBody);
    if (!done)
        loop.exec();
    return result;
}

} // namespace djp
