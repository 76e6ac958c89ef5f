// The simulated provider: determinism, draft and judge shapes and conventions, token counts,
// max_tokens bounds, latency, injected faults, and how the hub routes to it.
#include "core/jsonutil.h"
#include "core/strings.h"
#include "fakeproviderserver.h"
#include "providers/providerhub.h"
#include "providers/simulator.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;

namespace {

ChatRequest draftRequest(const QString& task, std::optional<int> seed = 7, const QString& label = "openai/gpt-4o")
{
    ChatRequest r;
    r.stage = QStringLiteral("debate");
    r.label = label;
    r.system = QStringLiteral(
        "You are a careful analyst. Reply with a JSON object {answer, evidence, confidence, safety_flags}.");
    r.user = QStringLiteral("Task: ") + task + QStringLiteral("\n\nReply in JSON only.");
    r.maxTokens = 800;
    r.seed = seed;
    return r;
}

int wordCount(const QString& s)
{
    return static_cast<int>(s.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts).size());
}

Json parsed(const QString& text)
{
    const auto j = parseJson(text.toUtf8());
    return j ? *j : Json();
}

HubOptions simHub(SimulatorOptions sim = {})
{
    HubOptions o;
    o.simulator = sim;
    o.loadDotEnv = false;
    o.offline = true;
    o.jitter = [] { return 0.0; };
    o.retry.baseDelayMs = 5;
    o.retry.maxDelayMs = 20;
    return o;
}

SimulatorOptions instant()
{
    SimulatorOptions s;
    s.latencyMs = 0;
    return s;
}

} // namespace

class TestSimulator : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;

private slots:
    void initTestCase()
    {
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
        for (const char* v : { "DJP_SIM_LATENCY_MS", "DJP_SIM_FAIL_RATE", "DJP_SIM_FAULT", "DJP_SIM_OUTPUT",
                 "DJP_SIM_FAULT_ATTEMPTS", "DJP_SIM_FAULT_STAGE", "DJP_SIM_FAULT_LABELS" })
            qunsetenv(v);
    }

    void deterministicPerSeedLabelAndPrompt()
    {
        const QString task = QStringLiteral("Explain the benefits and risks of remote work for small software teams");
        const QString a = SimulatedProvider::draftText(draftRequest(task, 1));
        QCOMPARE(SimulatedProvider::draftText(draftRequest(task, 1)), a);
        QVERIFY(SimulatedProvider::draftText(draftRequest(task, 2)) != a);
        QVERIFY(SimulatedProvider::draftText(draftRequest(task, 1, "anthropic/claude-3-haiku-20240307")) != a);
        QVERIFY(SimulatedProvider::draftText(draftRequest(task + "?", 1)) != a);
        // Unseeded requests are deterministic too (seed 0).
        QCOMPARE(SimulatedProvider::draftText(draftRequest(task, std::nullopt)),
            SimulatedProvider::draftText(draftRequest(task, std::nullopt)));
    }

    void draftShape()
    {
        const ChatRequest r
            = draftRequest(QStringLiteral("Assess the impact of carbon taxes on heavy industry in Europe"));
        const Json j = parsed(SimulatedProvider::draftText(r));
        QVERIFY(j.is_object());
        QVERIFY(j["answer"].is_string());
        const QString answer = qs(j["answer"].get<std::string>());
        QVERIFY(answer.contains(QStringLiteral("carbon")) || answer.contains(QStringLiteral("industry")));
        const int words = wordCount(answer);
        QVERIFY2(words >= 200 && words <= 320, qPrintable(QString::number(words))); // about 250
        QVERIFY(j["evidence"].is_array());
        QVERIFY(j["evidence"].size() >= 2 && j["evidence"].size() <= 5);
        const double c = j["confidence"].get<double>();
        QVERIFY(c >= 0.0 && c <= 1.0);
        QVERIFY(j["safety_flags"].is_array() && j["safety_flags"].empty());
    }

    void lengthFromTheTask()
    {
        const Json j = parsed(SimulatedProvider::draftText(
            draftRequest(QStringLiteral("Write a 150-word summary of the causes of inflation"))));
        const int words = wordCount(qs(j["answer"].get<std::string>()));
        QVERIFY2(words >= 120 && words <= 190, qPrintable(QString::number(words)));
        const Json k
            = parsed(SimulatedProvider::draftText(draftRequest(QStringLiteral("Describe tidal energy in 60 words"))));
        const int w2 = wordCount(qs(k["answer"].get<std::string>()));
        QVERIFY2(w2 >= 45 && w2 <= 85, qPrintable(QString::number(w2)));
    }

    void requiredEvidence_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("required");
        QTest::newRow("pipeline line") << QStringLiteral("Required evidence items: 7") << 7;
        QTest::newRow("phrase citations") << QStringLiteral("Give at least 6 citations.") << 6;
        QTest::newRow("phrase evidence items") << QStringLiteral("Provide at least 3 evidence items.") << 3;
    }
    void requiredEvidence()
    {
        QFETCH(QString, line);
        QFETCH(int, required);
        for (int seed = 0; seed < 10; ++seed) {
            ChatRequest r = draftRequest(QStringLiteral("Compare nuclear and wind power costs"), seed);
            r.user += u'\n' + line;
            const Json j = parsed(SimulatedProvider::draftText(r));
            QVERIFY(static_cast<int>(j["evidence"].size()) >= required);
        }
    }

    void boundedByMaxTokens()
    {
        ChatRequest r = draftRequest(QStringLiteral("Write a 900-word essay on urban planning and public transport"));
        r.maxTokens = 120;
        const SimulatedReply rep = SimulatedProvider::simulate(r, 1, instant());
        QVERIFY(rep.outcome.ok());
        QVERIFY(rep.outcome.text.size() <= 480);
        QVERIFY(rep.outcome.outputTokens <= 120);
        QVERIFY(parsed(rep.outcome.text).is_object()); // still valid JSON, answer shortened
        // A cap below the JSON envelope truncates like a real model.
        r.maxTokens = 5;
        const SimulatedReply tiny = SimulatedProvider::simulate(r, 1, instant());
        QCOMPARE(tiny.outcome.text.size(), 20);
        QCOMPARE(tiny.outcome.outputTokens, 5);
    }

    void outputMaxFillsTheCap()
    {
        SimulatorOptions o = instant();
        o.outputMax = true;
        ChatRequest r = draftRequest(QStringLiteral("Short note on tea"));
        r.maxTokens = 300;
        const SimulatedReply rep = SimulatedProvider::simulate(r, 1, o);
        QCOMPARE(rep.outcome.outputTokens, 300);
        QVERIFY(rep.outcome.text.size() > 1100 && rep.outcome.text.size() <= 1200);
        QVERIFY(parsed(rep.outcome.text).is_object());
    }

    void tokenCountsFollowText()
    {
        const ChatRequest r = draftRequest(QStringLiteral("Explain photosynthesis"));
        const SimulatedReply rep = SimulatedProvider::simulate(r, 1, instant());
        QCOMPARE(rep.outcome.inputTokens, (r.system.size() + r.user.size() + 3) / 4);
        QCOMPARE(rep.outcome.outputTokens, (rep.outcome.text.size() + 3) / 4);
        QVERIFY(!rep.outcome.usageEstimated);
    }

    void judgeCoversEveryDraftAndScoresThem()
    {
        ChatRequest j;
        j.stage = QStringLiteral("judge");
        j.label = QStringLiteral("openai/gpt-4o");
        j.maxTokens = 600;
        j.seed = 3;
        const QString task = QStringLiteral("Explain how vaccines train the immune system");
        const Json good = parsed(SimulatedProvider::draftText(draftRequest(task)));
        j.user = QStringLiteral("Task: ") + task + QStringLiteral("\n\nScore each draft.\n\n[Draft 1]\n")
            + qs(good.dump())
            + QStringLiteral("\n\n[Draft 2]\nAnswer: Bananas are yellow and grow in bunches.\n\n"
                             "[Draft 3]\nAnswer: Vaccines expose the immune system to a harmless antigen so it "
                             "learns to recognise the pathogen.\nEvidence:\n- WHO fact sheet\n- CDC primer\n"
                             "- Review article 2020\n");
        const SimulatedReply rep = SimulatedProvider::simulate(j, 1, instant());
        QVERIFY(rep.outcome.ok());
        const Json reply = parsed(rep.outcome.text);
        QVERIFY2(reply.is_object(), qPrintable(rep.outcome.text));
        const Json& evals = reply["evaluations"];
        QCOMPARE(evals.size(), 3u);
        std::map<int, Json> byIndex;
        for (const Json& e : evals) {
            const int idx = e["draft_index"].get<int>();
            byIndex[idx] = e;
            const Json& s = e["subscores"];
            const int tf = s["task_fit"].get<int>(), sup = s["support"].get<int>(), cl = s["clarity"].get<int>();
            QVERIFY(tf >= 0 && tf <= 4 && sup >= 0 && sup <= 4 && cl >= 0 && cl <= 2);
            QCOMPARE(e["score"].get<int>(), tf + sup + cl);
            QVERIFY(!e["reasons"].get<std::string>().empty());
        }
        QCOMPARE(byIndex.size(), 3u);
        QVERIFY(byIndex[1]["score"].get<int>() > byIndex[2]["score"].get<int>());
        QVERIFY(byIndex[3]["subscores"]["task_fit"].get<int>() > byIndex[2]["subscores"]["task_fit"].get<int>());
        QCOMPARE(byIndex[3]["subscores"]["support"].get<int>(), 3); // three listed evidence items
        QCOMPARE(byIndex[2]["subscores"]["support"].get<int>(), 0);
        // Deterministic.
        QCOMPARE(SimulatedProvider::simulate(j, 1, instant()).outcome.text, rep.outcome.text);
    }

    void faults_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("http");
        QTest::newRow("429") << int(SimFault::Http429) << int(ErrorKind::Http) << 429;
        QTest::newRow("500") << int(SimFault::Http500) << int(ErrorKind::Http) << 500;
        QTest::newRow("timeout") << int(SimFault::Timeout) << int(ErrorKind::Timeout) << 0;
        QTest::newRow("malformed") << int(SimFault::Malformed) << int(ErrorKind::MalformedResponse) << 200;
    }
    void faults()
    {
        QFETCH(int, fault);
        QFETCH(int, kind);
        QFETCH(int, http);
        SimulatorOptions o = instant();
        o.fault = SimFault(fault);
        ProviderHub hub(simHub(o));
        ChatRequest r = draftRequest(QStringLiteral("anything"));
        r.timeoutMs = 50;
        const ChatResult res = test::callAndWait(hub, r);
        QVERIFY(!res.ok);
        QCOMPARE(int(res.errorKind), kind);
        QCOMPARE(res.attempts.size(), 3u); // all retryable
        for (const CallAttempt& a : res.attempts) {
            QCOMPARE(a.api, QStringLiteral("simulated"));
            QVERIFY(a.simulated);
            QCOMPARE(a.status, QStringLiteral("error"));
            QCOMPARE(a.httpStatus.value_or(0), http);
        }
        if (o.fault == SimFault::Timeout)
            QVERIFY(res.attempts[0].latencyMs >= 45);
    }

    void faultScoping()
    {
        SimulatorOptions o = instant();
        o.fault = SimFault::Http429;
        o.faultAttempts = 1;
        ProviderHub hub(simHub(o));
        ChatResult res = test::callAndWait(hub, draftRequest(QStringLiteral("x")));
        QVERIFY(res.ok);
        QCOMPARE(res.attempts.size(), 2u);
        QCOMPARE(res.attempts[0].httpStatus.value_or(0), 429);
        QCOMPARE(res.attempts[1].status, QStringLiteral("ok"));

        o.faultAttempts = 0;
        o.faultStage = QStringLiteral("judge");
        hub.simulator().setOptions(o);
        QVERIFY(test::callAndWait(hub, draftRequest(QStringLiteral("x"))).ok);
        o.faultStage.clear();
        o.faultLabels = QStringList { QStringLiteral("google/gemini-1.5-pro") };
        hub.simulator().setOptions(o);
        QVERIFY(test::callAndWait(hub, draftRequest(QStringLiteral("x"))).ok);
        QVERIFY(
            !test::callAndWait(hub, draftRequest(QStringLiteral("x"), 7, QStringLiteral("google/gemini-1.5-pro"))).ok);
    }

    void failRate()
    {
        SimulatorOptions o = instant();
        o.failRate = 1.0;
        QCOMPARE(SimulatedProvider::simulate(draftRequest("x"), 1, o).outcome.httpStatus.value_or(0), 500);
        o.failRate = 0.3;
        int failures = 0;
        for (int seed = 0; seed < 200; ++seed)
            failures += SimulatedProvider::simulate(draftRequest("x", seed), 1, o).outcome.ok() ? 0 : 1;
        QVERIFY2(failures > 30 && failures < 90, qPrintable(QString::number(failures)));
    }

    void environmentOptions()
    {
        qputenv("DJP_SIM_LATENCY_MS", "0");
        qputenv("DJP_SIM_FAIL_RATE", "0.25");
        qputenv("DJP_SIM_FAULT", "Timeout");
        qputenv("DJP_SIM_OUTPUT", "max");
        qputenv("DJP_SIM_FAULT_LABELS", "openai/gpt-4o, openai/gpt-4o-mini");
        SimulatorOptions o = SimulatorOptions::fromEnvironment();
        QCOMPARE(o.latencyMs, 0);
        QCOMPARE(o.failRate, 0.25);
        QCOMPARE(o.fault, SimFault::Timeout);
        QVERIFY(o.outputMax);
        QCOMPARE(o.faultLabels, (QStringList { "openai/gpt-4o", "openai/gpt-4o-mini" }));
        qputenv("DJP_SIM_LATENCY_MS", "-5");
        qputenv("DJP_SIM_FAULT", "bogus");
        o = SimulatorOptions::fromEnvironment();
        QCOMPARE(o.latencyMs, 300);
        QCOMPARE(o.fault, SimFault::None);
        for (const char* v :
            { "DJP_SIM_LATENCY_MS", "DJP_SIM_FAIL_RATE", "DJP_SIM_FAULT", "DJP_SIM_OUTPUT", "DJP_SIM_FAULT_LABELS" })
            qunsetenv(v);
    }

    void latencyIsHonouredWithTimers()
    {
        SimulatorOptions o;
        o.latencyMs = 200;
        ProviderHub hub(simHub(o));
        QElapsedTimer t;
        t.start();
        const ChatResult res = test::callAndWait(hub, draftRequest(QStringLiteral("latency")));
        QVERIFY(res.ok);
        QVERIFY2(t.elapsed() >= 155, qPrintable(QString::number(t.elapsed())));
        QVERIFY(res.attempts[0].latencyMs >= 155); // never early; a loaded machine may be late
        // Default latency varies a little but deterministically.
        const int l1 = SimulatedProvider::simulate(draftRequest("a"), 1, SimulatorOptions {}).latencyMs;
        QVERIFY(l1 >= 240 && l1 <= 360);
        QCOMPARE(SimulatedProvider::simulate(draftRequest("a"), 1, SimulatorOptions {}).latencyMs, l1);
    }

    void zeroLatencyIsStillAsynchronous()
    {
        ProviderHub hub(simHub(instant()));
        bool done = false;
        hub.call(draftRequest(QStringLiteral("zero")), {}, [&](const ChatResult&) { done = true; });
        QVERIFY(!done); // never inside call()
        QTRY_VERIFY_WITH_TIMEOUT(done, 1000);
        // Many concurrent zero-latency calls complete quickly.
        int finished = 0;
        for (int i = 0; i < 50; ++i)
            hub.call(
                draftRequest(QStringLiteral("zero"), i), {}, [&](const ChatResult& r) { finished += r.ok ? 1 : 0; });
        // How fast is a benchmark figure (djp bench --only engine), not an assertion here.
        QTRY_COMPARE_WITH_TIMEOUT(finished, 50, 30000);
    }

    void offlineAndKeylessVendorsUseTheSimulator()
    {
        test::FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        HubOptions o = simHub(instant());
        ProviderHub hub(o);
        const ChatResult res = test::callAndWait(hub, draftRequest(QStringLiteral("offline")));
        QVERIFY(res.ok);
        QVERIFY(res.attempts[0].simulated);
        QCOMPARE(hub.route("openai/gpt-4o").simulatedBecause, QStringLiteral("offline"));
        hub.setOffline(false);
        qunsetenv("ANTHROPIC_API_KEY");
        QCOMPARE(hub.route("anthropic/claude-3-haiku-20240307").simulatedBecause, QStringLiteral("no_key"));
        const ChatResult keyless
            = test::callAndWait(hub, draftRequest(QStringLiteral("k"), 1, "anthropic/claude-3-haiku-20240307"));
        QVERIFY(keyless.ok);
        QCOMPARE(keyless.attempts[0].api, QStringLiteral("simulated"));
        QCOMPARE(server.requestCount(), 0);
        // With its key the vendor goes to the (fake) real endpoint.
        const ChatResult real = test::callAndWait(hub, draftRequest(QStringLiteral("real")));
        QVERIFY(real.ok);
        QCOMPARE(real.attempts[0].api, QStringLiteral("openai_chat"));
        QVERIFY(!real.attempts[0].simulated);
        QCOMPARE(server.requestCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
