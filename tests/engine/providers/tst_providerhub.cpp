// ProviderHub against the fake provider server: the wire format of each API kind, usage, retry
// (Retry-After, 5xx, non-retryable 4xx, hangs, malformed bodies, network errors), the circuit
// breaker, budget hooks, cancellation, and that keys never leak into errors, results or logs.
#include "core/log.h"
#include "fakeproviderserver.h"
#include "providers/providerhub.h"
#include "testclock.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <spdlog/sinks/ostream_sink.h>
#include <sstream>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;

namespace {

ChatRequest request(const QString& label, const QString& user = QStringLiteral("Task: say hello"))
{
    ChatRequest r;
    r.stage = QStringLiteral("debate");
    r.label = label;
    r.system = QStringLiteral("Be brief.");
    r.user = user;
    r.maxTokens = 321;
    r.temperature = 0.25;
    r.timeoutMs = 3000;
    return r;
}

} // namespace

class TestProviderHub : public QObject
{
    Q_OBJECT
    // The product's clock (used for wall-clock facts such as the breaker's re-open time) stands still.
    test::PinnedClock m_clockPin;
    QTemporaryDir m_config;
    FakeProviderServer* m_server = nullptr;
    qint64 m_now = 0;

    HubOptions options()
    {
        HubOptions o;
        o.loadDotEnv = false;
        o.jitter = [] { return 0.0; };
        o.retry.baseDelayMs = 10;
        o.retry.maxDelayMs = 5000; // large enough that a Retry-After of 1 s is not capped
        o.clock = [this] { return m_now; };
        o.simulator.latencyMs = 0;
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
    }
    void init()
    {
        m_now = 0;
        m_server = new FakeProviderServer(this);
        QVERIFY(m_server->listen());
        m_server->exportToEnvironment();
    }
    void cleanup()
    {
        delete m_server;
        m_server = nullptr;
    }

    void wireFormat_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("authHeader");
        QTest::addColumn<QByteArray>("authValue");
        QTest::addColumn<QString>("model");
        const QByteArray oa = FakeProviderServer::fakeKey("openai");
        QTest::newRow("openai") << "openai/gpt-4o"
                                << "/v1/chat/completions" << QByteArray("authorization") << QByteArray("Bearer " + oa)
                                << "gpt-4o";
        QTest::newRow("openai nested model") << "openai/meta-llama/Llama-3-8B"
                                             << "/v1/chat/completions" << QByteArray("authorization")
                                             << QByteArray("Bearer " + oa) << "meta-llama/Llama-3-8B";
        QTest::newRow("anthropic") << "anthropic/claude-3-5-sonnet-20240620"
                                   << "/v1/messages" << QByteArray("x-api-key")
                                   << FakeProviderServer::fakeKey("anthropic") << "claude-3-5-sonnet-20240620";
        QTest::newRow("gemini") << "google/gemini-1.5-pro"
                                << "/v1beta/models/gemini-1.5-pro:generateContent" << QByteArray("x-goog-api-key")
                                << FakeProviderServer::fakeKey("google") << "gemini-1.5-pro";
    }
    void wireFormat()
    {
        QFETCH(QString, label);
        QFETCH(QString, path);
        QFETCH(QByteArray, authHeader);
        QFETCH(QByteArray, authValue);
        QFETCH(QString, model);
        m_server->enqueue(FakeReply::success(QStringLiteral("hello there"), 17, 4));
        ProviderHub hub(options());
        ChatRequest r = request(label);
        const ChatResult res = test::callAndWait(hub, r);
        QVERIFY2(res.ok, qPrintable(res.error));
        QCOMPARE(res.text, QStringLiteral("hello there"));
        QCOMPARE(res.inputTokens, 17);
        QCOMPARE(res.outputTokens, 4);
        QCOMPARE(res.attempts.size(), 1u);
        const CallAttempt& a = res.attempts[0];
        QCOMPARE(a.status, QStringLiteral("ok"));
        QCOMPARE(a.label, label); // the requested label, verbatim
        QCOMPARE(a.httpStatus.value_or(0), 200);
        QCOMPARE(a.inputTokens, 17);
        QCOMPARE(a.outputTokens, 4);
        QVERIFY(!a.simulated);
        QVERIFY(!a.usageEstimated);
        QCOMPARE(a.api, apiKindName(hub.route(label).api));

        QCOMPARE(m_server->requestCount(), 1);
        const test::RecordedRequest q = m_server->requests()[0];
        QCOMPARE(q.method, QByteArray("POST"));
        QCOMPARE(q.path, path);
        QCOMPARE(q.header(authHeader), authValue);
        QVERIFY(q.header("content-type").startsWith("application/json"));
        QCOMPARE(q.model(), model);
        QCOMPARE(q.maxTokens(), 321);
        QCOMPARE(q.userText(), r.user);
        QCOMPARE(q.systemText(), r.system);
        const nlohmann::json body = q.json();
        const QString kind = q.apiKind();
        if (kind == u"openai_chat") {
            QVERIFY(body["temperature"] == 0.25);
            QVERIFY(body["messages"].size() == 2);
            QVERIFY(body["messages"][0]["role"] == "system");
            QVERIFY(!body.contains("seed"));
            QVERIFY(q.header("x-api-key").isEmpty());
        } else if (kind == u"anthropic_messages") {
            QCOMPARE(q.header("anthropic-version"), QByteArray("2023-06-01"));
            QVERIFY(body["system"] == "Be brief.");
            QVERIFY(body["messages"].size() == 1);
            QVERIFY(body["messages"][0]["role"] == "user");
            QVERIFY(body["temperature"] == 0.25);
            QVERIFY(q.header("authorization").isEmpty());
        } else {
            QCOMPARE(kind, QStringLiteral("gemini"));
            QVERIFY(body["contents"][0]["role"] == "user");
            QVERIFY(body["systemInstruction"]["parts"][0]["text"] == "Be brief.");
            QVERIFY(body["generationConfig"]["maxOutputTokens"] == 321);
            QVERIFY(body["generationConfig"]["temperature"] == 0.25);
            QVERIFY(!body.contains("model"));
        }
    }

    void seedOnlyWhenSet()
    {
        ProviderHub hub(options());
        ChatRequest r = request("openai/gpt-4o");
        r.seed = 12345;
        QVERIFY(test::callAndWait(hub, r).ok);
        QVERIFY(m_server->requests()[0].json()["seed"] == 12345);
    }

    void missingUsageIsEstimated()
    {
        m_server->enqueue(FakeReply::successWithoutUsage(QStringLiteral("12345678")));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(res.ok);
        QVERIFY(res.attempts[0].usageEstimated);
        QCOMPARE(res.outputTokens, 2);
        QVERIFY(res.inputTokens > 0);
    }

    void outputTokensFromMaxTokens()
    {
        m_server->enqueue(FakeReply::successFillingMaxTokens(QStringLiteral("long")));
        ProviderHub hub(options());
        QCOMPARE(test::callAndWait(hub, request("anthropic/claude-3-haiku-20240307")).outputTokens, 321);
    }

    void retryAfterIsHonoured()
    {
        m_server->enqueue(FakeReply::httpError(429, "1"));
        m_server->enqueue(FakeReply::success(QStringLiteral("ok")));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(res.ok);
        QCOMPARE(res.attempts.size(), 2u);
        QCOMPARE(res.attempts[0].status, QStringLiteral("error"));
        QCOMPARE(res.attempts[0].httpStatus.value_or(0), 429);
        QCOMPARE(res.attempts[0].errorKind, ErrorKind::Http);
        QCOMPARE(res.attempts[1].attempt, 2);
        QCOMPARE(m_server->requestCount(), 2);
        const qint64 gap = m_server->requests()[1].receivedAtMs - m_server->requests()[0].receivedAtMs;
        // 1 s, not the 10 ms backoff. Only the lower bound is certain: timers never fire early, while a
        // loaded machine may deliver late.
        QVERIFY2(gap >= 950, qPrintable(QString::number(gap)));
    }

    void backoffBetweenAttempts()
    {
        HubOptions o = options();
        o.retry.baseDelayMs = 200;
        for (int i = 0; i < 3; ++i)
            m_server->enqueue(FakeReply::httpError(500));
        ProviderHub hub(o);
        const ChatResult res = test::callAndWait(hub, request("google/gemini-1.5-flash"));
        QVERIFY(!res.ok);
        QCOMPARE(res.attempts.size(), 3u);
        QCOMPARE(m_server->requestCount(), 3);
        QCOMPARE(res.errorKind, ErrorKind::Http);
        QCOMPARE(res.httpStatus.value_or(0), 500);
        QVERIFY(res.error.startsWith(QStringLiteral("HTTP 500")));
        const auto rq = m_server->requests();
        const qint64 g1 = rq[1].receivedAtMs - rq[0].receivedAtMs;
        const qint64 g2 = rq[2].receivedAtMs - rq[1].receivedAtMs;
        // 200 ms, then 400 ms; lower bounds only (a loaded machine may deliver late, never early). The
        // delay sequence itself is checked exactly in tst_retrypolicy.
        QVERIFY2(g1 >= 195, qPrintable(QString::number(g1)));
        QVERIFY2(g2 >= 395, qPrintable(QString::number(g2)));
        QVERIFY2(g2 > g1, "the backoff grows");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(res.attempts[i].attempt, i + 1);
    }

    void nonRetryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        for (int s : { 400, 401, 403, 404, 422 })
            QTest::addRow("%d", s) << s;
    }
    void nonRetryableStatuses()
    {
        QFETCH(int, status);
        m_server->enqueue(FakeReply::httpError(status));
        m_server->enqueue(FakeReply::success(QStringLiteral("should not be reached")));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(!res.ok);
        QCOMPARE(res.attempts.size(), 1u);
        QCOMPARE(m_server->requestCount(), 1);
        QCOMPARE(res.httpStatus.value_or(0), status);
        // A 4xx proves the provider is up: it does not count towards the breaker.
        QCOMPARE(hub.breakerState("openai").consecutiveFailures, 0);
    }

    void hangTimesOutThenRetries()
    {
        m_server->enqueue(FakeReply::hang());
        m_server->enqueue(FakeReply::success(QStringLiteral("second time lucky")));
        ProviderHub hub(options());
        ChatRequest r = request("anthropic/claude-3-haiku-20240307");
        r.timeoutMs = 300;
        const ChatResult res = test::callAndWait(hub, r);
        QVERIFY2(res.ok, qPrintable(res.error));
        QCOMPARE(res.text, QStringLiteral("second time lucky"));
        QCOMPARE(res.attempts.size(), 2u);
        QCOMPARE(res.attempts[0].errorKind, ErrorKind::Timeout);
        QVERIFY(!res.attempts[0].httpStatus);
        QVERIFY(res.attempts[0].latencyMs >= 290);
        QVERIFY(res.attempts[0].error.contains(QStringLiteral("timed out")));
    }

    void delayedReplyWithinTimeoutSucceeds()
    {
        m_server->enqueue(FakeReply::success(QStringLiteral("slow")).withDelay(150));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(res.ok);
        QVERIFY(res.attempts[0].latencyMs >= 140);
    }

    void malformedBodyIsRetried()
    {
        m_server->enqueue(FakeReply::malformedJson());
        m_server->enqueue(FakeReply::success(QStringLiteral("fine")));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(res.ok);
        QCOMPARE(res.attempts.size(), 2u);
        QCOMPARE(res.attempts[0].errorKind, ErrorKind::MalformedResponse);
        QCOMPARE(res.attempts[0].httpStatus.value_or(0), 200);

        for (int i = 0; i < 3; ++i)
            m_server->enqueue(FakeReply::malformedJson());
        const ChatResult bad = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(!bad.ok);
        QCOMPARE(bad.errorKind, ErrorKind::MalformedResponse);
        QCOMPARE(bad.attempts.size(), 3u);
    }

    void nonJsonModelTextIsAValidReply()
    {
        m_server->enqueue(FakeReply::nonJsonModelText());
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(res.ok); // whether the text is the JSON asked for is the pipeline's business
        QVERIFY(res.text.startsWith(QStringLiteral("Sure!")));
    }

    void judgeReplyOmittingADraft()
    {
        m_server->enqueue(FakeReply::judge({ 2 }));
        ProviderHub hub(options());
        ChatRequest r
            = request("openai/gpt-4o", QStringLiteral("Task: t\n\n[Draft 1]\nA\n\n[Draft 2]\nB\n\n[Draft 3]\nC\n"));
        r.stage = QStringLiteral("judge");
        const ChatResult res = test::callAndWait(hub, r);
        QVERIFY(res.ok);
        const auto j = nlohmann::json::parse(res.text.toStdString());
        QCOMPARE(j["evaluations"].size(), 2u);
        QVERIFY(j["evaluations"][0]["draft_index"] == 1);
        QVERIFY(j["evaluations"][1]["draft_index"] == 3);
    }

    void networkErrorIsRetried()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        qputenv("OPENAI_BASE_URL", QStringLiteral("http://127.0.0.1:%1/v1").arg(port).toUtf8());
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(!res.ok);
        QCOMPARE(res.errorKind, ErrorKind::Network);
        QCOMPARE(res.attempts.size(), 3u);
        QVERIFY(res.error.contains(QStringLiteral("ConnectionRefused")));
    }

    void totalBudgetStopsRetries()
    {
        HubOptions o = options();
        o.retry.totalBudgetMs = 1000;
        m_server->enqueue(FakeReply::httpError(503, "5")); // 5 s wait would exceed the 1 s budget
        m_server->enqueue(FakeReply::success(QStringLiteral("late")));
        ProviderHub hub(o);
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"));
        QVERIFY(!res.ok);
        QCOMPARE(res.attempts.size(), 1u);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void breakerOpensFailsFastAndRecovers()
    {
        m_server->setDefaultReply(FakeReply::httpError(500));
        ProviderHub hub(options());
        QSignalSpy spy(&hub, &ProviderHub::breakerStateChanged);
        const ChatResult first = test::callAndWait(hub, request("openai/gpt-4o"));
        QCOMPARE(first.attempts.size(), 3u);
        QCOMPARE(hub.breakerState("openai").consecutiveFailures, 3);
        QCOMPARE(hub.breakerState("openai").phase, BreakerPhase::Closed);

        // Failures 4 and 5 open the breaker; the call's third attempt fails fast.
        const ChatResult second = test::callAndWait(hub, request("openai/gpt-4o"));
        QCOMPARE(second.attempts.size(), 3u);
        QCOMPARE(second.attempts[2].status, QStringLiteral("circuit_open"));
        QCOMPARE(second.errorKind, ErrorKind::CircuitOpen);
        QCOMPARE(m_server->requestCount(), 5);
        const BreakerState open = hub.breakerState("openai");
        QCOMPARE(open.phase, BreakerPhase::Open);
        QCOMPARE(open.consecutiveFailures, 5);
        QCOMPARE(open.reopenAtMs, 60000);
        // The hub's clock stands at 0 and the product's clock is pinned: re-opening is exactly 60 s later.
        QCOMPARE(open.reopenAtUtc.toMSecsSinceEpoch(), m_clockPin.nowMs() + 60000);
        bool sawOpen = false;
        for (const auto& args : spy)
            sawOpen |= args.at(0).value<BreakerState>().phase == BreakerPhase::Open;
        QVERIFY(sawOpen);

        // Fail fast: nothing is sent and no hook runs.
        int hookCalls = 0;
        CallHooks hooks;
        hooks.beforeAttempt = [&](const ChatRequest&, int) {
            ++hookCalls;
            return true;
        };
        hooks.attemptFinished = [&](const CallAttempt&) { ++hookCalls; };
        const ChatResult fast = test::callAndWait(hub, request("openai/gpt-4o"), hooks);
        QVERIFY(!fast.ok);
        QCOMPARE(fast.attempts.size(), 1u);
        QCOMPARE(fast.attempts[0].status, QStringLiteral("circuit_open"));
        QCOMPARE(fast.errorKind, ErrorKind::CircuitOpen);
        QCOMPARE(hookCalls, 0);
        QCOMPARE(m_server->requestCount(), 5);
        // Other providers are not affected.
        m_server->enqueueFor(QStringLiteral("claude-3-haiku-20240307"), FakeReply::success(QStringLiteral("up")));
        QVERIFY(test::callAndWait(hub, request("anthropic/claude-3-haiku-20240307")).ok);

        // After the open period exactly one probe goes through; its success closes the breaker.
        m_now += 60000;
        QCOMPARE(hub.breakerState("openai").phase, BreakerPhase::HalfOpen);
        m_server->enqueueFor(QStringLiteral("gpt-4o"), FakeReply::success(QStringLiteral("probe")).withDelay(200));
        std::optional<ChatResult> probe, concurrent;
        hub.call(request("openai/gpt-4o"), {}, [&](const ChatResult& r) { probe = r; });
        hub.call(request("openai/gpt-4o"), {}, [&](const ChatResult& r) { concurrent = r; });
        QTRY_VERIFY_WITH_TIMEOUT(probe && concurrent, 5000);
        QVERIFY(probe->ok);
        QVERIFY(!concurrent->ok);
        QCOMPARE(concurrent->attempts[0].status, QStringLiteral("circuit_open"));
        QCOMPARE(m_server->requestCount(), 7); // 5 + anthropic + the probe
        QCOMPARE(hub.breakerState("openai").phase, BreakerPhase::Closed);
        QCOMPARE(hub.breakerState("openai").consecutiveFailures, 0);
        QCOMPARE(spy.last().at(0).value<BreakerState>().phase, BreakerPhase::Closed);
    }

    void failedProbeReopens()
    {
        HubOptions o = options();
        o.retry.maxAttempts = 1;
        ProviderHub hub(o);
        m_server->setDefaultReply(FakeReply::httpError(503));
        for (int i = 0; i < 5; ++i)
            test::callAndWait(hub, request("google/gemini-1.5-pro"));
        QCOMPARE(hub.breakerState("google").phase, BreakerPhase::Open);
        m_now += 60000;
        const ChatResult probe = test::callAndWait(hub, request("google/gemini-1.5-pro"));
        QCOMPARE(probe.attempts[0].status, QStringLiteral("error"));
        QCOMPARE(m_server->requestCount(), 6);
        QCOMPARE(hub.breakerState("google").phase, BreakerPhase::Open);
        QCOMPARE(hub.breakerState("google").reopenAtMs, 120000);
        QCOMPARE(test::callAndWait(hub, request("google/gemini-1.5-pro")).errorKind, ErrorKind::CircuitOpen);
        QCOMPARE(m_server->requestCount(), 6);
        hub.resetBreaker("google");
        QCOMPARE(hub.breakerState("google").phase, BreakerPhase::Closed);
    }

    void simulatedFaultsUseTheirOwnBreaker()
    {
        HubOptions o = options();
        o.offline = true;
        o.simulator.fault = SimFault::Http500;
        ProviderHub hub(o);
        test::callAndWait(hub, request("openai/gpt-4o"));
        test::callAndWait(hub, request("openai/gpt-4o"));
        QCOMPARE(hub.breakerKey("openai/gpt-4o"), QStringLiteral("simulated/openai"));
        QCOMPARE(hub.breakerState("simulated/openai").phase, BreakerPhase::Open);
        QCOMPARE(hub.breakerState("openai").phase, BreakerPhase::Closed);
    }

    void budgetHookSkipsAttempts()
    {
        ProviderHub hub(options());
        int finishedHooks = 0;
        CallHooks deny;
        deny.beforeAttempt = [](const ChatRequest&, int) { return false; };
        deny.attemptFinished = [&](const CallAttempt&) { ++finishedHooks; };
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"), deny);
        QVERIFY(!res.ok);
        QCOMPARE(res.errorKind, ErrorKind::SkippedBudget);
        QCOMPARE(res.attempts.size(), 1u);
        QCOMPARE(res.attempts[0].status, QStringLiteral("skipped_budget"));
        QCOMPARE(finishedHooks, 0);
        // No request was sent; the exact count after the next call (2) also rules out a late one.
        QCOMPARE(m_server->requestCount(), 0);

        // Hooks run around every attempt, retries included; a later denial ends the call.
        m_server->enqueue(FakeReply::httpError(502));
        m_server->enqueue(FakeReply::httpError(502));
        QList<int> before;
        QList<QString> after;
        CallHooks hooks;
        hooks.beforeAttempt = [&](const ChatRequest& r, int attempt) {
            before << attempt;
            return r.label == u"openai/gpt-4o" && attempt < 3;
        };
        hooks.attemptFinished = [&](const CallAttempt& a) { after << a.status; };
        const ChatResult partial = test::callAndWait(hub, request("openai/gpt-4o"), hooks);
        QCOMPARE(before, (QList<int> { 1, 2, 3 }));
        QCOMPARE(after, (QList<QString> { "error", "error" }));
        QCOMPARE(partial.attempts.size(), 3u);
        QCOMPARE(partial.attempts[2].status, QStringLiteral("skipped_budget"));
        QCOMPARE(m_server->requestCount(), 2);
    }

    void cancelAbortsTheAttemptInFlight()
    {
        m_server->enqueue(FakeReply::hang());
        ProviderHub hub(options());
        std::optional<ChatResult> result;
        QList<ErrorKind> finished;
        CallHooks hooks;
        hooks.attemptFinished = [&](const CallAttempt& a) { finished << a.errorKind; };
        const auto id = hub.call(request("openai/gpt-4o"), hooks, [&](const ChatResult& r) { result = r; });
        QVERIFY(m_server->waitForRequests(1));
        QVERIFY(hub.cancel(id));
        QVERIFY(!result); // delivered from the event loop, not inside cancel()
        QVERIFY(!hub.cancel(id));
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QCOMPARE(result->errorKind, ErrorKind::Cancelled);
        QCOMPARE(result->attempts.size(), 1u);
        QCOMPARE(result->attempts[0].errorKind, ErrorKind::Cancelled);
        QCOMPARE(finished, (QList<ErrorKind> { ErrorKind::Cancelled }));
        QCOMPARE(hub.activeCalls(), 0);

        // cancelAll during a retry wait; a destroyed context suppresses `done`.
        HubOptions slow = options();
        slow.retry.baseDelayMs = 2000;
        ProviderHub hub2(slow);
        m_server->setDefaultReply(FakeReply::httpError(500));
        int doneCalls = 0;
        auto* context = new QObject;
        hub2.call(request("openai/gpt-4o"), {},
            [&](const ChatResult& r) { doneCalls += r.errorKind == ErrorKind::Cancelled; });
        hub2.call(
            request("openai/gpt-4o"), {}, [&](const ChatResult&) { ++doneCalls; }, context);
        QVERIFY(m_server->waitForRequests(3));
        delete context;
        hub2.cancelAll();
        QCOMPARE(hub2.activeCalls(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(doneCalls, 1, 10000);
        // Results are delivered through queued events: once those are drained, a suppressed `done`
        // can no longer arrive.
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(doneCalls, 1);
    }

    void keysNeverLeak()
    {
        std::ostringstream logText;
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logText);
        auto log = logger("providers");
        log->sinks().push_back(sink);
        const auto oldLevel = log->level();
        log->set_level(spdlog::level::trace);

        // Error bodies echo the key the fake server received, as real providers partly do.
        m_server->enqueue(FakeReply::httpError(401));
        m_server->enqueue(FakeReply::httpError(429, "0"));
        m_server->enqueue(FakeReply::httpError(500));
        m_server->enqueue(FakeReply::httpError(500));
        m_server->enqueue(FakeReply::httpError(429, "0"));
        m_server->enqueue(FakeReply::httpError(403));
        ProviderHub hub(options());
        std::vector<ChatResult> results;
        results.push_back(test::callAndWait(hub, request("openai/gpt-4o")));
        results.push_back(test::callAndWait(hub, request("anthropic/claude-3-haiku-20240307")));
        results.push_back(test::callAndWait(hub, request("google/gemini-1.5-pro")));
        log->sinks().pop_back();
        log->set_level(oldLevel);

        QCOMPARE(m_server->requestCount(), 6);
        const QList<QByteArray> keys = { FakeProviderServer::fakeKey("openai"),
            FakeProviderServer::fakeKey("anthropic"), FakeProviderServer::fakeKey("google") };
        QString everything = QString::fromStdString(logText.str());
        for (const ChatResult& r : results) {
            QVERIFY(!r.ok);
            everything += r.error + r.text;
            for (const CallAttempt& a : r.attempts)
                everything += a.error + a.label + a.api + a.stage + a.status;
        }
        QVERIFY(everything.contains(QStringLiteral("HTTP 401 (invalid_api_key)")));
        QVERIFY(everything.contains(QStringLiteral("rate_limit_error")));
        QVERIFY(everything.contains(QStringLiteral("HTTP 403")));
        QVERIFY(!logText.str().empty()); // the log did record the attempts
        for (const QByteArray& k : keys) {
            QVERIFY2(!everything.contains(QString::fromUtf8(k)), k.constData());
            QVERIFY(!everything.contains(QString::fromUtf8(k.left(12))));
        }
        // The route and key status shown to users carry no secret either.
        const ProviderRoute route = hub.route("openai/gpt-4o");
        QVERIFY(!QString(route.baseUrl + route.vendor + route.apiModel).contains(QString::fromUtf8(keys[0])));
        QCOMPARE(hub.keyStatus("openai").envVar, QStringLiteral("OPENAI_API_KEY"));
    }
};

QTEST_GUILESS_MAIN(TestProviderHub)
#include "tst_providerhub.moc"
