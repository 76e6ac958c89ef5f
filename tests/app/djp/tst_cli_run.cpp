// `djp run | project | replay | presets | policies` end to end through QProcess (docs/cli.md).
#include "fakeproviderserver.h"
#include "isolatedenv.h"
#include "testpaths.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;

namespace {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestCliRun : public QObject
{
    Q_OBJECT

    test::IsolatedEnvironment m_env;

    Result djp(const QStringList& args, const QString& workDir = {})
    {
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        env.insert(QStringLiteral("DJP_SIM_LATENCY_MS"), QStringLiteral("0"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(workDir.isEmpty() ? m_env.home() : workDir);
        p.start(test::cliPath(), args);
        if (!p.waitForFinished(120000))
            return {};
        return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }

    static QStringList artifacts(const QString& dir)
    {
        QStringList files;
        for (const QString& f : QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files))
            files << QDir(dir).filePath(f);
        return files;
    }

private Q_SLOTS:
    void offlineRunWritesAValidArtifactInDotRuns()
    {
        QTemporaryDir work;
        // No --runs-dir: docs/artifact-format.md default ./runs in the working directory.
        const Result r
            = djp({ QStringLiteral("run"), QStringLiteral("--offline"), QStringLiteral("--preset"),
                      QStringLiteral("quick"), QStringLiteral("--task"), QStringLiteral("150-word VTOL brief") },
                work.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("Budget verdict: ok")));
        QVERIFY(r.out.contains(QStringLiteral("Status: ")));
        const QStringList files = artifacts(work.filePath(QStringLiteral("runs")));
        QCOMPARE(files.size(), 1);
        QVERIFY(r.out.contains(QStringLiteral("Artifact: ") + files.first()));
        QVERIFY(
            QFileInfo(files.first())
                .fileName()
                .contains(QRegularExpression(QStringLiteral("^\\d{4}\\.\\d{2}\\.\\d{2}-\\d{6}-[0-9a-f]{8}\\.json$"))));
        const ArtifactDocument doc = loadArtifactDocument(files.first());
        QVERIFY(!doc.problem);
        QVERIFY(validateArtifact(doc.json).empty());
        QVERIFY(doc.json["simulated"] == true);

        const Result v
            = djp({ QStringLiteral("validate"), QStringLiteral("--runs-dir"), work.filePath(QStringLiteral("runs")) });
        QCOMPARE(v.exitCode, 0);
    }

    // The per-call lines show the usage buckets, read from the vendor's own usage shape (the fake
    // provider answers while djp runs, so the event loop spins during the wait).
    void perCallLinesShowUsageBuckets()
    {
        test::FakeProviderServer server;
        QVERIFY(server.listen());
        server.enqueueFor(QStringLiteral("gpt-5.1"),
            test::FakeReply::success(test::FakeReply::draftJson(QStringLiteral("Buckets.")))
                .withVendorUsage(nlohmann::json::parse(R"({"prompt_tokens": 5000, "completion_tokens": 900,
                    "prompt_tokens_details": {"cached_tokens": 4000},
                    "completion_tokens_details": {"reasoning_tokens": 600}})")));
        QTemporaryDir work;
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        env.insert(QStringLiteral("OPENAI_BASE_URL"), server.openAiBaseUrl());
        env.insert(QStringLiteral("OPENAI_API_KEY"),
            QString::fromLatin1(test::FakeProviderServer::fakeKey(QStringLiteral("openai"))));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(work.path());
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(test::cliPath(),
            { QStringLiteral("run"), QStringLiteral("--task"), QStringLiteral("Two risks"), QStringLiteral("--models"),
                QStringLiteral("openai/gpt-5.1"), QStringLiteral("--judge-model"), QStringLiteral("openai/gpt-4o-mini"),
                QStringLiteral("--margin-threshold"), QStringLiteral("0") });
        QVERIFY(finished.wait(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("5000 in (4000 cached) / 900 out (600 reasoning)")), qPrintable(err));
        QCOMPARE(server.rejectedRequests(), 0);
    }

    void seedScenarioIsBlocked()
    {
        QTemporaryDir runs;
        // The legacy spelling --budget_usd is an alias (docs/cli.md).
        const Result r = djp({ QStringLiteral("run"), QStringLiteral("--task"), QStringLiteral("150-word VTOL brief"),
            QStringLiteral("--preset"), QStringLiteral("thorough"), QStringLiteral("--budget_usd"),
            QStringLiteral("0.0001"), QStringLiteral("--runs-dir"), runs.path() });
        QCOMPARE(r.exitCode, 3);
        QVERIFY(
            r.out.contains(QRegularExpression(QStringLiteral("Projected cost \\$[0-9.]+ exceeds budget \\$0\\.0001"))));
        QVERIFY(r.out.contains(QStringLiteral("Run aborted to prevent budget overrun.")));
        for (const char* stage : { "debate", "judge", "overhead", "total" })
            QVERIFY2(r.out.contains(QString::fromLatin1(stage)), stage);
        QVERIFY(artifacts(runs.path()).isEmpty());
        QVERIFY(QDir(runs.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());

        const Result p = djp({ QStringLiteral("project"), QStringLiteral("--task"),
            QStringLiteral("150-word VTOL brief"), QStringLiteral("--preset"), QStringLiteral("thorough"),
            QStringLiteral("--budget-usd"), QStringLiteral("0.0001") });
        QCOMPARE(p.exitCode, 3);
        QVERIFY(p.out.contains(QStringLiteral("Budget verdict: blocked")));
    }

    void projectWithinBudgetIsOk()
    {
        const Result p = djp({ QStringLiteral("project"), QStringLiteral("--task"), QStringLiteral("Short brief"),
            QStringLiteral("--preset"), QStringLiteral("quick"), QStringLiteral("--budget-usd"),
            QStringLiteral("10") });
        QCOMPARE(p.exitCode, 0);
        QVERIFY(p.out.contains(QStringLiteral("Budget verdict: ok")));
        QVERIFY(p.out.contains(QStringLiteral("openai/gpt-4o")));
    }

    void usageErrors()
    {
        QCOMPARE(
            djp({ QStringLiteral("run"), QStringLiteral("--preset"), QStringLiteral("quick") }).exitCode, 2); // no task
        QCOMPARE(djp({ QStringLiteral("run"), QStringLiteral("--task"), QStringLiteral("x"),
                         QStringLiteral("--max-tokens"), QStringLiteral("many") })
                     .exitCode,
            2);
        QCOMPARE(djp({ QStringLiteral("run"), QStringLiteral("--task"), QStringLiteral("x"), QStringLiteral("--preset"),
                         QStringLiteral("nope") })
                     .exitCode,
            2);
        QCOMPARE(djp({ QStringLiteral("frobnicate") }).exitCode, 2);
    }

    void replayRunsTheRecordedTaskAgain()
    {
        QTemporaryDir runs;
        const Result r = djp({ QStringLiteral("run"), QStringLiteral("--offline"), QStringLiteral("--quiet"),
            QStringLiteral("--runs-dir"), runs.path(), QStringLiteral("--task"), QStringLiteral("Replay me"),
            QStringLiteral("--preset"), QStringLiteral("deterministic"), QStringLiteral("--max_tokens"),
            QStringLiteral("600") });
        QCOMPARE(r.exitCode, 0);
        const QStringList first = artifacts(runs.path());
        QCOMPARE(first.size(), 1);
        const Result replay = djp({ QStringLiteral("replay"), first.first(), QStringLiteral("--offline"),
            QStringLiteral("--quiet"), QStringLiteral("--runs-dir"), runs.path() });
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        const QStringList both = artifacts(runs.path());
        QCOMPARE(both.size(), 2);
        ArtifactScanner scanner;
        for (const QString& f : both) {
            const RecordParse p = scanner.readFile(f);
            QVERIFY(p.record);
            QCOMPARE(p.record->task, QStringLiteral("Replay me"));
            QCOMPARE(p.record->presetName, QStringLiteral("deterministic"));
            QCOMPARE(p.record->maxTokens, 600);
        }
    }

    void metricsAfterRun()
    {
        QTemporaryDir runs;
        const QString csv = runs.filePath(QStringLiteral("../metrics-after-run.csv"));
        const Result r = djp({ QStringLiteral("run"), QStringLiteral("--offline"), QStringLiteral("--quiet"),
            QStringLiteral("--runs-dir"), runs.path(), QStringLiteral("--task"), QStringLiteral("With metrics"),
            QStringLiteral("--metrics"), csv });
        QCOMPARE(r.exitCode, 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QVERIFY(lines.first().startsWith("artifact_file,timestamp,task,"));
        QVERIFY(lines.size() >= 2 && lines.at(1).contains("With metrics"));
        f.remove();
    }

    void presetsAndPolicies()
    {
        const Result p = djp({ QStringLiteral("presets") });
        QCOMPARE(p.exitCode, 0);
        for (const char* name : { "quick", "thorough", "research", "deterministic" })
            QVERIFY(p.out.contains(QString::fromLatin1(name)));
        const Result j = djp({ QStringLiteral("policies"), QStringLiteral("--json") });
        QCOMPARE(j.exitCode, 0);
        const auto json = nlohmann::json::parse(j.out.toStdString());
        bool found = false;
        for (const auto& policy : json)
            if (policy["name"] == "openai_preferred") {
                found = true;
                QCOMPARE(policy["allowed_models"].size(), size_t(5));
            }
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
