#include "fakeproviderserver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <memory>

namespace djp::test {

using nlohmann::json;

namespace {

std::string str(const QString& s)
{
    return s.toStdString();
}

QString jstr(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

// Text of an Anthropic/OpenAI "content" that is either a string or an array of text blocks.
QString contentText(const json& c)
{
    if (c.is_string())
        return QString::fromStdString(c.get<std::string>());
    QString out;
    if (c.is_array())
        for (const json& b : c)
            if (b.is_object())
                out += jstr(b, "text");
    return out;
}

QString partsText(const json& holder)
{
    QString out;
    if (!holder.is_object())
        return out;
    auto parts = holder.find("parts");
    if (parts != holder.end() && parts->is_array())
        for (const json& p : *parts)
            if (p.is_object())
                out += jstr(p, "text");
    return out;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray dump(const json& j)
{
    const std::string s = j.dump();
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

QByteArray successBody(const QString& kind, const QString& model, const FakeReply& reply, qint64 in, qint64 out)
{
    json j;
    const bool atLimit = reply.stopAtLimit;
    const std::string text = atLimit ? std::string() : str(reply.text);
    const bool omitUsage = reply.omitUsage;
    if (kind == u"openai_chat") {
        j = { { "id", "chatcmpl-fake" }, { "object", "chat.completion" }, { "model", str(model) },
            { "choices",
                json::array({ { { "index", 0 }, { "message", { { "role", "assistant" }, { "content", text } } },
                    { "finish_reason", atLimit ? "length" : "stop" } } }) } };
        if (!omitUsage)
            j["usage"] = reply.vendorUsage
                ? *reply.vendorUsage
                : json { { "prompt_tokens", in }, { "completion_tokens", out }, { "total_tokens", in + out },
                      { "completion_tokens_details", { { "reasoning_tokens", reply.reasoningTokens } } } };
    } else if (kind == u"anthropic_messages") {
        json content
            = json::array({ { { "type", "thinking" }, { "thinking", "Let me think." }, { "signature", "s" } } });
        if (!atLimit)
            content.push_back({ { "type", "text" }, { "text", text } });
        j = { { "id", "msg_fake" }, { "type", "message" }, { "role", "assistant" }, { "model", str(model) },
            { "content", content }, { "stop_reason", atLimit ? "max_tokens" : "end_turn" } };
        if (!omitUsage)
            j["usage"]
                = reply.vendorUsage ? *reply.vendorUsage : json { { "input_tokens", in }, { "output_tokens", out } };
    } else {
        json content = { { "role", "model" } };
        if (!atLimit)
            content["parts"]
                = json::array({ { { "text", "thinking about it" }, { "thought", true } }, { { "text", text } } });
        j = { { "candidates",
            json::array({ { { "content", content }, { "finishReason", atLimit ? "MAX_TOKENS" : "STOP" } } }) } };
        if (!omitUsage)
            j["usageMetadata"] = reply.vendorUsage
                ? *reply.vendorUsage
                : json { { "promptTokenCount", in }, { "candidatesTokenCount", out - reply.reasoningTokens },
                      { "thoughtsTokenCount", reply.reasoningTokens }, { "totalTokenCount", in + out } };
    }
    return dump(j);
}

bool isOpenAiReasoningModel(const QString& model)
{
    static const QRegularExpression re(QStringLiteral("^(gpt-5|o1|o3|o4)"));
    return re.match(model).hasMatch();
}

// What a real API refuses with HTTP 400 (its error object); nullopt when the request is fine.
std::optional<json> refusal(const RecordedRequest& request)
{
    const json j = request.json();
    if (!j.is_object())
        return std::nullopt;
    const QString kind = request.apiKind();
    const auto temperatureNotDefault = [&j] {
        auto t = j.find("temperature");
        return t != j.end() && (!t->is_number() || t->get<double>() != 1.0);
    };
    if (kind == u"openai_chat" && isOpenAiReasoningModel(request.model())) {
        if (j.contains("max_tokens"))
            return json { { "message",
                              "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                              "'max_completion_tokens' instead." },
                { "type", "invalid_request_error" }, { "param", "max_tokens" }, { "code", "unsupported_parameter" } };
        if (temperatureNotDefault())
            return json { { "message",
                              "Unsupported value: 'temperature' does not support " + j["temperature"].dump()
                                  + " with this model. Only the default (1) value is supported." },
                { "type", "invalid_request_error" }, { "param", "temperature" }, { "code", "unsupported_value" } };
    }
    if (kind == u"anthropic_messages" && j.contains("thinking") && j["thinking"].is_object()) {
        const json& t = j["thinking"];
        const qint64 budget = t.value("budget_tokens", qint64(0));
        const qint64 maxTokens = j.value("max_tokens", qint64(0));
        std::string message;
        if (temperatureNotDefault())
            message = "temperature may only be set to 1 when thinking is enabled.";
        else if (budget < 1024)
            message = "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
        else if (budget >= maxTokens)
            message = "`max_tokens` must be greater than `thinking.budget_tokens`.";
        if (!message.empty())
            return json { { "type", "invalid_request_error" }, { "message", message } };
    }
    return std::nullopt;
}

QByteArray errorBody(const QString& kind, int status, const QByteArray& key)
{
    const std::string message = "Request failed with status " + std::to_string(status)
        + ". Incorrect or rate-limited API key provided: " + key.toStdString();
    if (kind == u"anthropic_messages")
        return dump({ { "type", "error" },
            { "error", { { "type", status == 429 ? "rate_limit_error" : "api_error" }, { "message", message } } } });
    if (kind == u"gemini")
        return dump({ { "error",
            { { "code", status }, { "message", message },
                { "status", status == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" } } } });
    return dump({ { "error",
        { { "message", message }, { "type", "invalid_request_error" },
            { "code", status == 401 ? "invalid_api_key" : "server_error" } } } });
}

} // namespace

// ---- RecordedRequest ---------------------------------------------------------------------------

json RecordedRequest::json() const
{
    return nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
}

QString RecordedRequest::apiKind() const
{
    const QString p = QUrl(path).path();
    if (p.endsWith(QStringLiteral("/chat/completions")))
        return QStringLiteral("openai_chat");
    if (p.endsWith(QStringLiteral("/v1/messages")))
        return QStringLiteral("anthropic_messages");
    if (p.contains(QStringLiteral("/v1beta/models/")) && p.endsWith(QStringLiteral(":generateContent")))
        return QStringLiteral("gemini");
    return {};
}

QString RecordedRequest::model() const
{
    if (apiKind() == u"gemini") {
        static const QRegularExpression re(QStringLiteral("/v1beta/models/(.+):generateContent$"));
        const auto m = re.match(QUrl(path).path());
        return m.hasMatch() ? QUrl::fromPercentEncoding(m.captured(1).toUtf8()) : QString();
    }
    const auto j = json();
    return j.is_object() ? jstr(j, "model") : QString();
}

int RecordedRequest::maxTokens() const
{
    const auto j = json();
    if (!j.is_object())
        return -1;
    if (auto it = j.find("max_tokens"); it != j.end() && it->is_number_integer())
        return it->get<int>();
    if (auto it = j.find("max_completion_tokens"); it != j.end() && it->is_number_integer())
        return it->get<int>();
    if (auto g = j.find("generationConfig"); g != j.end() && g->is_object())
        if (auto it = g->find("maxOutputTokens"); it != g->end() && it->is_number_integer())
            return it->get<int>();
    return -1;
}

QString RecordedRequest::userText() const
{
    const auto j = json();
    if (!j.is_object())
        return {};
    if (apiKind() == u"gemini") {
        auto contents = j.find("contents");
        if (contents != j.end() && contents->is_array())
            for (const auto& c : *contents)
                if (c.is_object() && jstr(c, "role") != u"model")
                    return partsText(c);
        return {};
    }
    auto messages = j.find("messages");
    if (messages != j.end() && messages->is_array())
        for (const auto& m : *messages)
            if (m.is_object() && jstr(m, "role") == u"user" && m.contains("content"))
                return contentText(m["content"]);
    return {};
}

QString RecordedRequest::systemText() const
{
    const auto j = json();
    if (!j.is_object())
        return {};
    const QString kind = apiKind();
    if (kind == u"gemini")
        return j.contains("systemInstruction") ? partsText(j["systemInstruction"]) : QString();
    if (kind == u"anthropic_messages")
        return j.contains("system") ? contentText(j["system"]) : QString();
    auto messages = j.find("messages");
    if (messages != j.end() && messages->is_array())
        for (const auto& m : *messages)
            if (m.is_object() && jstr(m, "role") == u"system" && m.contains("content"))
                return contentText(m["content"]);
    return {};
}

QByteArray RecordedRequest::authKey() const
{
    const QByteArray bearer = header("authorization");
    if (bearer.startsWith("Bearer "))
        return bearer.mid(7);
    if (!header("x-api-key").isEmpty())
        return header("x-api-key");
    return header("x-goog-api-key");
}

// ---- FakeReply ---------------------------------------------------------------------------------

FakeReply FakeReply::success(const QString& text, qint64 inputTokens, qint64 outputTokens)
{
    FakeReply r;
    r.text = text;
    r.inputTokens = inputTokens;
    r.outputTokens = outputTokens;
    return r;
}

FakeReply FakeReply::successFillingMaxTokens(const QString& text, qint64 inputTokens)
{
    FakeReply r = success(text, inputTokens);
    r.outputFromMaxTokens = true;
    return r;
}

FakeReply FakeReply::successWithoutUsage(const QString& text)
{
    FakeReply r = success(text);
    r.omitUsage = true;
    return r;
}

FakeReply FakeReply::httpError(int status, const QByteArray& retryAfter, const QByteArray& body)
{
    FakeReply r;
    r.kind = Kind::HttpError;
    r.status = status;
    r.retryAfter = retryAfter;
    r.body = body;
    return r;
}

FakeReply FakeReply::hang()
{
    FakeReply r;
    r.kind = Kind::Hang;
    return r;
}

FakeReply FakeReply::malformedJson()
{
    FakeReply r;
    r.kind = Kind::MalformedJson;
    return r;
}

FakeReply FakeReply::nonJsonModelText()
{
    return success(QStringLiteral("Sure! Here is my answer in plain prose, without any JSON: the question has "
                                  "several sides, and on balance the evidence favours a cautious approach."));
}

QString FakeReply::draftJson(const QString& answer, int evidenceItems, double confidence)
{
    nlohmann::json evidence = nlohmann::json::array();
    for (int i = 1; i <= evidenceItems; ++i)
        evidence.push_back("Source " + std::to_string(i) + ": fake reference");
    const nlohmann::json j = { { "answer", str(answer) }, { "evidence", evidence }, { "confidence", confidence },
        { "safety_flags", nlohmann::json::array() } };
    return QString::fromStdString(j.dump());
}

FakeReply FakeReply::judge(QList<int> omit)
{
    FakeReply r;
    r.kind = Kind::Judge;
    r.omitDrafts = std::move(omit);
    return r;
}

FakeReply FakeReply::automatic()
{
    FakeReply r;
    r.kind = Kind::Automatic;
    return r;
}

FakeReply FakeReply::redirect(int status, const QByteArray& location)
{
    FakeReply r;
    r.kind = Kind::Redirect;
    r.status = status;
    r.location = location;
    return r;
}

FakeReply FakeReply::huge(qint64 bytes, bool declareLength)
{
    FakeReply r;
    r.kind = Kind::Huge;
    r.hugeBytes = bytes;
    r.declareLength = declareLength;
    return r;
}

FakeReply& FakeReply::withDelay(int ms)
{
    delayMs = ms;
    return *this;
}

FakeReply& FakeReply::withVendorUsage(const nlohmann::json& usage)
{
    vendorUsage = usage;
    return *this;
}

FakeReply& FakeReply::reportingOutputTimesLimit(int multiple)
{
    outputFromMaxTokens = true;
    limitMultiple = multiple;
    return *this;
}

FakeReply FakeReply::emptyAtOutputLimit(qint64 inputTokens, qint64 outputTokens, qint64 reasoningTokens)
{
    FakeReply r = success(QString(), inputTokens, outputTokens);
    r.stopAtLimit = true;
    r.reasoningTokens = reasoningTokens;
    return r;
}

// ---- FakeProviderServer ------------------------------------------------------------------------

FakeProviderServer::FakeProviderServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeProviderServer::onNewConnection);
}

FakeProviderServer::~FakeProviderServer() = default;

bool FakeProviderServer::listen()
{
    m_clock.start();
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeProviderServer::port() const
{
    return m_server->serverPort();
}
QString FakeProviderServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}
QString FakeProviderServer::openAiBaseUrl() const
{
    return baseUrl() + QStringLiteral("/v1");
}

QByteArray FakeProviderServer::fakeKey(const QString& vendor)
{
    return "sk-fake-" + vendor.toUtf8() + "-0123456789abcdef";
}

QList<QPair<QString, QString>> FakeProviderServer::environment() const
{
    return {
        { QStringLiteral("OPENAI_BASE_URL"), openAiBaseUrl() },
        { QStringLiteral("ANTHROPIC_BASE_URL"), baseUrl() },
        { QStringLiteral("GEMINI_BASE_URL"), baseUrl() },
        { QStringLiteral("OPENAI_API_KEY"), QString::fromLatin1(fakeKey(QStringLiteral("openai"))) },
        { QStringLiteral("ANTHROPIC_API_KEY"), QString::fromLatin1(fakeKey(QStringLiteral("anthropic"))) },
        { QStringLiteral("GEMINI_API_KEY"), QString::fromLatin1(fakeKey(QStringLiteral("google"))) },
    };
}

void FakeProviderServer::exportToEnvironment() const
{
    for (const auto& [name, value] : environment())
        qputenv(name.toLatin1().constData(), value.toUtf8());
    qunsetenv("GOOGLE_API_KEY");
}

void FakeProviderServer::exportToEnvironment(QProcessEnvironment& env) const
{
    for (const auto& [name, value] : environment())
        env.insert(name, value);
    env.remove(QStringLiteral("GOOGLE_API_KEY"));
}

void FakeProviderServer::enqueue(const FakeReply& reply)
{
    m_queue.push_back(reply);
}
void FakeProviderServer::enqueueFor(const QString& apiModel, const FakeReply& reply)
{
    m_modelQueues[apiModel].push_back(reply);
}
void FakeProviderServer::setDefaultReply(const FakeReply& reply)
{
    m_default = reply;
}
void FakeProviderServer::setResponder(std::function<std::optional<FakeReply>(const RecordedRequest&)> responder)
{
    m_responder = std::move(responder);
}

void FakeProviderServer::clearScript()
{
    m_queue.clear();
    m_modelQueues.clear();
    m_default = FakeReply::automatic();
    m_responder = nullptr;
}

bool FakeProviderServer::waitForRequests(int n, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (requestCount() < n && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    return requestCount() >= n;
}

void FakeProviderServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeProviderServer::onReadyRead(QTcpSocket* socket)
{
    QByteArray& buf = m_buffers[socket];
    buf += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buf.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
        RecordedRequest req;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        req.method = requestLine.value(0);
        req.path = QString::fromUtf8(requestLine.value(1));
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                req.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = req.headers.value("content-length", "0").toLongLong();
        if (buf.size() < headerEnd + 4 + length)
            return; // wait for the rest of the body
        req.body = buf.mid(headerEnd + 4, length);
        buf.remove(0, headerEnd + 4 + length);
        req.receivedAtMs = m_clock.elapsed();
        handle(socket, req);
    }
}

FakeReply FakeProviderServer::pick(const RecordedRequest& request)
{
    if (m_responder)
        if (auto r = m_responder(request))
            return *r;
    auto it = m_modelQueues.find(request.model());
    if (it != m_modelQueues.end() && !it->second.empty()) {
        FakeReply r = it->second.front();
        it->second.pop_front();
        return r;
    }
    if (!m_queue.empty()) {
        FakeReply r = m_queue.front();
        m_queue.pop_front();
        return r;
    }
    return m_default;
}

void FakeProviderServer::handle(QTcpSocket* socket, const RecordedRequest& request)
{
    m_requests.push_back(request);
    emit requestReceived(static_cast<int>(m_requests.size()) - 1);
    if (m_strict) {
        if (const auto refused = refusal(request)) {
            ++m_rejected;
            const json body = request.apiKind() == u"anthropic_messages"
                ? json { { "type", "error" }, { "error", *refused } }
                : json { { "error", *refused } };
            respond(socket, request, FakeReply::httpError(400, {}, dump(body)));
            return;
        }
    }
    const FakeReply reply = request.apiKind().isEmpty() ? FakeReply::httpError(404) : pick(request);
    if (reply.kind == FakeReply::Kind::Hang)
        return;
    if (reply.delayMs > 0) {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(reply.delayMs, this, [this, guard, request, reply] {
            if (guard)
                respond(guard, request, reply);
        });
        return;
    }
    respond(socket, request, reply);
}

void FakeProviderServer::respond(QTcpSocket* socket, const RecordedRequest& request, const FakeReply& scripted)
{
    FakeReply reply = scripted;
    const QString kind = request.apiKind().isEmpty() ? QStringLiteral("openai_chat") : request.apiKind();
    static const QRegularExpression marker(QStringLiteral("^\\s*\\[Draft\\s+(\\d+)\\]\\s*$"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    if (reply.kind == FakeReply::Kind::Automatic) {
        const bool isJudge = marker.match(request.userText()).hasMatch();
        reply = isJudge ? FakeReply::judge()
                        : FakeReply::success(FakeReply::draftJson(
                            QStringLiteral("A fake but well-formed answer from the fake provider server.")));
    }
    if (reply.kind == FakeReply::Kind::Judge) {
        nlohmann::json evals = nlohmann::json::array();
        for (auto it = marker.globalMatch(request.userText()); it.hasNext();) {
            const int n = it.next().captured(1).toInt();
            if (reply.omitDrafts.contains(n))
                continue;
            const int score = 9 - (n - 1) % 5;
            const int taskFit = std::min(4, score - 2 >= 0 ? 4 : score);
            const int clarity = 2;
            const int support = std::max(0, score - taskFit - clarity);
            evals.push_back(
                { { "draft_index", n }, { "score", score }, { "reasons", "Fake judge: draft " + std::to_string(n) },
                    { "subscores", { { "task_fit", taskFit }, { "support", support }, { "clarity", clarity } } } });
        }
        reply.kind = FakeReply::Kind::Success;
        reply.text = QString::fromStdString(nlohmann::json({ { "evaluations", evals } }).dump());
    }

    if (reply.kind == FakeReply::Kind::Huge) {
        streamHuge(socket, reply);
        return;
    }
    int status = 200;
    QByteArray body;
    QByteArray extra;
    switch (reply.kind) {
    case FakeReply::Kind::Redirect:
        status = reply.status;
        extra += "Location: " + reply.location + "\r\n";
        break;
    case FakeReply::Kind::HttpError:
        status = reply.status;
        body = reply.body.isEmpty() ? errorBody(kind, status, request.authKey()) : reply.body;
        if (!reply.retryAfter.isEmpty())
            extra += "Retry-After: " + reply.retryAfter + "\r\n";
        break;
    case FakeReply::Kind::MalformedJson:
        body = "{\"choices\": [ {\"message\": oops this is not json";
        break;
    default: {
        const qint64 out = reply.outputFromMaxTokens
            ? static_cast<qint64>(std::max(0, request.maxTokens())) * reply.limitMultiple
            : reply.outputTokens;
        body = successBody(kind, request.model(), reply, reply.inputTokens, out);
        break;
    }
    }
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    response += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += extra + "Connection: keep-alive\r\n\r\n" + body;
    socket->write(response);
}

void FakeProviderServer::streamHuge(QTcpSocket* socket, const FakeReply& reply)
{
    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    if (reply.declareLength)
        head += "Content-Length: " + QByteArray::number(reply.hugeBytes) + "\r\nConnection: keep-alive\r\n\r\n";
    else
        head += "Connection: close\r\n\r\n";
    socket->write(head);
    auto headLeft = std::make_shared<qint64>(head.size());
    auto bodyLeft = std::make_shared<qint64>(reply.hugeBytes);
    auto queued = std::make_shared<qint64>(0);
    const QByteArray prefix = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"";
    auto pump = [socket, bodyLeft, queued, prefix, first = std::make_shared<bool>(true)] {
        constexpr qint64 piece = 64 * 1024;
        while (*bodyLeft - *queued > 0 && socket->bytesToWrite() < 4 * piece) {
            QByteArray chunk(std::min(piece, *bodyLeft - *queued), ' ');
            if (*first) {
                chunk.replace(0, std::min<qsizetype>(prefix.size(), chunk.size()), prefix.left(chunk.size()));
                *first = false;
            }
            *queued += socket->write(chunk);
        }
    };
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(socket, &QTcpSocket::bytesWritten, this,
        [this, socket, headLeft, bodyLeft, queued, pump, connection](qint64 n) {
            const qint64 fromHead = std::min(n, *headLeft);
            *headLeft -= fromHead;
            const qint64 body = n - fromHead;
            m_hugeBytesWritten += body;
            *bodyLeft -= body;
            *queued -= body;
            if (*bodyLeft <= 0 && *headLeft <= 0) {
                disconnect(*connection);
                ++m_hugeCompleted;
                socket->disconnectFromHost();
                return;
            }
            pump();
        });
    pump();
}

djp::ChatResult callAndWait(
    djp::ProviderHub& hub, const djp::ChatRequest& request, const djp::CallHooks& hooks, int timeoutMs)
{
    std::optional<djp::ChatResult> result;
    QObject context; // destroyed on return, so a late `done` never touches `result`
    const auto id = hub.call(
        request, hooks, [&result](const djp::ChatResult& r) { result = r; }, &context);
    QDeadlineTimer deadline(timeoutMs);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
    if (!result) {
        hub.cancel(id);
        djp::ChatResult timedOut;
        timedOut.errorKind = djp::ErrorKind::Cancelled;
        timedOut.error = QStringLiteral("test timeout");
        return timedOut;
    }
    return *result;
}

} // namespace djp::test
