#include "providers/httptransport.h"

#include "core/retrypolicy.h"
#include "providers/modelcapabilities.h"

#include <QDateTime>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <algorithm>

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
        , m_outputLimit(outputTokenLimit(request.label, request.maxTokens, request.thinkingBudget))
        , m_timeoutMs(timeoutMs)
        , m_done(std::move(done))
    {
        reply->setParent(this);
        connect(reply, &QNetworkReply::finished, this, &HttpAttempt::onFinished);
        // Once any of the request is out, the provider may process (and bill) it even if we give up.
        connect(
            reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) { m_sent = m_sent || sent > 0; });
        connect(reply, &QNetworkReply::metaDataChanged, this, [this] { m_sent = true; });
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            if (m_reply)
                m_reply->abort(); // emits finished() synchronously
        });
        m_timer.start(std::max(1, timeoutMs));
    }

    bool requestSent() const override { return m_sent; }

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
            out.possiblyBilled = m_sent;
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
                    out.retryAfterMs = parseRetryAfterMs(r->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
                return out;
            }
            const ParsedReply parsed = parseReplyBody(m_api, body);
            if (!parsed.ok) {
                // The provider answered 2xx, so it probably did the work and billed it.
                out.errorKind = ErrorKind::MalformedResponse;
                out.error = QStringLiteral("malformed response: ") + parsed.error;
                out.possiblyBilled = true;
                return out;
            }
            out.text = parsed.text;
            // Without a usage report nothing is guessed here: the pipeline settles the attempt at its
            // reservation (the worst case) and marks it estimated.
            out.usageSource = parsed.usageReported() ? UsageSource::Reported : UsageSource::Estimated;
            if (parsed.usageReported()) {
                out.inputTokens = *parsed.inputTokens;
                out.outputTokens = *parsed.outputTokens;
                out.cacheReadTokens = std::min(parsed.cacheReadTokens, out.inputTokens);
                out.cacheWriteTokens = std::min(parsed.cacheWriteTokens, out.inputTokens - out.cacheReadTokens);
                out.reasoningTokens = std::min(parsed.reasoningTokens, out.outputTokens);
            }
            out.reportedCostUsd = parsed.reportedCostUsd;
            if (parsed.emptyAtOutputLimit) {
                out.errorKind = ErrorKind::OutputLimitReached;
                out.error = QStringLiteral("the model used its whole output budget reasoning: no answer text within "
                                           "%1 output tokens (raise max_tokens or lower the reasoning effort)")
                                .arg(m_outputLimit);
                out.text.clear();
            }
            return out;
        }
        // No HTTP answer: a transport-level failure. The enum name is used instead of
        // errorString(), which can quote the URL.
        const auto err = r->error();
        out.errorKind = err == QNetworkReply::TimeoutError ? ErrorKind::Timeout : ErrorKind::Network;
        out.possiblyBilled
            = m_sent && err != QNetworkReply::ConnectionRefusedError && err != QNetworkReply::HostNotFoundError;
        const char* name = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(err);
        out.error = QStringLiteral("network error: %1").arg(QString::fromLatin1(name ? name : "unknown"));
        return out;
    }

    QPointer<QNetworkReply> m_reply;
    ApiKind m_api;
    int m_outputLimit;
    int m_timeoutMs;
    AttemptCallback m_done;
    QTimer m_timer;
    bool m_timedOut = false;
    bool m_sent = false;
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
