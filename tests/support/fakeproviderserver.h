#pragma once
// A fake LLM provider on 127.0.0.1 for tests. It speaks the three wire formats of docs/providers.md, chosen
// by the request path:
//   POST .../chat/completions                      -> openai_chat
//   POST .../v1/messages                           -> anthropic_messages
//   POST .../v1beta/models/<model>:generateContent -> gemini
// (anything else gets 404). Every request is recorded (method, path, headers, body, arrival time)
// and answered from a script.
//
// Usage:
//   djp::test::FakeProviderServer server;
//   QVERIFY(server.listen());
//   server.exportToEnvironment();           // OPENAI/ANTHROPIC/GEMINI _BASE_URL + fake keys
//   server.enqueue(FakeReply::httpError(429, "1"));
//   server.enqueue(FakeReply::success("hello", 12, 3));
//   ... run the code under test ...
//   QCOMPARE(server.requestCount(), 2);
//   QCOMPARE(server.requests()[1].model(), QStringLiteral("gpt-4o"));
//
// Which reply a request gets, first match wins:
//   1. the responder, if set and it returns a reply;
//   2. the FIFO queued with enqueueFor(<API model name>) — the label without the vendor, e.g. "gpt-4o";
//   3. the global FIFO of enqueue();
//   4. the default reply (setDefaultReply), initially FakeReply::automatic(): a judge reply covering
//      every "[Draft N]" block of the request, else a valid draft JSON text.
//
// Strict by default, like the real APIs (setStrict(false) turns it off): requests a real API refuses
// get the vendor's HTTP 400 instead of a scripted reply, and are counted in rejectedRequests():
//   - openai_chat to a reasoning model (gpt-5*, o1*, o3*, o4*) with `max_tokens` ("Unsupported
//     parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens'
//     instead.") or with a temperature other than 1;
//   - anthropic_messages with `thinking` and a temperature other than 1, a budget below 1024, or a
//     budget not below max_tokens.
//
// Threading: a QObject on the test's thread; it works from that thread's event loop (use
// QTRY_COMPARE / QSignalSpy::wait / waitForRequests while the code under test runs).
#include "providers/providerhub.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

class QTcpServer;
class QTcpSocket;

namespace djp::test {

struct RecordedRequest
{
    QByteArray method;
    QString path; // path and query as sent
    QMap<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    qint64 receivedAtMs = 0; // since the server started listening

    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    nlohmann::json json() const; // the body parsed; null when it is not JSON
    QString apiKind() const; // "openai_chat" | "anthropic_messages" | "gemini" | "" by path
    QString model() const; // body "model", or the model segment of a Gemini path
    int maxTokens() const; // max_tokens / max_completion_tokens / generationConfig.maxOutputTokens; -1 if absent
    QString userText() const; // the user message text, per wire format
    QString systemText() const; // the system prompt, per wire format ("" if none)
    QByteArray authKey() const; // the key sent (Bearer / x-api-key / x-goog-api-key)
};

class FakeReply
{
public:
    enum class Kind
    {
        Success,
        HttpError,
        Hang,
        MalformedJson,
        Judge,
        Automatic,
        Redirect,
        Huge
    };

    // 200 with `text` as the model's reply and the given usage.
    static FakeReply success(const QString& text, qint64 inputTokens = 11, qint64 outputTokens = 22);
    // 200 whose usage reports output tokens = the request's max_tokens (cap tests).
    static FakeReply successFillingMaxTokens(const QString& text, qint64 inputTokens = 11);
    // 200 with no usage object at all.
    static FakeReply successWithoutUsage(const QString& text);
    // An error status with an optional Retry-After header value ("1" or an HTTP date) and body; by
    // default the body is the vendor's error JSON, whose message echoes the key that was sent (as
    // real providers partly do), so tests can check that no key leaks into error strings.
    static FakeReply httpError(int status, const QByteArray& retryAfter = {}, const QByteArray& body = {});
    // Never answers; the connection stays open until the client gives up.
    static FakeReply hang();
    // 200 with a body that is not JSON.
    static FakeReply malformedJson();
    // 200, valid envelope, but the model's text is prose instead of the JSON it was asked for.
    static FakeReply nonJsonModelText();
    // A draft JSON text {answer, evidence[n], confidence, safety_flags}.
    static QString draftJson(const QString& answer, int evidenceItems = 3, double confidence = 0.8);
    // A judge reply for every "[Draft N]" block in the request except `omit`; Draft N scores
    // 9 - (N - 1) % 5 with subscores adding up to it.
    static FakeReply judge(QList<int> omit = {});
    // Judge reply for judge requests (they contain "[Draft N]"), else success(draftJson(...)).
    static FakeReply automatic();

    // A redirect (`status` 301/302/307/308) to `location`, with no body.
    static FakeReply redirect(int status, const QByteArray& location);
    // 200 whose body is `bytes` long: the start of an OpenAI reply padded with spaces, written in
    // 64 KiB pieces as the socket drains (the server never holds it whole). With `declareLength` the
    // Content-Length header says the size; without it the body ends when the connection closes.
    static FakeReply huge(qint64 bytes, bool declareLength);

    // Answer only after `ms` milliseconds (still within the client timeout if it is short enough).
    FakeReply& withDelay(int ms);
    // The vendor's own usage object, sent verbatim (OpenAI "usage", Anthropic "usage", Gemini
    // "usageMetadata") instead of the one built from inputTokens/outputTokens.
    FakeReply& withVendorUsage(const nlohmann::json& usage);
    // Report output tokens = `multiple` x the request's output limit (a provider ignoring it).
    FakeReply& reportingOutputTimesLimit(int multiple);
    // No answer text, stopped at the output limit (finish_reason "length" / stop_reason
    // "max_tokens" / finishReason MAX_TOKENS without parts): a reasoning model that thought too long.
    static FakeReply emptyAtOutputLimit(qint64 inputTokens, qint64 outputTokens, qint64 reasoningTokens);

    Kind kind = Kind::Success;
    int status = 200;
    QString text;
    qint64 inputTokens = 11;
    qint64 outputTokens = 22;
    bool outputFromMaxTokens = false;
    bool omitUsage = false;
    QByteArray retryAfter;
    QByteArray body; // explicit body (errors)
    QByteArray location; // Redirect
    qint64 hugeBytes = 0; // Huge
    bool declareLength = true; // Huge
    QList<int> omitDrafts;
    int delayMs = 0;
    std::optional<nlohmann::json> vendorUsage;
    int limitMultiple = 1; // with outputFromMaxTokens
    bool stopAtLimit = false;
    qint64 reasoningTokens = 0; // with stopAtLimit
};

class FakeProviderServer : public QObject
{
    Q_OBJECT
public:
    explicit FakeProviderServer(QObject* parent = nullptr);
    ~FakeProviderServer() override;

    bool listen(); // 127.0.0.1 on a free port
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:<port>" (Anthropic and Gemini bases)
    QString openAiBaseUrl() const; // baseUrl() + "/v1" (the OpenAI base includes /v1)

    // Points OPENAI_/ANTHROPIC_/GEMINI_BASE_URL at this server and sets OPENAI_API_KEY,
    // ANTHROPIC_API_KEY, GEMINI_API_KEY to the fake keys below (GOOGLE_API_KEY is unset).
    void exportToEnvironment() const;
    // The same for a child process's environment.
    void exportToEnvironment(QProcessEnvironment& env) const;
    static QByteArray fakeKey(const QString& vendor); // "sk-fake-<vendor>-0123456789abcdef"

    void enqueue(const FakeReply& reply);
    void enqueueFor(const QString& apiModel, const FakeReply& reply);
    void setDefaultReply(const FakeReply& reply);
    void setResponder(std::function<std::optional<FakeReply>(const RecordedRequest&)> responder);
    void clearScript();

    QList<RecordedRequest> requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    void clearRequests() { m_requests.clear(); }
    void setStrict(bool strict) { m_strict = strict; }
    // Requests answered 400 because a real API would refuse them (see the class comment).
    int rejectedRequests() const { return m_rejected; }
    // Body bytes of huge() replies the OS has accepted from the server, summed over all of them, and
    // how many of those replies were written to the end.
    qint64 hugeBytesWritten() const { return m_hugeBytesWritten; }
    int hugeRepliesCompleted() const { return m_hugeCompleted; }

    // Runs the event loop until `n` requests have arrived or the timeout passes.
    bool waitForRequests(int n, int timeoutMs = 5000);

signals:
    void requestReceived(int index);

private:
    QList<QPair<QString, QString>> environment() const; // base URLs and fake keys
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void handle(QTcpSocket* socket, const RecordedRequest& request);
    FakeReply pick(const RecordedRequest& request);
    void respond(QTcpSocket* socket, const RecordedRequest& request, const FakeReply& reply);
    void streamHuge(QTcpSocket* socket, const FakeReply& reply);

    QTcpServer* m_server;
    QElapsedTimer m_clock;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<RecordedRequest> m_requests;
    std::deque<FakeReply> m_queue;
    std::map<QString, std::deque<FakeReply>> m_modelQueues;
    FakeReply m_default = FakeReply::automatic();
    bool m_strict = true;
    int m_rejected = 0;
    std::function<std::optional<FakeReply>(const RecordedRequest&)> m_responder;
    qint64 m_hugeBytesWritten = 0;
    int m_hugeCompleted = 0;
};

// Runs `hub.call()` and the event loop until `done` has run (or the timeout passes: then the call
// is cancelled and the result has errorKind Cancelled and error "test timeout").
djp::ChatResult callAndWait(
    djp::ProviderHub& hub, const djp::ChatRequest& request, const djp::CallHooks& hooks = {}, int timeoutMs = 10000);

} // namespace djp::test
