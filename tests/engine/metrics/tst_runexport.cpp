// CSV/JSONL export (docs/metrics.md): column order, RFC 4180 quoting, CRLF, UTF-8 without BOM,
// ISO timestamps with offset, formula neutralisation, empty set, JSONL parse-back, atomic file export.
#include "metrics/runexport.h"
#include "records.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <nlohmann/json.hpp>

using namespace djp;
using djp::test::allIndices;
using djp::test::makeRun;

namespace {

const QStringList kExpectedColumns = { "artifact_file", "timestamp", "task", "trace_name", "preset_name", "status",
    "provider", "winner_provider", "tokens_in", "tokens_out", "total_tokens", "est_cost", "duration", "num_drafts",
    "num_ranked", "citations_required", "citations_ok", "grounded", "grounded_required", "citations_count", "redacted",
    "redaction_count", "redaction_types", "advisory_reason", "max_tokens", "temperature", "fastpath", "text_length",
    "schema_version", "run_id", "simulated", "cost_complete", "budget_usd", "budget_status", "stopped_early",
    "judge_method", "calls", "failed_calls", "retries", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens",
    "estimated_usage_calls", "reported_cost_usd", "computed_cost_usd", "cost_drift_pct" };

QByteArray csvOf(const std::vector<RunRecord>& v)
{
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    QString error;
    if (!writeRunsCsv(buf, v, allIndices(v), &error))
        qFatal("writeRunsCsv failed: %s", qPrintable(error));
    return buf.data();
}

// A strict RFC 4180 reader for checking what we wrote: records end with CRLF.
QList<QStringList> parseCsv(const QByteArray& bytes)
{
    const QString s = QString::fromUtf8(bytes);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < s.size() && s[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            if (!field.isEmpty())
                qFatal("quote inside an unquoted field");
            quoted = true;
        } else if (c == ',') {
            row << field;
            field.clear();
        } else if (c == '\r') {
            if (i + 1 >= s.size() || s[i + 1] != '\n')
                qFatal("bare CR outside quotes");
            row << field;
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else if (c == '\n') {
            qFatal("bare LF outside quotes");
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        qFatal("last record not terminated by CRLF");
    return rows;
}

RunRecord sample()
{
    RunRecord r
        = makeRun("published", QDateTime(QDate(2026, 11, 28), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch());
    r.utcOffsetSeconds = 3600;
    r.artifactFile = "/runs/2026.11.28-100000-abcd1234.json";
    r.task = "Plain task";
    r.traceName = "trace";
    r.provider = "openai/gpt-4o";
    r.winnerProvider = "openai/gpt-4o";
    r.tokensIn = 1200;
    r.tokensOut = 345;
    r.totalTokens = 1545;
    r.estCost = 0.0123;
    r.duration = 4.5;
    r.numDrafts = 3;
    r.numRanked = 3;
    r.temperature = -0.5; // negative numbers stay numbers
    r.maxTokens = 800;
    r.schemaVersion = "1.1";
    return r;
}

} // namespace

class TestRunExport : public QObject
{
    Q_OBJECT
private slots:
    void columns()
    {
        QCOMPARE(runColumns(), kExpectedColumns);
        QCOMPARE(runColumns().indexOf("schema_version"), kLegacyColumnCount - 1);
    }

    void emptySetIsHeaderOnly()
    {
        const QByteArray csv = csvOf({});
        QCOMPARE(csv, kExpectedColumns.join(',').toUtf8() + "\r\n");
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY(writeRunsJsonl(buf, {}, {}));
        QVERIFY(buf.data().isEmpty());
    }

    void plainRow()
    {
        const QByteArray csv = csvOf({ sample() });
        QVERIFY(!csv.startsWith("\xEF\xBB\xBF")); // no BOM
        QVERIFY(csv.endsWith("\r\n"));
        const QList<QStringList> rows = parseCsv(csv);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0], kExpectedColumns);
        const QStringList& r = rows[1];
        QCOMPARE(r.size(), kExpectedColumns.size());
        const auto col = [&](const char* name) { return r[kExpectedColumns.indexOf(name)]; };
        QCOMPARE(col("timestamp"), QString("2026-11-28T10:00:00+01:00"));
        QCOMPARE(col("tokens_in"), QString("1200"));
        QCOMPARE(col("est_cost"), QString("0.0123"));
        QCOMPARE(col("duration"), QString("4.5"));
        QCOMPARE(col("temperature"), QString("-0.5"));
        QCOMPARE(col("citations_ok"), QString("true"));
        QCOMPARE(col("grounded"), QString("false"));
        QCOMPARE(col("preset_name"), QString("manual"));
        QCOMPARE(col("advisory_reason"), QString());
        QCOMPARE(col("budget_usd"), QString()); // missing optional
        QCOMPARE(col("schema_version"), QString("1.1"));
    }

    void timestamps_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<bool>("has");
        QTest::addColumn<QString>("expected");
        QTest::newRow("+01:00") << 3600 << true << "2026-11-28T10:00:00+01:00";
        QTest::newRow("utc") << 0 << true << "2026-11-28T09:00:00+00:00";
        QTest::newRow("-05:30") << -(5 * 3600 + 1800) << true << "2026-11-28T03:30:00-05:30";
        QTest::newRow("missing") << 0 << false << "";
    }
    void timestamps()
    {
        QFETCH(int, offset);
        QFETCH(bool, has);
        QFETCH(QString, expected);
        RunRecord r = sample();
        r.utcOffsetSeconds = offset;
        r.hasTimestamp = has;
        QCOMPARE(runCellText(r, 1), expected);
    }

    void quotingAndUtf8()
    {
        RunRecord r = sample();
        r.task = "Compare a, b and \"c\"\r\nthen\nsummarise";
        r.traceName = QString::fromUtf8("Grüße aus 東京 🚀");
        r.redactionTypes = "EMAIL,PHONE";
        const QByteArray csv = csvOf({ r });
        QVERIFY(csv.contains("\"Compare a, b and \"\"c\"\"\r\nthen\nsummarise\""));
        QVERIFY(csv.contains(QString::fromUtf8(",Grüße aus 東京 🚀,").toUtf8()));
        QVERIFY(csv.contains(",\"EMAIL,PHONE\","));
        const QList<QStringList> rows = parseCsv(csv);
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[1][2], r.task);
        QCOMPARE(rows[1][3], r.traceName);
        QCOMPARE(rows[1][22], r.redactionTypes);
    }

    void formulaNeutralisation_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("cell");
        QTest::newRow("=") << "=SUM(A1:A9)"
                           << "'=SUM(A1:A9)";
        QTest::newRow("+") << "+1+2"
                           << "'+1+2";
        QTest::newRow("-") << "-2+3"
                           << "'-2+3";
        QTest::newRow("@") << "@cmd"
                           << "'@cmd";
        QTest::newRow("tab") << "\tx"
                             << "'\tx";
        QTest::newRow("CR") << "\rx"
                            << "'\rx";
        QTest::newRow("inner = is fine") << "a=b"
                                         << "a=b";
        QTest::newRow("empty") << ""
                               << "";
    }
    void formulaNeutralisation()
    {
        QFETCH(QString, task);
        QFETCH(QString, cell);
        RunRecord r = sample();
        r.task = task;
        r.provider = task; // every text column is guarded
        QCOMPARE(runCellText(r, 2), cell);
        QCOMPARE(runCellText(r, 6), cell);
        const QList<QStringList> rows = parseCsv(csvOf({ r }));
        QCOMPARE(rows[1][2], cell);
        QCOMPARE(rows[1][25], QString("-0.5")); // a negative number is not a text cell
    }

    void jsonlParsesBack()
    {
        RunRecord a = sample();
        a.task = "=1+1, \"quoted\"\nline";
        a.budgetUsd = 0.5;
        a.costComplete = false;
        RunRecord b = makeRun("none", 0, false);
        b.traceName = QString::fromUtf8("ünïcode");
        const std::vector<RunRecord> v = { a, b };
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY(writeRunsJsonl(buf, v, allIndices(v)));
        const QList<QByteArray> lines = buf.data().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[2].isEmpty());
        for (int i = 0; i < 2; ++i) {
            const nlohmann::ordered_json j = nlohmann::ordered_json::parse(lines[i].toStdString());
            QStringList keys;
            for (auto it = j.begin(); it != j.end(); ++it)
                keys << QString::fromStdString(it.key());
            QCOMPARE(keys, kExpectedColumns);
        }
        const nlohmann::json ja = nlohmann::json::parse(lines[0].toStdString());
        QCOMPARE(QString::fromStdString(ja["task"].get<std::string>()), a.task); // raw, no apostrophe
        QVERIFY(ja["tokens_in"].is_number_integer());
        QCOMPARE(ja["tokens_in"].get<qint64>(), qint64(1200));
        QVERIFY(ja["est_cost"].is_number_float());
        QCOMPARE(ja["est_cost"].get<double>(), 0.0123);
        QCOMPARE(ja["temperature"].get<double>(), -0.5);
        QVERIFY(ja["citations_ok"].is_boolean());
        QCOMPARE(ja["cost_complete"].get<bool>(), false);
        QCOMPARE(ja["budget_usd"].get<double>(), 0.5);
        QCOMPARE(QString::fromStdString(ja["timestamp"].get<std::string>()), QString("2026-11-28T10:00:00+01:00"));
        const nlohmann::json jb = nlohmann::json::parse(lines[1].toStdString());
        QVERIFY(jb["timestamp"].is_null());
        QVERIFY(jb["budget_usd"].is_null());
        QCOMPARE(QString::fromStdString(jb["trace_name"].get<std::string>()), QString::fromUtf8("ünïcode"));
        QCOMPARE(QString::fromStdString(jb["advisory_reason"].get<std::string>()), QString("no_valid_content"));
    }

    void onlySelectedIndicesInOrder()
    {
        std::vector<RunRecord> v(3, sample());
        v[0].task = "zero";
        v[1].task = "one";
        v[2].task = "two";
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        QVERIFY(writeRunsCsv(buf, v, { 2, 0 }));
        const QList<QStringList> rows = parseCsv(buf.data());
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[1][2], QString("two"));
        QCOMPARE(rows[2][2], QString("zero"));
    }

    void exportToFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::vector<RunRecord> v = { sample(), sample() };
        QString error;
        const QString csvPath = dir.filePath("out.csv");
        QVERIFY(exportRunsToFile(csvPath, "csv", v, allIndices(v), &error));
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), csvOf(v));
        f.close();

        const QString jsonlPath = dir.filePath("out.jsonl");
        QVERIFY(exportRunsToFile(jsonlPath, "jsonl", v, allIndices(v), &error));
        QFile g(jsonlPath);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll().count('\n'), 2);

        QVERIFY(!exportRunsToFile(dir.filePath("x.xml"), "xml", v, allIndices(v), &error));
        QVERIFY(error.contains("xml"));
        QVERIFY(!QFile::exists(dir.filePath("x.xml")));
        error.clear();
        QVERIFY(!exportRunsToFile(dir.filePath("no/such/dir/out.csv"), "csv", v, allIndices(v), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRunExport)
#include "tst_runexport.moc"
