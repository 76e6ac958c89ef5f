// Reader cases of docs/artifact-format.md / docs/metrics.md for both paths: the simdjson scanner and the nlohmann
// document loader must accept and reject exactly the same files with the same Problem codes.
#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/artifacttimestamp.h"
#include "testpaths.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <ctime>

using namespace djp;

namespace {

QByteArray minimal(const QByteArray& extra = {})
{
    return R"({"schema_version":"1.1","run_metadata":{"timestamp":"2024-05-01T10:00:00Z","task":"t"})" + extra + "}";
}

} // namespace

class TestArtifactScanner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString writeTemp(const QByteArray& bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("case-%1.json").arg(++m_counter));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
    static QString fixture(const char* name)
    {
        return test::dataDir() + QStringLiteral("/artifacts/") + QLatin1String(name);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Naive legacy timestamps are local time: pin the zone so expected values are fixed.
        qputenv("TZ", "Europe/Berlin");
        tzset();
    }

    void classification_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code"); // "" = accepted

        QTest::newRow("whitespace only") << QByteArray(" \n\t\r\n ") << "empty";
        QTest::newRow("bom + whitespace") << QByteArray("\xEF\xBB\xBF  \n") << "empty";
        QTest::newRow("truncated") << minimal().left(40) << "not_json";
        QTest::newRow("truncated in string")
            << QByteArray(R"({"schema_version":"1.1","run_metadata":{"task":"abc)") << "not_json";
        QTest::newRow("plain text") << QByteArray("hello, this is not json\n") << "not_json";
        QTest::newRow("NaN at top") << minimal(R"(,"debate":{"total_drafts":NaN})") << "not_json";
        QTest::newRow("NaN in skipped field") << minimal(R"(,"x":{"y":[1,NaN]})") << "not_json";
        QTest::newRow("Infinity") << minimal(R"(,"x":Infinity)") << "not_json";
        QTest::newRow("line comment") << QByteArray("// c\n") + minimal() << "not_json";
        QTest::newRow("block comment inside") << minimal(R"(,"x":1 /* c */)") << "not_json";
        QTest::newRow("comment in skipped array") << minimal(R"(,"x":[1, /* c */ 2])") << "not_json";
        QTest::newRow("trailing comma") << minimal(R"(,"x":[1,2,])") << "not_json";
        QTest::newRow("missing comma in skipped array") << minimal(R"(,"x":[1 2])") << "not_json";
        QTest::newRow("colon in skipped array") << minimal(R"(,"x":{"y":["a": "b"]})") << "not_json";
        QTest::newRow("colon after read string") << minimal(R"(,"publish":{"text":"a": 1})") << "not_json";
        QTest::newRow("colon in drafts") << minimal(R"(,"debate":{"drafts":["a": 1]})") << "not_json";
        QTest::newRow("bad escape") << minimal(R"(,"x":"a\qb")") << "not_json";
        QTest::newRow("lone surrogate") << minimal(R"(,"x":"\ud800")") << "not_json";
        QTest::newRow("lone low surrogate") << minimal(R"(,"x":"a\udc00b")") << "not_json";
        QTest::newRow("high surrogate then letter") << minimal(R"(,"x":"\ud83dx")") << "not_json";
        QTest::newRow("high surrogate then non-low escape") << minimal(R"(,"x":"\ud83d\u0041")") << "not_json";
        QTest::newRow("high surrogate at the end") << minimal(R"(,"x":"ab\ud83d")") << "not_json";
        QTest::newRow("short unicode escape") << minimal(R"(,"x":"\u12")") << "not_json";
        QTest::newRow("bad hex digit") << minimal(R"(,"x":"\u12g4 and more")") << "not_json";
        QTest::newRow("escaped backslash before quote")
            << minimal(",\"x\":\"a\\\\\",\"y\":\"\\u00e9\\ud83d\\ude00\"") << "";
        QTest::newRow("escape in a skipped draft") << minimal(
            ",\"debate\":{\"drafts\":[{\"answer\":\"caf\\u00e9 \\\"q\\\" \\u2019\\n\","
            "\"evidence\":[\"\\ud83d\\ude80\"]}]}") << "";
        QTest::newRow("bad escape in a skipped draft")
            << minimal(R"(,"debate":{"drafts":[{"answer":"ok \x41"}]})") << "not_json";
        QTest::newRow("raw control char") << minimal(",\"x\":\"a\tb\"") << "not_json";
        QTest::newRow("single quotes") << minimal(R"(,'x':1)") << "not_json";
        QTest::newRow("trailing garbage") << minimal() + " x"
                                          << "not_json";
        QTest::newRow("two documents") << minimal() + minimal() << "not_json";
        QTest::newRow("extra closing brace") << minimal() + "}"
                                             << "not_json";
        QTest::newRow("bad literal") << minimal(R"(,"x":nul)") << "not_json";
        QTest::newRow("leading zero") << minimal(R"(,"x":01)") << "not_json";
        QTest::newRow("NUL bytes") << QByteArray("{\"a\":\0\0\x01\x02}", 10) << "binary";
        QTest::newRow("invalid UTF-8") << minimal(",\"x\":\"\xC3\x28\"") << "binary";
        QTest::newRow("overlong UTF-8") << minimal(",\"x\":\"\xC0\xAF\"") << "binary";
        QTest::newRow("top-level array") << QByteArray(R"([{"schema_version":"1.1","run_metadata":{}}])")
                                         << "not_object";
        QTest::newRow("top-level string") << QByteArray(R"("1.1")") << "not_object";
        QTest::newRow("top-level number") << QByteArray("42") << "not_object";
        QTest::newRow("top-level null") << QByteArray("null") << "not_object";
        QTest::newRow("no schema_version") << QByteArray(R"({"run_metadata":{}})") << "no_schema_version";
        QTest::newRow("schema_version number")
            << QByteArray(R"({"schema_version":1.1,"run_metadata":{}})") << "no_schema_version";
        QTest::newRow("no run_metadata") << QByteArray(R"({"schema_version":"1.1"})") << "no_run_metadata";
        QTest::newRow("run_metadata array")
            << QByteArray(R"({"schema_version":"1.1","run_metadata":[]})") << "no_run_metadata";
        QTest::newRow("major 3") << QByteArray(R"({"schema_version":"3.0","run_metadata":{}})")
                                 << "unsupported_version";
        QTest::newRow("major 10") << QByteArray(R"({"schema_version":"10.2","run_metadata":{}})")
                                  << "unsupported_version";
        QTest::newRow("major 0") << QByteArray(R"({"schema_version":"0.9","run_metadata":{}})")
                                 << "unsupported_version";
        QTest::newRow("version garbage") << QByteArray(R"({"schema_version":"v2","run_metadata":{}})")
                                         << "unsupported_version";
        QTest::newRow("publish array") << minimal(R"(,"publish":[])") << "wrong_type";
        QTest::newRow("publish null") << minimal(R"(,"publish":null)") << "wrong_type";
        QTest::newRow("debate.drafts object") << minimal(R"(,"debate":{"drafts":{}})") << "wrong_type";
        QTest::newRow("ranked draft string") << minimal(R"(,"judge":{"ranked_drafts":["x"]})") << "wrong_type";
        QTest::newRow("evidence string") << minimal(R"(,"judge":{"ranked_drafts":[{"evidence":"a"}]})") << "wrong_type";
        QTest::newRow("parameters string")
            << QByteArray(R"({"schema_version":"1.1","run_metadata":{"parameters":"x"}})") << "wrong_type";
        QTest::newRow("model_usage entry number")
            << minimal(R"(,"provenance":{"model_usage":{"a/b":3}})") << "wrong_type";
        QTest::newRow("calls object") << minimal(R"(,"calls":{})") << "wrong_type";
        QTest::newRow("budget.gate array") << minimal(R"(,"budget":{"gate":[]})") << "wrong_type";
        QTest::newRow("syntax error beats wrong type") << minimal(R"(,"publish":[],"x":[1,])") << "not_json";
        QTest::newRow("128 levels ok") << minimal(",\"x\":" + QByteArray(127, '[') + QByteArray(127, ']')) << "";
        QTest::newRow("129 levels too deep")
            << minimal(",\"x\":" + QByteArray(128, '[') + QByteArray(128, ']')) << "too_deep";
        // Unbalanced: simdjson sees the truncation before any descent (no recursion either way).
        QTest::newRow("100000 open brackets") << QByteArray(100000, '[') << "not_json";
        QTest::newRow("100000 balanced") << QByteArray(100000, '[') + QByteArray(100000, ']') << "too_deep";
        QTest::newRow("deep objects in section")
            << minimal(",\"debate\":{\"drafts\":[" + QByteArray(200000, '[') + "]}") << "too_deep";

        QTest::newRow("accepted minimal") << minimal() << "";
        QTest::newRow("accepted with BOM") << QByteArray("\xEF\xBB\xBF") + minimal() << "";
        QTest::newRow("unknown extra fields")
            << minimal(R"(,"future":{"a":[1,{"b":null}],"c":true},"publish":{"status":"published","shiny":1})") << "";
        QTest::newRow("unknown minor") << QByteArray(R"({"schema_version":"2.7","run_metadata":{}})") << "";
        QTest::newRow("major only") << QByteArray(R"({"schema_version":"2","run_metadata":{}})") << "";
        QTest::newRow("huge integers") << minimal(
            R"(,"z":1180591620717411303424,"provenance":{"duration_seconds":1e308,"estimated_costs":{"a/b":1e308}},"y":[-1180591620717411303424,1e-400])")
                                       << "";
        // Beyond the double range: refused by both parsers (RFC 8259 §6 allows the limit).
        QTest::newRow("1e400 in skipped field") << minimal(R"(,"x":[1e400])") << "not_json";
        QTest::newRow("-1e400 in read field") << minimal(R"(,"provenance":{"duration_seconds":-1e400})") << "not_json";
        // Documented limit (found by fuzzing): an exponent simdjson gives up on.
        QTest::newRow("extreme exponent")
            << minimal(R"(,"x":24E-0779999999999999999999999999999999999999)") << "not_json";
        QTest::newRow("2e308 in map") << minimal(R"(,"provenance":{"estimated_costs":{"a/b":2e308}})") << "not_json";
        QTest::newRow("escapes and unicode")
            << minimal(",\"x\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\n\",\"y\":\"ok\"") << "";
        QTest::newRow("wrong-typed leaves use defaults")
            << minimal(R"(,"publish":{"status":7,"text_length":"x"},"judge":{"total_ranked":"3"})") << "";
    }

    void classification()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        const QString path = writeTemp(bytes);

        ArtifactScanner scanner;
        const RecordParse viaFile = scanner.readFile(path);
        const RecordParse viaBytes = scanner.parse(path, std::string_view(bytes.constData(), bytes.size()));
        const ArtifactDocument doc = loadArtifactDocument(path);
        for (const RecordParse* r : { &viaFile, &viaBytes }) {
            QCOMPARE(r->record.has_value(), code.isEmpty());
            QCOMPARE(r->problem.has_value(), !code.isEmpty());
            if (r->problem) {
                QCOMPARE(r->problem->code, code);
                QCOMPARE(r->problem->path, path);
                QVERIFY2(!r->problem->detail.isEmpty(), "a problem always carries facts");
            }
        }
        QCOMPARE(doc.problem ? doc.problem->code : QString(), code);
        QCOMPARE(doc.json.is_object(), code.isEmpty());
    }

    void problemDetails()
    {
        ArtifactScanner scanner;
        RecordParse r
            = scanner.parse(QStringLiteral("/x.json"), R"({"schema_version":"1.1","run_metadata":{},"publish":[1]})");
        QVERIFY(r.problem);
        QCOMPARE(r.problem->detail, QStringLiteral("publish: expected object, got array"));
        r = scanner.parse(QStringLiteral("/x.json"),
            R"({"schema_version":"1.1","run_metadata":{},"judge":{"ranked_drafts":[{},{"evidence":7}]}})");
        QVERIFY(r.problem);
        QCOMPARE(r.problem->detail, QStringLiteral("judge.ranked_drafts[1].evidence: expected array, got number"));
        r = scanner.parse(QStringLiteral("/x.json"), R"({"schema_version":"1.1","run_metadata":{}}})");
        QVERIFY(r.problem);
        QCOMPARE(r.problem->code, QStringLiteral("not_json"));
        QVERIFY2(r.problem->detail.contains(QStringLiteral("byte 42")), qPrintable(r.problem->detail));
        r = scanner.parse(QStringLiteral("/x.json"), R"({"schema_version":"1.1","run_metadata":{},"x":[1,-1e400]})");
        QCOMPARE(r.problem->code, QStringLiteral("not_json"));
        QCOMPARE(r.problem->detail, QStringLiteral("number out of range: -1e400 (at byte 49)"));
        r = scanner.parse(QStringLiteral("/x.json"), std::string_view("{\"a\":\0}", 7));
        QCOMPARE(r.problem->detail, QStringLiteral("NUL byte at offset 5"));
        r = scanner.parse(QStringLiteral("/x.json"), R"({"schema_version":"3.0","run_metadata":{}})");
        QVERIFY(r.problem->detail.contains(QStringLiteral("3.0")));
    }

    void emptyAndMissingFiles()
    {
        ArtifactScanner scanner;
        const QString empty = writeTemp({});
        QCOMPARE(scanner.readFile(empty).problem->code, QStringLiteral("empty"));
        QCOMPARE(loadArtifactDocument(empty).problem->code, QStringLiteral("empty"));
        const QString missing = m_dir.filePath(QStringLiteral("does-not-exist.json"));
        QCOMPARE(scanner.readFile(missing).problem->code, QStringLiteral("io_error"));
        QCOMPARE(loadArtifactDocument(missing).problem->code, QStringLiteral("io_error"));
        QCOMPARE(scanner.readFile(m_dir.path()).problem->code, QStringLiteral("not_regular_file")); // a directory
        QCOMPARE(scanner.readFile(m_dir.path()).problem->detail, QStringLiteral("a directory, not a regular file"));
    }

    void hugeFileIsRejectedWithoutReading()
    {
        // A sparse file: cheap to create, but larger than the limit.
        const QString path = m_dir.filePath(QStringLiteral("huge.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write("{") == 1);
        QVERIFY(f.resize(kMaxArtifactBytes + 1));
        f.close();
        ArtifactScanner scanner;
        const RecordParse r = scanner.readFile(path);
        QVERIFY(r.problem);
        QCOMPARE(r.problem->code, QStringLiteral("too_large"));
        QCOMPARE(loadArtifactDocument(path).problem->code, QStringLiteral("too_large"));
    }

    void legacy11FullRecord()
    {
        ArtifactScanner scanner;
        const QString path = fixture("legacy-1.1-full.json");
        const RecordParse p = scanner.readFile(path);
        QVERIFY2(p.record, p.problem ? qPrintable(p.problem->code + QLatin1Char(' ') + p.problem->detail) : "");
        const RunRecord& r = *p.record;
        QCOMPARE(r.artifactFile, path);
        QVERIFY(r.hasTimestamp);
        // naive 14:31:07.25 in Berlin summer time (+02:00)
        QCOMPARE(r.timestampMs, QDateTime(QDate(2024, 9, 2), QTime(12, 31, 7, 250), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(r.utcOffsetSeconds, 7200);
        QCOMPARE(
            r.task, QStringLiteral("Summarize the main risks of migrating a payments service to a new cloud region"));
        QCOMPARE(r.traceName, QStringLiteral("risk-summary"));
        QCOMPARE(r.presetName, QStringLiteral("thorough"));
        QCOMPARE(r.status, QStringLiteral("advisory_only"));
        QCOMPARE(r.provider, QStringLiteral("anthropic/claude-3-5-sonnet-20240620"));
        QCOMPARE(r.winnerProvider, QStringLiteral("openai/gpt-4o"));
        QCOMPARE(r.tokensIn, 2100);
        QCOMPARE(r.tokensOut, 1050);
        QCOMPARE(r.totalTokens, 3150);
        QCOMPARE(r.estCost, 0.0156 + 0.00885);
        QCOMPARE(r.duration, 42.75);
        QCOMPARE(r.numDrafts, 3);
        QCOMPARE(r.numRanked, 3);
        QCOMPARE(r.citationsRequired, 2);
        QCOMPARE(r.citationsOk, false); // the third ranked draft has 1 evidence item
        QCOMPARE(r.grounded, true);
        QCOMPARE(r.groundedRequired, 2);
        QCOMPARE(r.citationsCount, 2);
        QCOMPARE(r.redacted, true);
        QCOMPARE(r.redactionCount, 4);
        QCOMPARE(r.redactionTypes, QStringLiteral("API_KEY,EMAIL"));
        QCOMPARE(r.advisoryReason, QStringLiteral("not_from_allowed_provider"));
        QCOMPARE(r.maxTokens, 1500);
        QCOMPARE(r.temperature, 0.3);
        QCOMPARE(r.fastpath, false);
        QCOMPARE(r.textLength, 57); // text_length as written wins over the text's length (59)
        QCOMPARE(r.schemaVersion, QStringLiteral("1.1"));
        QCOMPARE(r.runId, QString());
        QCOMPARE(r.simulated, false);
        QCOMPARE(r.costComplete, true);
        QVERIFY(!r.budgetUsd);
        QCOMPARE(r.budgetStatus, QString());
        QCOMPARE(r.stoppedEarly, false);
        QCOMPARE(r.judgeMethod, QString());
        QCOMPARE(r.calls, 0);
        QCOMPARE(r.failedCalls, 0);
        QCOMPARE(r.retries, 0);
        QCOMPARE(r.costByLabel.size(), std::size_t(2));
        QCOMPARE(r.costByLabel[0].first, QStringLiteral("openai/gpt-4o"));
        QCOMPARE(r.costByLabel[0].second, 0.0156);
        QCOMPARE(r.costByLabel[1].first, QStringLiteral("anthropic/claude-3-5-sonnet-20240620"));
        QCOMPARE(r.fileSize, QFileInfo(path).size());
        QCOMPARE(r.fileMtimeMs, QFileInfo(path).lastModified().toMSecsSinceEpoch());
    }

    void legacy10Defaults()
    {
        ArtifactScanner scanner;
        const RecordParse p = scanner.readFile(fixture("legacy-1.0-minimal.json"));
        QVERIFY(p.record);
        const RunRecord& r = *p.record;
        QCOMPARE(r.schemaVersion, QStringLiteral("1.0"));
        // "2024-01-15 09:05:00" naive, Berlin winter time (+01:00)
        QCOMPARE(r.timestampMs, QDateTime(QDate(2024, 1, 15), QTime(8, 5), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(r.utcOffsetSeconds, 3600);
        QCOMPARE(r.task, QStringLiteral("Explain café pricing — naïvely"));
        QCOMPARE(r.presetName, QStringLiteral("manual"));
        QCOMPARE(r.status, QStringLiteral("published"));
        QCOMPARE(r.advisoryReason, QString());
        QCOMPARE(r.numDrafts, 2); // no total_drafts: counted
        QCOMPARE(r.numRanked, 1); // no total_ranked: counted
        QCOMPARE(r.citationsRequired, 0);
        QCOMPARE(r.citationsOk, true);
        QCOMPARE(r.textLength, 29); // no text_length: code points of the text (with an escaped quote)
        QCOMPARE(r.estCost, 0.0);
        QCOMPARE(r.duration, 0.0);
        QCOMPARE(r.grounded, false);
        QCOMPARE(r.redactionTypes, QString());
        QCOMPARE(r.maxTokens, 800);
        QCOMPARE(r.temperature, 0.2);
    }

    void missingSectionsTakeLegacyDefaults()
    {
        ArtifactScanner scanner;
        const RecordParse p
            = scanner.parse(QStringLiteral("/r/a.json"), R"({"schema_version":"1.0","run_metadata":{}})");
        QVERIFY(p.record);
        const RunRecord& r = *p.record;
        QCOMPARE(r.hasTimestamp, false);
        QCOMPARE(r.presetName, QStringLiteral("manual"));
        QCOMPARE(r.status, QStringLiteral("none"));
        QCOMPARE(r.advisoryReason, QStringLiteral("no_valid_content"));
        QCOMPARE(r.citationsOk, true);
        QCOMPARE(r.numDrafts, 0);
        QCOMPARE(r.totalTokens, 0);
        QCOMPARE(r.costComplete, true);
        QCOMPARE(r.artifactFile, QStringLiteral("/r/a.json"));

        const RecordParse q = scanner.parse(QStringLiteral("/r/b.json"),
            R"({"schema_version":"1.1","run_metadata":{"parameters":{"require_citations":null}},"publish":{"status":"none","reason":"No ranked drafts available"}})");
        QVERIFY(q.record);
        QCOMPARE(q.record->advisoryReason, QStringLiteral("No ranked drafts available"));
        QCOMPARE(q.record->citationsRequired, 0);
        const RecordParse s = scanner.parse(QStringLiteral("/r/c.json"),
            R"({"schema_version":"1.1","run_metadata":{},"publish":{"status":"advisory_only","reason":""}})");
        QCOMPARE(s.record->advisoryReason, QStringLiteral("not_from_allowed_provider"));
    }

    void v2ExampleRecord()
    {
        ArtifactScanner scanner;
        const RecordParse p = scanner.readFile(fixture("v2-example.json"));
        QVERIFY(p.record);
        const RunRecord& r = *p.record;
        QCOMPARE(r.schemaVersion, QStringLiteral("2.0"));
        QCOMPARE(r.timestampMs, QDateTime(QDate(2026, 11, 28), QTime(9, 0, 0, 125), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(r.utcOffsetSeconds, 3600);
        QCOMPARE(r.runId, QStringLiteral("3f9c2b1e-7a4d-4c8e-9b2a-5d6e7f801234"));
        QCOMPARE(r.simulated, false);
        QCOMPARE(r.presetName, QStringLiteral("quick"));
        QCOMPARE(r.status, QStringLiteral("published"));
        QCOMPARE(r.provider, QStringLiteral("openai/gpt-4o-mini"));
        QCOMPARE(r.tokensIn, 3600);
        QCOMPARE(r.tokensOut, 1100);
        QCOMPARE(r.totalTokens, 4700);
        QCOMPARE(r.estCost, 0.00045 + 0.022);
        QCOMPARE(r.duration, 12.5);
        QCOMPARE(r.citationsRequired, 0);
        QCOMPARE(r.citationsOk, true);
        QCOMPARE(r.fastpath, true);
        QCOMPARE(r.textLength, 107);
        QCOMPARE(r.redactionCount, 1);
        QCOMPARE(r.redactionTypes, QStringLiteral("EMAIL"));
        QVERIFY(r.budgetUsd);
        QCOMPARE(*r.budgetUsd, 0.1);
        QCOMPARE(r.budgetStatus, QStringLiteral("ok"));
        QCOMPARE(r.stoppedEarly, false);
        QCOMPARE(r.costComplete, true);
        QCOMPARE(r.judgeMethod, QStringLiteral("llm"));
        QCOMPARE(r.calls, 4);
        QCOMPARE(r.failedCalls, 1);
        QCOMPARE(r.retries, 1);
    }

    void costCompleteFromCalls_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<bool>("complete");
        QTest::newRow("no calls") << QByteArray() << true;
        QTest::newRow("ok priced") << QByteArray(R"(,"calls":[{"status":"ok","cost_usd":0.1}])") << true;
        QTest::newRow("ok unpriced") << QByteArray(R"(,"calls":[{"status":"ok","cost_usd":null}])") << false;
        QTest::newRow("failed unpriced") << QByteArray(R"(,"calls":[{"status":"error","cost_usd":null}])") << true;
        QTest::newRow("flag wins") << QByteArray(
            R"(,"budget":{"cost_complete":true},"calls":[{"status":"ok","cost_usd":null}])")
                                   << true;
        QTest::newRow("flag false") << QByteArray(R"(,"budget":{"cost_complete":false})") << false;
    }
    void costCompleteFromCalls()
    {
        QFETCH(QByteArray, extra);
        QFETCH(bool, complete);
        ArtifactScanner scanner;
        const QByteArray bytes = minimal(extra);
        const RecordParse p
            = scanner.parse(QStringLiteral("/a.json"), std::string_view(bytes.constData(), bytes.size()));
        QVERIFY(p.record);
        QCOMPARE(p.record->costComplete, complete);
    }

    void hugeNumbersClamp()
    {
        ArtifactScanner scanner;
        const RecordParse p = scanner.parse(QStringLiteral("/a.json"),
            R"({"schema_version":"1.1","run_metadata":{"parameters":{"max_tokens":1180591620717411303424,"temperature":-1e308}},)"
            R"("provenance":{"duration_seconds":1e308,"estimated_costs":{"a/b":1.7e308,"c/d":1.7e308},)"
            R"("model_usage":{"a/b":{"tokens_in":9223372036854775807,"tokens_out":1e30}}}})");
        QVERIFY(p.record);
        const RunRecord& r = *p.record;
        QCOMPARE(r.maxTokens, std::numeric_limits<int>::max());
        QCOMPARE(r.temperature, -1e308);
        QCOMPARE(r.duration, 1e308);
        QCOMPARE(r.estCost, std::numeric_limits<double>::max()); // the sum overflows and is clamped again
        QCOMPARE(r.tokensOut, std::numeric_limits<qint64>::max());
        QCOMPARE(r.totalTokens, std::numeric_limits<qint64>::max());
    }

    void interning()
    {
        ArtifactScanner scanner;
        const QByteArray a = minimal(R"(,"publish":{"status":"published","provider":"openai/gpt-4o"})");
        const RecordParse p1 = scanner.parse(QStringLiteral("/1.json"), std::string_view(a.constData(), a.size()));
        const RecordParse p2 = scanner.parse(QStringLiteral("/2.json"), std::string_view(a.constData(), a.size()));
        QVERIFY(p1.record && p2.record);
        QCOMPARE(p1.record->status.constData(), p2.record->status.constData());
        QCOMPARE(p1.record->provider.constData(), p2.record->provider.constData());
        QCOMPARE(p1.record->schemaVersion.constData(), p2.record->schemaVersion.constData());
        QVERIFY(p1.record->task.constData() != p2.record->task.constData());
    }

    void documentLoader()
    {
        const ArtifactDocument doc = loadArtifactDocument(fixture("v2-example.json"));
        QVERIFY(!doc.problem);
        QCOMPARE(doc.json["run_id"].get<std::string>(), std::string("3f9c2b1e-7a4d-4c8e-9b2a-5d6e7f801234"));
        QCOMPARE(doc.json["calls"].size(), std::size_t(4));
        const QString bom = writeTemp(QByteArray("\xEF\xBB\xBF") + minimal());
        const ArtifactDocument withBom = loadArtifactDocument(bom);
        QVERIFY(!withBom.problem);
        QCOMPARE(withBom.json["schema_version"].get<std::string>(), std::string("1.1"));
    }
    // The scanner converts naive timestamps through its per-load offset cache (tested on its own in
    // tst_artifacttimestamp): around both of Berlin's 2026 transitions, every 7 minutes, a record's
    // time is what the uncached conversion gives.
    void naiveTimestampsThroughTheScanner()
    {
        ArtifactScanner scanner;
        int checked = 0;
        for (const QDate day : { QDate(2026, 3, 28), QDate(2026, 10, 24) }) {
            const QDateTime start(day, QTime(0, 3), Qt::UTC);
            for (qint64 m = 0; m < 3 * 24 * 60; m += 7) {
                const QByteArray text
                    = start.addSecs(m * 60).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1();
                qint64 expectedMs = 0;
                qint32 expectedOffset = 0;
                const bool expectedOk = parseArtifactTimestamp(
                    std::string_view(text.constData(), size_t(text.size())), expectedMs, expectedOffset);
                const RecordParse parsed = scanner.parse(QStringLiteral("t.json"),
                    QByteArray(R"({"schema_version":"1.1","run_metadata":{"timestamp":")" + text + R"("}})")
                        .toStdString());
                QVERIFY(parsed.record);
                QVERIFY2(parsed.record->hasTimestamp == expectedOk, text.constData());
                if (expectedOk && parsed.record->timestampMs != expectedMs) {
                    // In the repeated hour either instant is right if it shows this wall time.
                    const QDateTime got = QDateTime::fromMSecsSinceEpoch(parsed.record->timestampMs, Qt::LocalTime);
                    QVERIFY2(got.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toLatin1() == text, text.constData());
                    QVERIFY2(parsed.record->utcOffsetSeconds == got.offsetFromUtc(), text.constData());
                } else if (expectedOk) {
                    QVERIFY2(parsed.record->utcOffsetSeconds == expectedOffset, text.constData());
                }
                ++checked;
            }
        }
        QVERIFY(checked > 1200);
    }
};

QTEST_GUILESS_MAIN(TestArtifactScanner)
#include "tst_artifactscanner.moc"
