#include "providers/httptransport.h"

#include "core/clock.h"
#include "core/retrypolicy.h"

#include <QDateTime>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <utility>

namespace djp {

qint64 replySizeLimitBytes(int maxTokens)
{
    return std::max<qint64>(1024 * 1024, 64 * static_cast<qint64>(std::max(0, maxTokens)));
}

namespace {

QString originOf(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("an unknown origin");
    QString origin = url.scheme() + QStringLiteral("://") + url.host();
    if (url.port() >= 0)
        origin += QLatin1Char(':') + QString::number(url.port());
    return origin;
}

class HttpAttempt : public PendingAttempt
{
public:
    HttpAttempt(QNetworkReply* reply, ApiKind api, const ChatRequest& request, int timeoutMs, AttemptCallback done,
        QObject* parent)
        : PendingAttempt(parent)
        , m_reply(reply)
        , m_api(api)
        , m_promptChars(request.system.size() + request.user.size())
        , m_timeoutMs(timeoutMs)
        , m_done(std::move(done))
        , m_limit(replySizeLimitBytes(request.maxTokens))
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::finished, this, &HttpAttempt::onFinished);
        // The body is moved into m_body as it arrives, so Qt's own buffer never holds more than one
        // network chunk and the size check sees every byte before it can pile up.
        connect(reply, &QNetworkReply::metaDataChanged, this, &HttpAttempt::onMetaData);
        connect(reply, &QNetworkReply::readyRead, this, &HttpAttempt::onReadyRead);
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            if (m_reply)
                m_reply->abort(); // emits finished() synchronously
        });
        m_timer.start(std::max(1, timeoutMs));
    }

    void abort() override
    {
        m_aborted = true;
        m_done = nullptr;
        m_timer.stop();
        if (m_reply) {
            m_reply->disconnect(this);
            m_reply->abort();
        }
    }

private:
    void onMetaData()
    {
        if (!m_reply)
            return;
        // A declared length above the limit is refused before a byte of the body is read.
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > m_limit)
            abortTooLarge(length.toLongLong());
    }

    void onReadyRead()
    {
        if (m_reply && !m_tooLarge && !drain())
            abortTooLarge(-1);
    }

    // Moves what Qt has buffered into m_body; false once the reply is past the limit.
    bool drain()
    {
        while (m_reply && m_reply->bytesAvailable() > 0) {
            const qint64 room = m_limit - m_body.size();
            const QByteArray chunk = m_reply->read(std::max<qint64>(0, room) + 1);
            if (chunk.isEmpty())
                break;
            if (chunk.size() > room) {
                m_body.clear();
                return false;
            }
            m_body += chunk;
        }
        return true;
    }

    void abortTooLarge(qint64 declared)
    {
        m_tooLarge = true;
        m_declaredLength = declared;
        m_body.clear();
        if (m_reply)
            m_reply->abort(); // emits finished() synchronously
    }

    void onFinished()
    {
        m_timer.stop();
        if (!m_done || !m_reply || m_finishing)
            return;
        m_finishing = true;
        AttemptOutcome out = classify();
        auto done = std::move(m_done);
        m_done = nullptr;
        // Deliver from the event loop, never from inside QNetworkReply::abort() (timeout path).
        QMetaObject::invokeMethod(
            this,
            [this, done, out] {
                if (!m_aborted)
                    done(out);
            },
            Qt::QueuedConnection);
    }

    AttemptOutcome classify()
    {
        AttemptOutcome out;
        QNetworkReply* r = m_reply;
        const QVariant statusAttr = r->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = statusAttr.isValid() ? statusAttr.toInt() : 0;
        if (m_tooLarge) {
            out.errorKind = ErrorKind::ReplyTooLarge;
            if (status > 0)
                out.httpStatus = status;
            out.error = m_declaredLength >= 0
                ? QStringLiteral("reply too large: declared %1 bytes, limit %2 bytes")
                      .arg(m_declaredLength)
                      .arg(m_limit)
                : QStringLiteral("reply too large: more than %1 bytes, connection aborted").arg(m_limit);
            return out;
        }
        if (m_timedOut) {
            out.errorKind = ErrorKind::Timeout;
            out.error = QStringLiteral("timed out after %1 ms").arg(m_timeoutMs);
            return out;
        }
        if (status >= 300 && status < 400) {
            // Redirects are never followed (see start()): a key must only ever reach the origin it was
            // configured for. Only the target's origin is quoted; its path or query may carry tokens.
            out.httpStatus = status;
            out.errorKind = ErrorKind::Redirected;
            const QUrl target = r->url().resolved(QUrl::fromEncoded(r->rawHeader("Location")));
            out.error = QStringLiteral("HTTP %1 redirect to %2 not followed").arg(status).arg(originOf(target));
            return out;
        }
        if (status > 0) {
            out.httpStatus = status;
            if (!m_tooLarge && !drain()) { // whatever is still buffered
                m_tooLarge = true;
                return classify();
            }
            const QByteArray body = std::exchange(m_body, {});
            if (status < 200 || status >= 300) {
                out.errorKind = ErrorKind::Http;
                const QString code = errorBodyCode(body);
                out.error = QStringLiteral("HTTP %1").arg(status);
                if (!code.isEmpty())
                    out.error += QStringLiteral(" (%1)").arg(code);
                if (r->hasRawHeader("Retry-After"))
                    out.retryAfterMs = parseRetryAfterMs(r->rawHeader("Retry-After"), Clock::nowUtc());
                return out;
            }
            const ParsedReply parsed = parseReplyBody(m_api, body);
            if (!parsed.ok) {
                out.errorKind = ErrorKind::MalformedResponse;
                out.error = QStringLiteral("malformed response: ") + parsed.error;
                return out;
            }
            out.text = parsed.text;
            out.usageEstimated = !parsed.inputTokens || !parsed.outputTokens;
            out.inputTokens = parsed.inputTokens.value_or(estimateTokens(m_promptChars));
            out.outputTokens = parsed.outputTokens.value_or(estimateTokens(parsed.text.size()));
            return out;
        }
        // No HTTP answer: a transport-level failure. The enum name is used instead of
        // errorString(), which can quote the URL.
        const auto err = r->error();
        out.errorKind = err == QNetworkReply::TimeoutError ? ErrorKind::Timeout : ErrorKind::Network;
        const char* name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(err);
        out.error = QStringLiteral("network error: %1").arg(QString::fromLatin1(name ? name : "unknown"));
        return out;
    }

    QPointer<QNetworkReply> m_reply;
    ApiKind m_api;
    qsizetype m_promptChars;
    int m_timeoutMs;
    AttemptCallback m_done;
    qint64 m_limit;
    QByteArray m_body;
    qint64 m_declaredLength = -1;
    bool m_tooLarge = false;
    bool m_finishing = false;
    QTimer m_timer;
    bool m_timedOut = false;
    bool m_aborted = false;
};

} // namespace

HttpTransport::HttpTransport(QNetworkAccessManager* nam, QObject* parent)
    : QObject(parent)
    , m_nam(nam)
{ }

PendingAttempt* HttpTransport::start(
    ApiKind api, const HttpCall& call, const ChatRequest& request, int timeoutMs, AttemptCallback done, QObject* parent)
{
    QNetworkRequest req(call.url);
    for (const auto& [name, value] : call.headers)
        req.setRawHeader(name, value);
    // The hub's own timer bounds the attempt; Qt's transfer timeout stays off so both cannot race.
    req.setTransferTimeout(0);
    // Qt 6 follows redirects by default and re-sends every raw header, Authorization / x-api-key /
    // x-goog-api-key included, to the new target. A provider API has no reason to redirect, so none is
    // followed: the 3xx ends the attempt as ErrorKind::Redirected.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = m_nam->post(req, call.body);
    return new HttpAttempt(reply, api, request, timeoutMs, std::move(done), parent);
}

} // namespace djp
