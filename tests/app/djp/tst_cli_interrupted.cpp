// Folders after a crash (docs/artifact-format.md, "Interrupted writes and runs"): a `djp run` killed
// with SIGKILL while the judge call hangs leaves a spend journal that the next read turns into an
// artifact (status none, reason interrupted, its calls); temp files of interrupted artifact writes
// are recovered when complete and removed when incomplete and older than an hour. Through the CLI
// (QProcess) against the fake provider server, and through the store API with an injected "now".
#include "clirunner.h"
#include "fakeproviderserver.h"
#include "testpaths.h"

#include "artifact/artifactwriter.h"
#include "artifact/schemavalidator.h"
#include "core/clock.h"
#include "store/runstore.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <algorithm>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;

namespace {

using djp::test::CliResult;

QStringList visibleJson(const QString& dir)
{
    return QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files);
}

QStringList hidden(const QString& dir, const QString& pattern)
{
    return QDir(dir).entryList({ pattern }, QDir::Files | QDir::Hidden);
}

// A complete artifact's bytes, as the writer would have put them in its temp file.
QByteArray completeArtifactBytes(const QString& scratch, const QString& runId, const QDateTime& at)
{
    Json doc = Json::parse(R"({"schema_version": "2.0", "run_metadata": {"timestamp": "", "task": "recovered task",
        "trace_name": "t", "parameters": {"max_tokens": 800, "temperature": 0.2, "allowed_models": []}},
        "publish": {"status": "published", "provider": "openai/gpt-4o", "text": "ok", "text_length": 2,
        "redacted": false, "redaction_events": []}})");
    doc["run_id"] = runId.toStdString();
    doc["run_metadata"]["timestamp"] = at.toString(Qt::ISODate).toStdString();
    const QString path = writeArtifact(scratch, doc, runId, at);
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    const QByteArray bytes = f.readAll();
    f.close();
    QFile::remove(path);
    return bytes;
}

void plant(const QString& path, const QByteArray& bytes, const QDateTime& mtime)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(mtime, QFileDevice::FileModificationTime));
}

const Problem* findProblem(const std::vector<Problem>& problems, const QString& code)
{
    for (const Problem& p : problems)
        if (p.code == code)
            return &p;
    return nullptr;
}

} // namespace

class TestCliInterrupted : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("DJP_CONFIG_DIR", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("DJP_CACHE_DIR", m_home.filePath(QStringLiteral("cache")).toUtf8());
    }

    // kill -9 after the debate calls settled: the next `djp metrics` shows the run and its spend.
    void killedRunIsRecoveredWithItsSpend()
    {
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        server.setResponder([](const djp::test::RecordedRequest& req) -> std::optional<FakeReply> {
            if (req.userText().contains(QStringLiteral("[Draft 1]")))
                return FakeReply::hang(); // the judge never answers
            return FakeReply::success(FakeReply::draftJson(QStringLiteral("A draft about kill -9.")), 1000, 400);
        });
        QTemporaryDir runs;
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(test::cliPath(),
            { "run", "--task", "Explain crash recovery, mail bob@example.com", "--models",
                "openai/gpt-4o,openai/gpt-4o-mini", "--judge-model", "openai/gpt-4o", "--runs-dir", runs.path() });
        QVERIFY(p.waitForStarted());
        // Two debaters then the judge: once the judge's request arrives, both debate calls have
        // settled and are in the journal (it is fsynced before the judge call starts).
        QVERIFY2(server.waitForRequests(3, 60000), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        QVERIFY(server.requests()[2].userText().contains(QStringLiteral("[Draft 1]")));
        QCOMPARE(hidden(runs.path(), QStringLiteral(".djp-journal-*.jsonl")).size(), 1);
        p.kill(); // SIGKILL
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY(visibleJson(runs.path()).isEmpty()); // no artifact was written
        QCOMPARE(hidden(runs.path(), QStringLiteral(".djp-journal-*.jsonl")).size(), 1);

        const CliResult m = cli({ "metrics", "--json", "--since", "all", "--runs-dir", runs.path() });
        QCOMPARE(m.exitCode, 0);
        const Json j = Json::parse(m.out.toStdString());
        QCOMPARE(j["runs_loaded"].get<int>(), 1);
        QCOMPARE(j["failure_rate"].get<double>(), 1.0); // status none
        QVERIFY(j["total_cost"].get<double>() > 0);
        bool listed = false;
        for (const Json& pr : j["problems"])
            listed = listed || pr["code"] == "recovered_interrupted_run";
        QVERIFY2(listed, m.out.constData());

        // The artifact: status none, reason interrupted, the two debate calls and their cost.
        const QStringList files = visibleJson(runs.path());
        QCOMPARE(files.size(), 1);
        QFile f(runs.filePath(files.first()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const Json doc = Json::parse(bytes.toStdString());
        QCOMPARE(doc["publish"]["status"].get<std::string>(), std::string("none"));
        QCOMPARE(doc["publish"]["reason"].get<std::string>(), std::string("interrupted"));
        QCOMPARE(doc["calls"].size(), size_t(2));
        for (const Json& c : doc["calls"]) {
            QCOMPARE(c["stage"].get<std::string>(), std::string("debate"));
            QCOMPARE(c["input_tokens"].get<int>(), 1000);
        }
        QVERIFY(doc["budget"]["measured_cost_usd"].get<double>() > 0);
        QCOMPARE(doc["budget"]["measured_cost_usd"].get<double>(), j["total_cost"].get<double>());
        QCOMPARE(doc["provenance"]["model_usage"].size(), size_t(2));
        QVERIFY(!bytes.contains("bob@example.com"));
        QVERIFY(QString::fromStdString(doc["run_metadata"]["task"].get<std::string>()).contains("[REDACTED:EMAIL]"));
        const auto errors = validateArtifact(doc);
        QVERIFY(errors.empty());
        // Journal and lock are gone; a second read changes nothing.
        QVERIFY(hidden(runs.path(), QStringLiteral(".djp-journal-*")).isEmpty());
        const CliResult again = cli({ "metrics", "--json", "--since", "all", "--runs-dir", runs.path() });
        QCOMPARE(Json::parse(again.out.toStdString())["runs_loaded"].get<int>(), 1);
        QCOMPARE(visibleJson(runs.path()).size(), 1);
    }

    // A run that ends normally leaves no journal.
    void finishedRunLeavesNoJournal()
    {
        QTemporaryDir runs;
        const CliResult r
            = cli({ "run", "--offline", "--preset", "quick", "--task", "A short brief", "--runs-dir", runs.path() });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(visibleJson(runs.path()).size(), 1);
        QVERIFY(hidden(runs.path(), QStringLiteral(".djp-journal-*")).isEmpty());
    }

    // Through the store API with an injected "now": complete temp files are recovered (also when the
    // name is taken), incomplete ones removed only when older than an hour; each is listed.
    void tempFilesAfterAnInterruptedWrite()
    {
        QTemporaryDir runs;
        QTemporaryDir scratch;
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-03-29T01:30:00Z"), Qt::ISODate);
        const QDateTime at = now.addSecs(-7200);
        const QString id1 = QStringLiteral("aaaaaaaa-1111-4111-8111-111111111111");
        const QString id2 = QStringLiteral("bbbbbbbb-2222-4222-8222-222222222222");
        const QString name1 = artifactFileName(id1, at);
        const QString name2 = artifactFileName(id2, at);
        plant(runs.filePath("." + name1 + ".tmp-Ab12Cd"), completeArtifactBytes(scratch.path(), id1, at), at);
        // The final name is taken by another file: the recovered one gets "-2".
        plant(runs.filePath(name2), completeArtifactBytes(scratch.path(), id2, at), at);
        plant(runs.filePath("." + name2 + ".tmp-Zz99Yy"), completeArtifactBytes(scratch.path(), id2, at), at);
        const QByteArray truncated = completeArtifactBytes(scratch.path(), id1, at).left(120);
        plant(runs.filePath(".2026.03.28-230000-cccccccc.json.tmp-Old111"), truncated, now.addSecs(-3601));
        plant(runs.filePath(".2026.03.29-012000-dddddddd.json.tmp-New222"), truncated, now.addSecs(-600));

        LoadOptions o;
        o.runsDir = runs.path();
        o.useIndex = false;
        o.nowMs = now.toMSecsSinceEpoch();
        const LoadResult loaded = loadRuns(o);
        // Two recovered + the one that was there; the recovered copy of id2 has the same run id as the
        // file already there, so it counts once (and is listed as a duplicate).
        QCOMPARE(loaded.records.size(), size_t(2));
        QVERIFY(std::any_of(loaded.problems.begin(), loaded.problems.end(),
            [](const Problem& p) { return p.code == QLatin1String("duplicate_run_id"); }));
        QVERIFY(QFile::exists(runs.filePath(name1)));
        QVERIFY(QFile::exists(runs.filePath(name2.chopped(5) + "-2.json")));
        QVERIFY(!QFile::exists(runs.filePath(".2026.03.28-230000-cccccccc.json.tmp-Old111")));
        QVERIFY(QFile::exists(runs.filePath(".2026.03.29-012000-dddddddd.json.tmp-New222")));
        int recovered = 0;
        for (const Problem& p : loaded.problems)
            recovered += p.code == QLatin1String("recovered_temp") ? 1 : 0;
        QCOMPARE(recovered, 2);
        QVERIFY(findProblem(loaded.problems, QStringLiteral("removed_temp")));
        const Problem* kept = findProblem(loaded.problems, QStringLiteral("kept_temp"));
        QVERIFY(kept);
        QVERIFY(kept->detail.contains(QStringLiteral("10 min")));

        // Later (injected "now" two hours on) the young one is old enough to go.
        o.nowMs = now.addSecs(7200).toMSecsSinceEpoch();
        const LoadResult later = loadRuns(o);
        QVERIFY(findProblem(later.problems, QStringLiteral("removed_temp")));
        QVERIFY(hidden(runs.path(), QStringLiteral(".*.tmp-*")).isEmpty());
        QCOMPARE(later.records.size(), size_t(2));
    }

    // The same through `djp metrics --json` (real "now": the incomplete file is planted two hours old).
    void tempFilesListedByMetricsJson()
    {
        QTemporaryDir runs;
        QTemporaryDir scratch;
        const QDateTime at = Clock::nowUtc().addSecs(-7200);
        const QString id = QStringLiteral("eeeeeeee-3333-4333-8333-333333333333");
        plant(runs.filePath("." + artifactFileName(id, at) + ".tmp-Qw34Er"),
            completeArtifactBytes(scratch.path(), id, at), at);
        plant(runs.filePath(".2000.01.01-000000-ffffffff.json.tmp-Ty56Ui"),
            QByteArray("{\"schema_version\": \"2.0\", "), at);
        const CliResult m = cli({ "metrics", "--json", "--since", "all", "--runs-dir", runs.path() });
        QCOMPARE(m.exitCode, 0);
        const Json j = Json::parse(m.out.toStdString());
        QCOMPARE(j["runs_loaded"].get<int>(), 1);
        QStringList codes;
        for (const Json& pr : j["problems"])
            codes << QString::fromStdString(pr["code"].get<std::string>());
        QVERIFY2(codes.contains(QStringLiteral("recovered_temp")), m.out.constData());
        QVERIFY2(codes.contains(QStringLiteral("removed_temp")), m.out.constData());
        QCOMPARE(visibleJson(runs.path()), QStringList { artifactFileName(id, at) });
    }

private:
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment(); // incl. the fake server's
        env.insert(QStringLiteral("DJP_SIM_LATENCY_MS"), QStringLiteral("0"));
        env.remove(QStringLiteral("DJP_RUNS_DIR"));
        return env;
    }

    CliResult cli(const QStringList& args) { return test::runCliServingEvents(environment(), args); }
};

QTEST_GUILESS_MAIN(TestCliInterrupted)
#include "tst_cli_interrupted.moc"
