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

namespace djp {

namespace {

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
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::finished, this, &HttpAttempt::onFinished);
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
    void onFinished()
    {
        m_timer.stop();
        if (!m_done || !m_reply)
            return;
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
        if (m_timedOut) {
            out.errorKind = ErrorKind::Timeout;
            out.error = QStringLiteral("timed out after %1 ms").arg(m_timeoutMs);
            return out;
        }
        if (status > 0) {
            out.httpStatus = status;
            const QByteArray body = r->readAll();
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
    QNetworkReply* reply = m_nam->post(req, call.body);
    return new HttpAttempt(reply, api, request, timeoutMs, std::move(done), parent);
}

} // namespace djp
