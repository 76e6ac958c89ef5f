// Cost truth end to end: request shapes of today's models, usage buckets of every vendor, honest caps
// and exact money, through the engine's public API against the strict fake provider server on
// 127.0.0.1; artifacts read back from disk (docs/pricing-and-budgets.md, docs/providers.md).
#include "fakeproviderserver.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"
#include "isolatedenv.h"
#include "pipeline/presets.h"
#include "pipeline/prompts.h"
#include "pipeline/runengine.h"
#include "providers/modelcapabilities.h"
#include "providers/wireformat.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;
using nlohmann::json;

namespace {

// Rates chosen so every figure below can be checked by hand (USD per 1M tokens).
const char* const kPricing = R"({
  "updated": "2026-11-01",
  "source": "test fixture",
  "models": {
    "openai/gpt-5.1": { "input": 1.25, "output": 10, "cache_read": 0.125 },
    "openai/o4-mini": { "input": 1.1, "output": 4.4, "cache_read": 0.275 },
    "openai/gpt-4o-mini": { "input": 0.15, "output": 0.6, "cache_read": 0.075 },
    "openai/dime": { "input": 0, "output": 1000 },
    "openai/dime-b": { "input": 0, "output": 1000 },
    "anthropic/claude-sonnet-4-5": { "input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75 },
    "google/gemini-2.5-pro": { "input": 1.25, "output": 10, "cache_read": 0.125 }
  }
})";

PricingTable testPricing()
{
    QString error;
    auto t = PricingTable::fromJson(QByteArray(kPricing), &error);
    if (!t)
        qFatal("test pricing: %s", qPrintable(error));
    return *t;
}

EngineOptions engineOptions(const QString& runsDir)
{
    EngineOptions o;
    o.runsDir = runsDir;
    o.hub.loadDotEnv = false;
    o.hub.retry.baseDelayMs = 10;
    o.hub.retry.maxDelayMs = 20;
    o.hub.simulator = SimulatorOptions {};
    o.pricing = testPricing();
    return o;
}

Json readArtifact(const QString& path)
{
    const ArtifactDocument doc = loadArtifactDocument(path);
    if (doc.problem)
        qWarning() << doc.problem->code << doc.problem->detail;
    return doc.json;
}

RunRequest oneDebater(const QString& debater, const QString& judge, int maxTokens = 400)
{
    RunRequest r;
    r.task = QStringLiteral("Name two risks of a cloud region migration.");
    r.models = QStringList { debater };
    r.judgeModel = judge;
    r.maxTokens = maxTokens;
    r.policy = QStringLiteral("none");
    r.marginThreshold = 0.0;
    r.seed = 7;
    return r;
}

std::vector<Json> callsOf(const Json& doc, const char* stage)
{
    std::vector<Json> out;
    for (const Json& c : doc["calls"])
        if (c["stage"] == stage)
            out.push_back(c);
    return out;
}

// nano-dollars of tokens x rate (USD per 1M), rounded up: the hand calculation.
qint64 nano(qint64 tokens, double ratePerM)
{
    return static_cast<qint64>(std::ceil(static_cast<double>(tokens) * ratePerM * 1000.0 - 1e-6));
}

double usd(qint64 n)
{
    return static_cast<double>(n) / 1e9;
}

} // namespace

class TestRunCostTruth : public QObject
{
    Q_OBJECT

private:
    test::IsolatedEnvironment m_env;
    FakeProviderServer m_server;

private Q_SLOTS:
    void initTestCase()
    {
        m_env.apply();
        QVERIFY(m_server.listen());
        m_server.exportToEnvironment();
    }

    void init()
    {
        m_server.clearScript();
        m_server.clearRequests();
    }

    // ---- request shapes ------------------------------------------------------------------------

    void capabilityTableShapesRequests()
    {
        const ModelCapabilityTable& caps = ModelCapabilityTable::shared();
        QVERIFY(caps.ruleCount() > 5);
        for (const char* label : { "openai/gpt-5", "openai/gpt-5.1", "openai/gpt-5-mini", "openai/o1", "openai/o3",
                 "openai/o3-mini", "openai/o4-mini" }) {
            const ModelCapabilities c = caps.find(QString::fromLatin1(label));
            QVERIFY2(c.maxCompletionTokens && c.omitTemperature, label);
        }
        for (const char* label : { "openai/gpt-4o", "openai/gpt-4.1", "ollama/llama3.1", "anthropic/claude-3-haiku" }) {
            const ModelCapabilities c = caps.find(QString::fromLatin1(label));
            QVERIFY2(!c.maxCompletionTokens && !c.omitTemperature, label);
        }
        QVERIFY(caps.find(QStringLiteral("openai/o1-mini")).mergeSystemIntoUser);
        QCOMPARE(caps.find(QStringLiteral("anthropic/claude-sonnet-4-5")).thinking, ThinkingStyle::Anthropic);
        QCOMPARE(caps.find(QStringLiteral("google/gemini-2.5-flash")).thinking, ThinkingStyle::Gemini);
        // Thinking budgets live inside the output limit; Anthropic's minimum applies.
        QCOMPARE(outputTokenLimit(QStringLiteral("anthropic/claude-sonnet-4-5"), 800, 500), 800 + 1024);
        QCOMPARE(outputTokenLimit(QStringLiteral("google/gemini-2.5-pro"), 800, 2000), 2800);
        QCOMPARE(outputTokenLimit(QStringLiteral("openai/gpt-4o"), 800, 2000), 800);

        // A malformed user override is refused with a reason, not half-read.
        QString error;
        QVERIFY(
            !ModelCapabilityTable::fromJson(R"({"models":[{"match":"acme-*","temperature":"sometimes"}]})", &error));
        QVERIFY(error.contains(QLatin1String("temperature")));
    }

    void strictServerRefusesWhatTheRealApiRefuses()
    {
        // The plain shape (no capabilities) to a reasoning model is what today's OpenAI API refuses.
        ChatRequest r;
        r.label = QStringLiteral("openai/gpt-5.1");
        r.user = QStringLiteral("hi");
        r.maxTokens = 100;
        const HttpCall call = buildHttpCall(ApiKind::OpenAiChat, m_server.openAiBaseUrl(), QStringLiteral("gpt-5.1"),
            FakeProviderServer::fakeKey(QStringLiteral("openai")), r, ModelCapabilities {});
        QNetworkAccessManager nam;
        QNetworkRequest req(call.url);
        for (const auto& [name, value] : call.headers)
            req.setRawHeader(name, value);
        QNetworkReply* reply = nam.post(req, call.body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QVERIFY(reply->readAll().contains("Use 'max_completion_tokens' instead."));
        reply->deleteLater();
        QCOMPARE(m_server.rejectedRequests(), 1);
    }

    void reasoningModelRunsCarryMaxCompletionTokens()
    {
        const int rejectedBefore = m_server.rejectedRequests();
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-5.1"), QStringLiteral("openai/o4-mini"), 500);
        r.models = QStringList { QStringLiteral("openai/gpt-5.1"), QStringLiteral("openai/o3-mini"),
            QStringLiteral("openai/gpt-4o-mini") };
        r.reasoningEffort = QStringLiteral("low");
        r.temperature = 0.3;
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(QLatin1Char('\n'))));
        QCOMPARE(m_server.rejectedRequests(), rejectedBefore);
        QCOMPARE(m_server.requestCount(), 4);
        for (const auto& req : m_server.requests()) {
            const json j = req.json();
            if (req.model() == u"gpt-4o-mini") {
                // Other OpenAI-compatible models keep the classic shape.
                QCOMPARE(j["max_tokens"].get<int>(), 500);
                QCOMPARE(j["temperature"].get<double>(), 0.3);
                QVERIFY(!j.contains("reasoning_effort"));
                continue;
            }
            QVERIFY2(!j.contains("max_tokens"), qPrintable(req.model()));
            QVERIFY2(!j.contains("temperature"), qPrintable(req.model()));
            QVERIFY(j.contains("max_completion_tokens"));
            QCOMPARE(j["reasoning_effort"].get<std::string>(), std::string("low"));
        }
        const Json doc = readArtifact(out.artifactPath);
        for (const Json& c : doc["calls"])
            QVERIFY2(c["status"] == "ok", c.dump().c_str());
        QCOMPARE(doc["run_metadata"]["parameters"]["reasoning_effort"].get<std::string>(), std::string("low"));
        QCOMPARE(doc["judge"]["method"].get<std::string>(), std::string("llm"));
    }

    void thinkingBudgetsAreSentAndReserved()
    {
        const int rejectedBefore = m_server.rejectedRequests();
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        RunRequest r
            = oneDebater(QStringLiteral("anthropic/claude-sonnet-4-5"), QStringLiteral("openai/gpt-4o-mini"), 600);
        r.models
            = QStringList { QStringLiteral("anthropic/claude-sonnet-4-5"), QStringLiteral("google/gemini-2.5-pro") };
        r.thinkingBudget = 2000;
        m_server.enqueueFor(QStringLiteral("claude-sonnet-4-5"),
            FakeReply::successFillingMaxTokens(FakeReply::draftJson(QStringLiteral("A")), 100));
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(QLatin1Char('\n'))));
        QCOMPARE(m_server.rejectedRequests(), rejectedBefore);
        bool sawAnthropic = false, sawGemini = false;
        for (const auto& req : m_server.requests()) {
            const json j = req.json();
            if (req.apiKind() == u"anthropic_messages") {
                sawAnthropic = true;
                QCOMPARE(j["thinking"]["type"].get<std::string>(), std::string("enabled"));
                QCOMPARE(j["thinking"]["budget_tokens"].get<int>(), 2000);
                QCOMPARE(j["max_tokens"].get<int>(), 2600);
                QVERIFY(!j.contains("temperature"));
            } else if (req.apiKind() == u"gemini") {
                sawGemini = true;
                QCOMPARE(j["generationConfig"]["thinkingConfig"]["thinkingBudget"].get<int>(), 2000);
                QCOMPARE(j["generationConfig"]["maxOutputTokens"].get<int>(), 2600);
            }
        }
        QVERIFY(sawAnthropic && sawGemini);
        // The projection's worst case counts the thinking budget as output.
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QCOMPARE(out.plan->projection.debate.worstOutputTokens, qint64(2 * 2600));
        // The Anthropic debater reported a full limit: 2600 output tokens billed, no overrun.
        bool found = false;
        for (const Json& c : debates)
            if (c["label"] == "anthropic/claude-sonnet-4-5") {
                found = true;
                QCOMPARE(c["output_tokens"].get<qint64>(), qint64(2600));
            }
        QVERIFY(found);
        QCOMPARE(doc["budget"]["cap_exceeded"].get<bool>(), false);
    }

    void emptyReplyAtTheLimitIsABilledError()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-5.1"), QStringLiteral("openai/gpt-4o-mini"), 300);
        m_server.enqueueFor(QStringLiteral("gpt-5.1"), FakeReply::emptyAtOutputLimit(1000, 300, 300));
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QCOMPARE(debates.size(), size_t(1)); // billed and deterministic: never retried
        const Json& c = debates[0];
        QCOMPARE(c["status"].get<std::string>(), std::string("error"));
        QVERIFY(QString::fromStdString(c["error"].get<std::string>())
                    .contains(QLatin1String("whole output budget reasoning")));
        QCOMPARE(c["usage_source"].get<std::string>(), std::string("reported"));
        QCOMPARE(c["output_tokens"].get<qint64>(), qint64(300));
        QCOMPARE(c["reasoning_tokens"].get<qint64>(), qint64(300));
        // 1000 x 1.25 + 300 x 10 per 1M = 0.00125 + 0.003
        QCOMPARE(c["cost_usd"].get<double>(), 0.00425);
        const QString reason = QString::fromStdString(doc["debate"]["invalid_drafts"][0]["reason"].get<std::string>());
        QVERIFY2(reason.contains(QLatin1String("whole output budget reasoning")), qPrintable(reason));
        QCOMPARE(doc["budget"]["measured_cost_usd"].get<double>(), usd(nano(1000, 1.25) + nano(300, 10)));
    }

    // ---- usage buckets -------------------------------------------------------------------------

    void usageBuckets_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QByteArray>("usage");
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("reasoning");
        QTest::addColumn<double>("reportedCost");
        QTest::addColumn<double>("cost");
        // OpenAI: prompt_tokens counts cached tokens too; completion_tokens counts reasoning too.
        QTest::newRow("openai") << QStringLiteral("openai/gpt-5.1")
                                << QByteArray(R"({"prompt_tokens": 5000, "completion_tokens": 900, "total_tokens": 5900,
                                   "prompt_tokens_details": {"cached_tokens": 4000},
                                   "completion_tokens_details": {"reasoning_tokens": 600}, "cost": 0.0116})")
                                << qint64(5000) << qint64(4000) << qint64(0) << qint64(900) << qint64(600)
                                << 0.0116
                                // (5000 - 4000) x 1.25 + 4000 x 0.125 + 900 x 10 = 1250 + 500 + 9000 (per 1M)
                                << 0.01075;
        // Anthropic: input_tokens is the UNCACHED part only.
        QTest::newRow("anthropic") << QStringLiteral("anthropic/claude-sonnet-4-5")
                                   << QByteArray(R"({"input_tokens": 200, "cache_read_input_tokens": 3000,
                                      "cache_creation_input_tokens": 1000, "output_tokens": 700})")
                                   << qint64(4200) << qint64(3000) << qint64(1000) << qint64(700) << qint64(0)
                                   << -1.0
                                   // 200 x 3 + 3000 x 0.3 + 1000 x 3.75 + 700 x 15 = 600 + 900 + 3750 + 10500
                                   << 0.01575;
        // Gemini: thoughts are billed output beside the candidates.
        QTest::newRow("gemini") << QStringLiteral("google/gemini-2.5-pro")
                                << QByteArray(R"({"promptTokenCount": 6000, "cachedContentTokenCount": 5000,
                                   "candidatesTokenCount": 300, "thoughtsTokenCount": 1200, "totalTokenCount": 7500})")
                                << qint64(6000) << qint64(5000) << qint64(0) << qint64(1500) << qint64(1200)
                                << -1.0
                                // (6000 - 5000) x 1.25 + 5000 x 0.125 + 1500 x 10 = 1250 + 625 + 15000
                                << 0.016875;
    }

    void usageBuckets()
    {
        QFETCH(QString, label);
        QFETCH(QByteArray, usage);
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        const QString apiModel = label.section(QLatin1Char('/'), 1);
        m_server.enqueueFor(apiModel,
            FakeReply::success(FakeReply::draftJson(QStringLiteral("Latency and data residency.")))
                .withVendorUsage(json::parse(usage.constData())));
        const RunOutcome out = runToCompletion(engine, oneDebater(label, QStringLiteral("openai/gpt-4o-mini")));
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(QLatin1Char('\n'))));
        const Json doc = readArtifact(out.artifactPath);
        QCOMPARE(doc["schema_version"].get<std::string>(), std::string("2.1"));
        const auto errors = validateArtifact(doc);
        for (const auto& e : errors)
            qWarning() << e.pointer << e.message;
        QVERIFY(errors.empty());
        const auto debates = callsOf(doc, "debate");
        QCOMPARE(debates.size(), size_t(1));
        const Json& c = debates[0];
        QCOMPARE(c["status"].get<std::string>(), std::string("ok"));
        QCOMPARE(c["usage_source"].get<std::string>(), std::string("reported"));
        QTEST(c["input_tokens"].get<qint64>(), "input");
        QTEST(c["cache_read_tokens"].get<qint64>(), "cacheRead");
        QTEST(c["cache_write_tokens"].get<qint64>(), "cacheWrite");
        QTEST(c["output_tokens"].get<qint64>(), "output");
        QTEST(c["reasoning_tokens"].get<qint64>(), "reasoning");
        QCOMPARE(c["held_usd"].get<double>(), 0.0);
        QFETCH(double, reportedCost);
        if (reportedCost < 0)
            QVERIFY(c["reported_cost_usd"].is_null());
        else
            QCOMPARE(c["reported_cost_usd"].get<double>(), reportedCost);
        // provenance.model_usage adds all input (cached included) and all output.
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        QCOMPARE(doc["provenance"]["model_usage"][label.toStdString()]["tokens_in"].get<qint64>(), input);
        QCOMPARE(doc["provenance"]["model_usage"][label.toStdString()]["tokens_out"].get<qint64>(), output);
        QCOMPARE(doc["budget"]["cost_complete"].get<bool>(), true);
        QTEST(c["cost_usd"].get<double>(), "cost");
    }

    // ---- honest caps ---------------------------------------------------------------------------

    void missingUsageSettlesAtTheReservation()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        QString cjk;
        for (int i = 0; i < 4000; ++i)
            cjk += QChar(0x4E00 + (i % 2000));
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::successWithoutUsage(FakeReply::draftJson(cjk)));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-5.1"), 400);
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QCOMPARE(debates.size(), size_t(1));
        const Json& c = debates[0];
        QCOMPARE(c["status"].get<std::string>(), std::string("ok"));
        QCOMPARE(c["usage_source"].get<std::string>(), std::string("estimated"));
        // Settled at the reservation: input = UTF-8 bytes of the prompt + 64, output = max_tokens.
        const auto& plan = *out.plan;
        const qint64 bound = plan.debatePrompt.system.toUtf8().size() + plan.debatePrompt.user.toUtf8().size() + 64;
        QCOMPARE(c["input_tokens"].get<qint64>(), bound);
        QCOMPARE(c["output_tokens"].get<qint64>(), qint64(400));
        QCOMPARE(c["cost_usd"].get<double>(), usd(nano(bound, 0.15) + nano(400, 0.6)));
        QCOMPARE(doc["budget"]["cost_complete"].get<bool>(), false);
        QVERIFY(!out.costComplete);
        // The worst case shown before the run is what was held for this call.
        QCOMPARE(plan.projection.calls[0].worstUsd, c["cost_usd"].get<double>());
    }

    void reportingTenTimesTheLimitIsAnOverrun()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"),
            FakeReply::success(FakeReply::draftJson(QStringLiteral("A"))).reportingOutputTimesLimit(10));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-4o-mini"), 1000);
        r.maxCostUsd = 0.001; // the reservation (~0.0008) fits; 10 x 1000 output tokens (0.006) does not
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QCOMPARE(debates.size(), size_t(1));
        QCOMPARE(debates[0]["output_tokens"].get<qint64>(), qint64(10000));
        const qint64 spent = nano(11, 0.15) + nano(10000, 0.6);
        QCOMPARE(debates[0]["cost_usd"].get<double>(), usd(spent)); // settled at what was reported
        const Json& b = doc["budget"];
        QCOMPARE(b["cap_exceeded"].get<bool>(), true);
        QCOMPARE(b["overrun_usd"].get<double>(), usd(spent - 1'000'000));
        QCOMPARE(b["measured_cost_usd"].get<double>(), usd(spent));
        QCOMPARE(b["stopped_early"].get<bool>(), true);
        QVERIFY(QString::fromStdString(b["stop_reason"].get<std::string>()).contains(QLatin1String("cap exceeded")));
        // No new attempt started after the overrun: the judge was never called.
        QCOMPARE(m_server.requestCount(), 1);
        for (const Json& j : callsOf(doc, "judge"))
            QCOMPARE(j["status"].get<std::string>(), std::string("skipped_budget"));
        QVERIFY(out.capExceeded);
    }

    void threeParallelDebatersUnderASmallCap()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.setDefaultReply(
            FakeReply::success(FakeReply::draftJson(QStringLiteral("B"))).reportingOutputTimesLimit(10));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-4o-mini"), 1000);
        r.models = QStringList { QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/o4-mini"),
            QStringLiteral("openai/gpt-5.1") };
        r.maxCostUsd = 0.05;
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        qint64 sum = 0;
        for (const Json& c : doc["calls"])
            if (!c["cost_usd"].is_null())
                sum += std::llround(c["cost_usd"].get<double>() * 1e9);
        const Json& b = doc["budget"];
        // All three were admitted in parallel under their reservations; the truth is recorded.
        QCOMPARE(std::llround(b["measured_cost_usd"].get<double>() * 1e9), sum);
        QVERIFY(sum > 50'000'000);
        QCOMPARE(b["cap_exceeded"].get<bool>(), true);
        QCOMPARE(std::llround(b["overrun_usd"].get<double>() * 1e9), sum - 50'000'000);
        QCOMPARE(m_server.requestCount(), 3); // nothing after the overrun
    }

    void hugeReplyIsHeldAndKeptOutOfTheArtifact()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::huge(20 * 1024 * 1024, false));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-4o-mini"), 400);
        r.maxCostUsd = 0.05;
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QVERIFY(!debates.empty());
        const Json& c = debates[0];
        QVERIFY2(QString::fromStdString(c["error"].get<std::string>()).contains(QLatin1String("reply too large")),
            c.dump().c_str());
        // Possibly billed: its reservation is held against the cap, and the cost is incomplete.
        const auto& plan = *out.plan;
        const qint64 bound = plan.debatePrompt.system.toUtf8().size() + plan.debatePrompt.user.toUtf8().size() + 64;
        QCOMPARE(c["held_usd"].get<double>(), usd(nano(bound, 0.15) + nano(400, 0.6)));
        QVERIFY(doc["budget"]["held_usd"].get<double>() >= c["held_usd"].get<double>());
        QCOMPARE(doc["budget"]["cost_complete"].get<bool>(), false);
        QVERIFY(QFileInfo(out.artifactPath).size() < 200 * 1024);
    }

    // A large (but not refused) draft reaches the judge cut to its byte budget, never whole, so the
    // judge's input stays within the bound it was projected and reserved with.
    void judgePromptBoundsEachDraft()
    {
        const QString big = QString(200'000, QChar(0x6F22)); // 600 KB of CJK in UTF-8
        Draft d;
        d.label = QStringLiteral("openai/gpt-4o-mini");
        d.answer = big;
        const qsizetype limit = judgeDraftByteLimit(400);
        const Prompt cut = buildJudgePrompt(QStringLiteral("t"), { d }, { 0 }, 0, limit);
        const Prompt whole = buildJudgePrompt(QStringLiteral("t"), { d }, { 0 }, 0);
        QVERIFY(whole.user.toUtf8().size() > 600'000);
        QVERIFY(cut.user.toUtf8().size() < 2 * limit + 2000);
        QVERIFY(cut.user.contains(QLatin1String("[draft cut")));
        QVERIFY(!cut.user.contains(QChar(QChar::ReplacementCharacter))); // no character split

        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.enqueueFor(QStringLiteral("gpt-5.1"), FakeReply::success(FakeReply::draftJson(big.left(100'000))));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-5.1"), QStringLiteral("openai/gpt-4o-mini"), 400);
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY(!out.artifactPath.isEmpty());
        const auto requests = m_server.requests();
        QCOMPARE(requests.size(), 2);
        const QByteArray judgeUser = requests[1].userText().toUtf8();
        QVERIFY2(judgeUser.size() < 2 * limit + 3000, QByteArray::number(judgeUser.size()).constData());
        QVERIFY(judgeUser.contains("[draft cut"));
        const auto& judgePlan = out.plan->projection.calls[1];
        QCOMPARE(judgePlan.call.stage, CallStage::Judge);
        QVERIFY(judgeUser.size() + requests[1].systemText().toUtf8().size() + 64 <= judgePlan.tokens.worstInput);
    }

    // A malformed 2xx was probably billed: held. An HTTP error status is not billed: released.
    void malformedIsHeldHttpErrorIsReleased()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::malformedJson());
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::httpError(500));
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-4o-mini"), 400);
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QVERIFY(debates.size() >= 3);
        const auto& plan = *out.plan;
        const qint64 bound = plan.debatePrompt.system.toUtf8().size() + plan.debatePrompt.user.toUtf8().size() + 64;
        const qint64 reservation = nano(bound, 0.15) + nano(400, 0.6);
        QCOMPARE(debates[0]["held_usd"].get<double>(), usd(reservation)); // malformed 2xx
        QCOMPARE(debates[1]["http_status"].get<int>(), 500);
        QCOMPARE(debates[1]["held_usd"].get<double>(), 0.0); // 5xx: released
        QCOMPARE(debates[2]["status"].get<std::string>(), std::string("ok"));
        QCOMPARE(doc["budget"]["held_usd"].get<double>(), usd(reservation));
        QCOMPARE(doc["budget"]["cost_complete"].get<bool>(), false);
        QVERIFY(out.heldUsd > 0.0);
    }

    void timeoutAfterSendingIsHeld()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        m_server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::hang());
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("openai/gpt-4o-mini"), 400);
        r.timeoutS = 2; // the debate (and each call) gives up after 2 s
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        const auto debates = callsOf(doc, "debate");
        QVERIFY(!debates.empty());
        QCOMPARE(debates[0]["status"].get<std::string>(), std::string("error"));
        QVERIFY(debates[0]["held_usd"].get<double>() > 0.0);
        QCOMPARE(doc["budget"]["cost_complete"].get<bool>(), false);
    }

    void capEqualToTheDisplayedWorstCaseRunsTheJudge()
    {
        QTemporaryDir runs;
        const PricingTable pricing = testPricing();
        RunRequest r = oneDebater(QStringLiteral("openai/gpt-5.1"), QStringLiteral("openai/gpt-5.1"), 300);
        r.models = QStringList { QStringLiteral("openai/gpt-5.1"), QStringLiteral("anthropic/claude-sonnet-4-5") };
        PlanOptions po;
        po.seed = 7;
        const PlanResult planned = planRun(r, pricing, po);
        QVERIFY(planned.plan);
        r.maxCostUsd = planned.plan->projection.total.worstUsd; // the figure the user saw
        RunEngine engine(engineOptions(runs.path()));
        // Every reply uses its whole limit: the worst case happens.
        m_server.setResponder([](const test::RecordedRequest& req) -> std::optional<FakeReply> {
            const bool judge = req.userText().contains(QLatin1String("[Draft 1]"));
            FakeReply reply
                = judge ? FakeReply::judge() : FakeReply::success(FakeReply::draftJson(QStringLiteral("C")));
            reply.inputTokens = 50;
            reply.outputFromMaxTokens = true;
            return reply;
        });
        const RunOutcome out = runToCompletion(engine, r);
        const Json doc = readArtifact(out.artifactPath);
        for (const Json& c : doc["calls"])
            QVERIFY2(c["status"] == "ok", c.dump().c_str());
        QCOMPARE(callsOf(doc, "judge").size(), size_t(1));
        QCOMPARE(doc["judge"]["method"].get<std::string>(), std::string("llm"));
        QCOMPARE(doc["budget"]["cap_exceeded"].get<bool>(), false);
    }

    // ---- exact money ---------------------------------------------------------------------------

    void moneyIsExact()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path()));
        // openai/dime: 100 output tokens at $1000 per 1M = $0.1 per call, three calls = $0.3 exactly.
        m_server.setResponder([](const test::RecordedRequest& req) -> std::optional<FakeReply> {
            const bool judge = req.userText().contains(QLatin1String("[Draft 1]"));
            FakeReply reply
                = judge ? FakeReply::judge() : FakeReply::success(FakeReply::draftJson(QStringLiteral("D")));
            reply.inputTokens = 0;
            reply.outputTokens = 100;
            return reply;
        });
        RunRequest r = oneDebater(QStringLiteral("openai/dime"), QStringLiteral("openai/dime"), 100);
        r.models = QStringList { QStringLiteral("openai/dime"), QStringLiteral("openai/dime-b") };
        const RunOutcome out = runToCompletion(engine, r);
        QFile f(out.artifactPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("0000000000"));
        QVERIFY(!text.contains("9999999999"));
        const Json doc = json::parse(text.constData());
        QCOMPARE(doc["budget"]["measured_cost_usd"].get<double>(), 0.3);
        QVERIFY(text.contains("\"measured_cost_usd\": 0.3"));
        QCOMPARE(doc["provenance"]["estimated_costs"]["openai/dime"].get<double>(), 0.2); // debater + judge
        QCOMPARE(doc["provenance"]["estimated_costs"]["openai/dime-b"].get<double>(), 0.1);
        QCOMPARE(doc["budget"]["cap_exceeded"].get<bool>(), false);
    }

    // ---- legacy types --------------------------------------------------------------------------

    void everyPresetWritesLegacyTypes()
    {
        const QStringList presets = presetNames();
        QVERIFY(presets.size() >= 4);
        for (const QString& preset : presets) {
            QTemporaryDir runs;
            EngineOptions o = engineOptions(runs.path());
            o.hub.offline = true;
            RunEngine engine(o);
            RunRequest r;
            r.task = QStringLiteral("Summarize the risks of a payments migration.");
            r.preset = preset;
            r.offline = true;
            const RunOutcome out = runToCompletion(engine, r);
            QVERIFY2(!out.artifactPath.isEmpty(), qPrintable(preset));
            const Json doc = readArtifact(out.artifactPath);
            const QStringList problems = legacyTypeProblems(doc);
            QVERIFY2(problems.isEmpty(), qPrintable(preset + QLatin1String(": ") + problems.join(QLatin1String("; "))));
            QVERIFY(validateArtifact(doc).empty());
        }
    }

private:
    // The types a reader written for the legacy 1.1 layout relies on (docs/artifact-format.md,
    // "Legacy 1.1 fields"), checked strictly: an int must be an integer, never null.
    static QStringList legacyTypeProblems(const Json& doc)
    {
        QStringList problems;
        enum class T
        {
            Str,
            StrOrNull,
            Int,
            IntOrNull,
            Num,
            Bool,
            StrList,
            Obj,
            Arr
        };
        const auto ok = [](const Json& v, T t) {
            switch (t) {
            case T::Str:
                return v.is_string();
            case T::StrOrNull:
                return v.is_string() || v.is_null();
            case T::Int:
                return v.is_number_integer();
            case T::IntOrNull:
                return v.is_number_integer() || v.is_null();
            case T::Num:
                return v.is_number();
            case T::Bool:
                return v.is_boolean();
            case T::StrList:
                return v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& s) { return s.is_string(); });
            case T::Obj:
                return v.is_object();
            case T::Arr:
                return v.is_array();
            }
            return false;
        };
        const auto check = [&](const Json& holder, const std::string& path, const char* key, T t, bool required) {
            if (!holder.is_object() || !holder.contains(key)) {
                if (required)
                    problems << QString::fromStdString(path + key + " missing");
                return;
            }
            if (!ok(holder[key], t))
                problems << QString::fromStdString(path + key + " has type " + holder[key].type_name());
        };
        check(doc, "", "schema_version", T::Str, true);
        const Json& meta = doc["run_metadata"];
        for (const char* k : { "timestamp", "task", "trace_name" })
            check(meta, "run_metadata.", k, T::Str, true);
        const Json& p = meta["parameters"];
        check(p, "parameters.", "max_tokens", T::Int, true);
        check(p, "parameters.", "temperature", T::Num, true);
        check(p, "parameters.", "allowed_models", T::StrList, true);
        check(p, "parameters.", "require_citations", T::Int, false);
        check(p, "parameters.", "policy", T::Str, false);
        check(p, "parameters.", "fastpath", T::Bool, false);
        check(p, "parameters.", "max_debaters", T::Int, false);
        check(p, "parameters.", "timeout_s", T::Num, false);
        check(p, "parameters.", "margin_threshold", T::Num, false);
        check(p, "parameters.", "seed", T::IntOrNull, false);
        check(p, "parameters.", "preset_name", T::Str, false);
        check(p, "parameters.", "grounded_corpus", T::StrOrNull, false);
        check(p, "parameters.", "grounded_required", T::Int, false);
        check(p, "parameters.", "redact", T::Bool, false);
        check(p, "parameters.", "redaction_rules", T::StrOrNull, false);
        const auto checkDraft = [&](const Json& d, const std::string& path) {
            check(d, path, "provider", T::Str, true);
            check(d, path, "answer", T::Str, true);
            check(d, path, "evidence", T::StrList, true);
            check(d, path, "confidence", T::Num, true);
            check(d, path, "safety_flags", T::StrList, true);
        };
        for (const Json& d : doc["debate"]["drafts"])
            checkDraft(d, "debate.drafts[].");
        check(doc["debate"], "debate.", "total_drafts", T::Int, true);
        for (const Json& d : doc["judge"]["ranked_drafts"]) {
            checkDraft(d, "judge.ranked_drafts[].");
            check(d, "judge.ranked_drafts[].", "score", T::Num, true);
            check(d, "judge.ranked_drafts[].", "reasons", T::Str, true);
        }
        check(doc["judge"], "judge.", "winner_provider", T::StrOrNull, true);
        check(doc["judge"], "judge.", "total_ranked", T::Int, true);
        const Json& pub = doc["publish"];
        check(pub, "publish.", "status", T::Str, true);
        check(pub, "publish.", "provider", T::StrOrNull, true);
        check(pub, "publish.", "text", T::Str, true);
        check(pub, "publish.", "text_length", T::Int, true);
        check(pub, "publish.", "reason", T::Str, false);
        check(pub, "publish.", "redacted", T::Bool, true);
        check(pub, "publish.", "redaction_events", T::Arr, true);
        const Json& g = doc["grounding"];
        check(g, "grounding.", "enabled", T::Bool, true);
        check(g, "grounding.", "corpus_loaded", T::Bool, true);
        check(g, "grounding.", "corpus_docs", T::Int, true);
        check(g, "grounding.", "required_citations", T::Int, true);
        check(g, "grounding.", "citations", T::Arr, true);
        check(g, "grounding.", "grounded_fail_reason", T::StrOrNull, true);
        const Json& prov = doc["provenance"];
        for (const char* k : { "git_sha", "python_version", "sdk_version" })
            check(prov, "provenance.", k, T::Str, true);
        check(prov, "provenance.", "model_usage", T::Obj, true);
        for (const auto& [label, u] : prov["model_usage"].items())
            for (const char* k : { "calls", "tokens_in", "tokens_out" })
                check(u, "provenance.model_usage." + label + ".", k, T::Int, true);
        check(prov, "provenance.", "estimated_costs", T::Obj, true);
        for (const auto& [label, c] : prov["estimated_costs"].items())
            if (!c.is_number())
                problems << QString::fromStdString("provenance.estimated_costs." + label + " is not a number");
        check(prov, "provenance.", "duration_seconds", T::Num, false);
        return problems;
    }
};

QTEST_GUILESS_MAIN(TestRunCostTruth)
#include "tst_runcosttruth.moc"
