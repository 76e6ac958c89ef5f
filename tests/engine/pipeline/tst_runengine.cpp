// The run engine end to end on the engine's public API: real HTTP clients against the fake provider
// server on 127.0.0.1, or the simulated provider; artifacts read back with the real reader.
#include "fakeproviderserver.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"
#include "isolatedenv.h"
#include "pipeline/runengine.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;

namespace {

HubOptions fastHub(bool offline, int simLatencyMs = 0)
{
    HubOptions h;
    h.offline = offline;
    h.loadDotEnv = false;
    h.retry.baseDelayMs = 20;
    h.retry.maxDelayMs = 50;
    h.simulator = SimulatorOptions {};
    h.simulator.latencyMs = simLatencyMs;
    return h;
}

// Engine options for a test: artifacts into `runsDir`, fast retries, simulator latency as given.
EngineOptions engineOptions(const QString& runsDir, bool offline, int simLatencyMs = 0)
{
    EngineOptions o;
    o.runsDir = runsDir;
    o.hub = fastHub(offline, simLatencyMs);
    return o;
}

Json readArtifact(const QString& path)
{
    const ArtifactDocument doc = loadArtifactDocument(path);
    if (doc.problem)
        qWarning() << doc.problem->code << doc.problem->detail;
    return doc.json;
}

int countStatus(const Json& doc, const char* status)
{
    int n = 0;
    for (const Json& c : doc["calls"])
        n += c["status"] == status ? 1 : 0;
    return n;
}

} // namespace

class TestRunEngine : public QObject
{
    Q_OBJECT

private:
    test::IsolatedEnvironment m_env;

private Q_SLOTS:
    void initTestCase() { m_env.apply(); }

    void offlineRunWritesAValidArtifact()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), true));
        RunRequest r;
        r.task = QStringLiteral("150-word VTOL brief");
        r.preset = QStringLiteral("quick");
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(QLatin1Char('\n'))));
        QVERIFY(!out.blocked);
        QVERIFY(QFileInfo::exists(out.artifactPath));
        QVERIFY(out.simulated);
        QCOMPARE(QFileInfo(out.artifactPath).dir().absolutePath(), QDir(runs.path()).absolutePath());

        const Json doc = readArtifact(out.artifactPath);
        const auto errors = validateArtifact(doc);
        for (const auto& e : errors)
            qWarning() << e.pointer << e.message;
        QVERIFY(errors.empty());
        QVERIFY((doc["schema_version"]) == ("2.1"));
        QVERIFY((doc["simulated"]) == (true));
        QCOMPARE(doc["publish"]["status"].get<std::string>(), out.status.toStdString());
        // quick preset: fastpath keeps the two OpenAI debaters, then one judge call (or two).
        QVERIFY((doc["debate"]["drafts"].size()) == (2u));
        QVERIFY(doc["calls"].size() >= 3u);
        // provenance is filled from calls[] (the legacy tool left it empty)
        qint64 tokensIn = 0;
        double cost = 0;
        for (const Json& c : doc["calls"]) {
            tokensIn += c["input_tokens"].get<qint64>();
            cost += c["cost_usd"].is_null() ? 0.0 : c["cost_usd"].get<double>();
            QVERIFY((c["simulated"]) == (true));
            QVERIFY((c["api"]) == ("simulated"));
        }
        qint64 usageIn = 0;
        for (const auto& [label, u] : doc["provenance"]["model_usage"].items())
            usageIn += u["tokens_in"].get<qint64>();
        QCOMPARE(usageIn, tokensIn);
        QVERIFY(cost > 0);
        QCOMPARE(doc["budget"]["measured_cost_usd"].get<double>(), out.measuredCostUsd);

        // The store's reader sees the same run.
        ArtifactScanner scanner;
        const RecordParse parsed = scanner.readFile(out.artifactPath);
        QVERIFY(parsed.record);
        QCOMPARE(parsed.record->status, out.status);
        QVERIFY(parsed.record->simulated);
        QVERIFY(qAbs(parsed.record->estCost - cost) < 1e-12);
        QCOMPARE(parsed.record->presetName, QStringLiteral("quick"));
    }

    void blockedRunMakesNoCallAndWritesNothing()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), false));
        RunRequest r;
        r.task = QStringLiteral("150-word VTOL brief");
        r.preset = QStringLiteral("thorough");
        r.budgetUsd = 0.0001;
        QList<RunEvent::Kind> kinds;
        const RunOutcome out = runToCompletion(engine, r, [&](const RunEvent& e) { kinds << e.kind; });
        QVERIFY(out.blocked);
        QVERIFY(out.plan);
        QVERIFY(gateRecordMessages(out.plan->gate)
                    .join(QLatin1Char(' '))
                    .contains(QStringLiteral("exceeds budget $0.0001")));
        QVERIFY(out.artifactPath.isEmpty());
        QCOMPARE(server.requestCount(), 0);
        QVERIFY(QDir(runs.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
        QVERIFY(!kinds.contains(RunEvent::Kind::CallStarted));
    }

    // docs/pricing-and-budgets.md: measured spend never exceeds the cap, with a server that always answers with
    // output tokens = max_tokens (the worst case every reservation must cover).
    void capIsNeverExceeded()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        server.setResponder([](const djp::test::RecordedRequest& req) -> std::optional<FakeReply> {
            FakeReply reply = req.userText().contains(QStringLiteral("[Draft 1]"))
                ? FakeReply::judge()
                : FakeReply::success(FakeReply::draftJson(QStringLiteral("A grounded answer about budgets."), 3));
            reply.outputFromMaxTokens = true;
            return reply;
        });
        const QList<QStringList> rosters {
            { QStringLiteral("openai/gpt-4o") },
            { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") },
            { QStringLiteral("openai/gpt-4o"), QStringLiteral("anthropic/claude-3-5-sonnet-20240620"),
                QStringLiteral("google/gemini-1.5-pro"), QStringLiteral("openai/gpt-4o-mini") },
        };
        const QList<double> caps { 0.002, 0.01, 0.03, 0.06, 0.2 };
        int skipped = 0;
        int runsMade = 0;
        for (const QStringList& roster : rosters) {
            for (double cap : caps) {
                QTemporaryDir runs;
                RunEngine engine(engineOptions(runs.path(), false));
                RunRequest r;
                r.task = QStringLiteral("Compare two budgeting approaches");
                r.models = roster;
                r.maxTokens = 800;
                r.maxCostUsd = cap;
                r.marginThreshold = 10.0; // always ask for the second judge pass when it is affordable
                const RunOutcome out = runToCompletion(engine, r);
                QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(QLatin1Char('\n'))));
                const QString what = QStringLiteral("cap %1, roster %2: spent %3")
                                         .arg(cap)
                                         .arg(roster.join(QLatin1Char(',')))
                                         .arg(out.measuredCostUsd);
                QVERIFY2(out.measuredCostUsd <= cap, qPrintable(what));
                QVERIFY2(out.costComplete, qPrintable(what));
                if (out.artifactPath.isEmpty())
                    continue;
                ++runsMade;
                const Json doc = readArtifact(out.artifactPath);
                QVERIFY2(doc["budget"]["measured_cost_usd"].get<double>() <= cap, qPrintable(what));
                const int s = countStatus(doc, "skipped_budget");
                skipped += s;
                if (s > 0) {
                    QVERIFY((doc["budget"]["stopped_early"]) == (true));
                    QVERIFY(doc["budget"]["stop_reason"].is_string());
                }
            }
        }
        QVERIFY(runsMade > 0);
        QVERIFY2(skipped > 0, "the grid must include caps that stop calls mid-run");
    }

    void unaffordableJudgeDegradesToHeuristic()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        server.setDefaultReply(FakeReply::successFillingMaxTokens(
            FakeReply::draftJson(QStringLiteral("Budget degradation keeps the drafts it has."), 3)));
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), false));
        RunRequest r;
        r.task = QStringLiteral("Explain budget degradation");
        r.models = QStringList { QStringLiteral("openai/gpt-4o-mini") };
        r.judgeModel = QStringLiteral("openai/gpt-4o");
        r.maxTokens = 800;
        r.maxCostUsd = 0.005; // the debater's worst case fits, the judge's (1200 tokens of gpt-4o) does not
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY(!out.artifactPath.isEmpty());
        const Json doc = readArtifact(out.artifactPath);
        QVERIFY((doc["judge"]["method"]) == ("heuristic"));
        QVERIFY(QString::fromStdString(doc["judge"]["method_reason"].get<std::string>())
                    .contains(QStringLiteral("budget")));
        QVERIFY((doc["budget"]["stopped_early"]) == (true));
        QCOMPARE(countStatus(doc, "skipped_budget"), 1);
        QVERIFY((doc["judge"]["ranked_drafts"].size()) == (1u));
        QCOMPARE(server.requestCount(), 1); // only the debater reached the server
        QVERIFY(out.measuredCostUsd <= 0.005);
    }

    void debateTimeoutKeepsFinishedDrafts()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::hang());
        server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::hang());
        server.enqueueFor(QStringLiteral("gpt-4o-mini"), FakeReply::hang());
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), false));
        RunRequest r;
        r.task = QStringLiteral("Summarise timeouts");
        r.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") };
        r.timeoutS = 2;
        r.marginThreshold = 0;
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY(!out.artifactPath.isEmpty());
        const Json doc = readArtifact(out.artifactPath);
        QVERIFY((doc["debate"]["drafts"].size()) == (1u));
        QVERIFY((doc["debate"]["drafts"][0]["provider"]) == ("openai/gpt-4o"));
        QVERIFY((doc["publish"]["status"]) == ("published"));
        QVERIFY((doc["budget"]["stopped_early"]) == (true));
        QVERIFY(QString::fromStdString(doc["budget"]["stop_reason"].get<std::string>())
                    .contains(QStringLiteral("timeout")));
    }

    void debatersRunConcurrently()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), true, 200));
        RunRequest r;
        r.task = QStringLiteral("Four debaters at once");
        r.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini"),
            QStringLiteral("anthropic/claude-3-5-sonnet-20240620"), QStringLiteral("google/gemini-1.5-pro") };
        r.marginThreshold = 0;
        int inFlight = 0;
        int maxInFlight = 0;
        const RunOutcome out = runToCompletion(engine, r, [&](const RunEvent& e) {
            if (e.stage != QLatin1String("debate"))
                return;
            if (e.kind == RunEvent::Kind::CallStarted)
                maxInFlight = std::max(maxInFlight, ++inFlight);
            if (e.kind == RunEvent::Kind::CallFinished)
                --inFlight;
        });
        QVERIFY(!out.artifactPath.isEmpty());
        QCOMPARE(maxInFlight, 4);
        QCOMPARE(inFlight, 0);
    }

    void cancelEndsASlowRunWithAConsistentArtifact()
    {
        QTemporaryDir runs;
        // Each simulated call would take ten minutes: the run can only end within the loop's safety
        // limit below if cancel stops it without waiting for the calls.
        RunEngine engine(engineOptions(runs.path(), true, 600000));
        RunRequest r;
        r.task = QStringLiteral("A slow run to cancel");
        r.preset = QStringLiteral("quick");
        QString runId;
        RunOutcome out;
        QEventLoop loop;
        connect(&engine, &RunEngine::runEvent, &loop, [&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::CallStarted)
                engine.cancel(runId);
            if (e.kind == RunEvent::Kind::Finished) {
                out = *e.outcome;
                loop.quit();
            }
        });
        runId = engine.start(r);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
        QVERIFY2(out.cancelled, "cancel must not wait for the simulated latency");
        QVERIFY(!out.artifactPath.isEmpty());
        const Json doc = readArtifact(out.artifactPath);
        QVERIFY((doc["publish"]["status"]) == ("none"));
        QVERIFY((doc["publish"]["reason"]) == ("cancelled"));
        QVERIFY(validateArtifact(doc).empty());
        QCOMPARE(engine.activeRuns(), 0);
    }

    // The request names the folder; destroying the engine with a call out cancels the run, whose
    // artifact (it made a call) is written before the destructor returns. The Finished event is not
    // delivered: the engine is gone.
    void destroyingTheEngineCancelsIntoTheRequestsFolder()
    {
        QTemporaryDir engineDefault;
        QTemporaryDir requested;
        QStringList seen;
        {
            RunEngine engine(engineOptions(engineDefault.path(), true, 600000));
            RunRequest r;
            r.task = QStringLiteral("A slow run the user walks away from");
            r.preset = QStringLiteral("quick");
            r.runsDir = requested.path();
            QEventLoop loop;
            connect(&engine, &RunEngine::runEvent, &loop, [&](const RunEvent& e) {
                seen << QString::number(static_cast<int>(e.kind));
                if (e.kind == RunEvent::Kind::CallStarted)
                    loop.quit();
            });
            engine.start(r);
            QTimer::singleShot(120000, &loop, &QEventLoop::quit);
            loop.exec();
            QCOMPARE(engine.activeRuns(), 1);
        }
        QVERIFY(seen.contains(QString::number(static_cast<int>(RunEvent::Kind::CallStarted))));
        QVERIFY(!seen.contains(QString::number(static_cast<int>(RunEvent::Kind::Finished))));
        QCOMPARE(QDir(engineDefault.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
        const QStringList written = QDir(requested.path()).entryList({ QStringLiteral("*.json") }, QDir::Files);
        QCOMPARE(written.size(), 1);
        const Json doc = readArtifact(QDir(requested.path()).filePath(written.first()));
        QVERIFY((doc["publish"]["status"]) == ("none"));
        QVERIFY((doc["publish"]["reason"]) == ("cancelled"));
        QVERIFY(validateArtifact(doc).empty());
        QCOMPARE(QDir(requested.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no journal, no temp
    }

    void severalRunsAtOnce()
    {
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), true, 50));
        QSignalSpy spy(&engine, &RunEngine::runEvent);
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            RunRequest r;
            r.task = QStringLiteral("Parallel run %1").arg(i);
            r.preset = QStringLiteral("quick");
            ids << engine.start(r);
        }
        QCOMPARE(engine.activeRuns(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(engine.activeRuns(), 0, 20000);
        QSet<QString> finished;
        for (const auto& args : spy) {
            const auto e = args.at(0).value<RunEvent>();
            if (e.kind == RunEvent::Kind::Finished) {
                QVERIFY(!e.outcome->artifactPath.isEmpty());
                finished.insert(e.runId);
            }
        }
        QCOMPARE(finished, QSet<QString>(ids.begin(), ids.end()));
        QCOMPARE(QDir(runs.path()).entryList({ QStringLiteral("*.json") }, QDir::Files).size(), 3);
    }

    void keysNeverReachTheArtifact()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        server.enqueue(FakeReply::httpError(401)); // the error body echoes the key, like real providers
        QTemporaryDir runs;
        RunEngine engine(engineOptions(runs.path(), false));
        RunRequest r;
        r.task = QStringLiteral("Key hygiene");
        r.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") };
        const RunOutcome out = runToCompletion(engine, r);
        QVERIFY(!out.artifactPath.isEmpty());
        QFile f(out.artifactPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.contains("\"http_status\": 401"));
        for (const char* vendor : { "openai", "anthropic", "google" })
            QVERIFY(!bytes.contains(FakeProviderServer::fakeKey(QString::fromLatin1(vendor))));
        QVERIFY(!bytes.contains("sk-fake"));
    }
};

QTEST_GUILESS_MAIN(TestRunEngine)
#include "tst_runengine.moc"
