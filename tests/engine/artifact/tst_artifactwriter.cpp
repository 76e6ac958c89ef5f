// ArtifactWriter (docs/artifact-format.md): unique names, atomic temp+rename, never overwriting, round trip
// through the scanner.
#include "artifact/artifactscanner.h"
#include "artifact/artifactwriter.h"
#include "store/dirscan.h"
#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <ctime>

using namespace djp;

class TestArtifactWriter : public QObject
{
    Q_OBJECT

private:
    static Json example()
    {
        QFile f(test::dataDir() + QStringLiteral("/artifacts/v2-example.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("fixture missing");
        return *parseJson(f.readAll());
    }
    static QStringList jsonFiles(const QString& dir)
    {
        return QDir(dir).entryList({ QStringLiteral("*.json") }, QDir::Files | QDir::Hidden, QDir::Name);
    }

private slots:
    void initTestCase()
    {
        qputenv("TZ", "Europe/Berlin");
        tzset();
    }

    void newRunIdIsUuidV4()
    {
        const QString a = newRunId();
        const QString b = newRunId();
        static const QRegularExpression re(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        QVERIFY2(re.match(a).hasMatch(), qPrintable(a));
        QVERIFY(a != b);
    }

    void nameUsesLocalTime()
    {
        const QDateTime ts(QDate(2026, 11, 28), QTime(9, 0, 5), Qt::UTC); // 10:00:05 in Berlin
        QCOMPARE(artifactFileName(QStringLiteral("3F9C2B1E-7a4d-4c8e-9b2a-5d6e7f801234"), ts),
            QStringLiteral("2026.11.28-100005-3f9c2b1e.json"));
        QCOMPARE(artifactFileName(QStringLiteral("ab-cd-ef-12-3456"), ts),
            QStringLiteral("2026.11.28-100005-abcdef12.json"));
    }

    void writesAndRereads()
    {
        QTemporaryDir tmp;
        const QString runs = tmp.filePath(QStringLiteral("nested/runs")); // created on demand
        const Json doc = example();
        const QDateTime ts(QDate(2026, 11, 28), QTime(9, 0, 0), Qt::UTC);
        QString error;
        const QString path
            = writeArtifact(runs, doc, QString::fromStdString(doc["run_id"].get<std::string>()), ts, &error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QCOMPARE(path, QDir(runs).absoluteFilePath(QStringLiteral("2026.11.28-100000-3f9c2b1e.json")));
        QCOMPARE(jsonFiles(runs), QStringList { QStringLiteral("2026.11.28-100000-3f9c2b1e.json") });
        QCOMPARE(QDir(runs).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temp file left behind

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("{\n  \"budget\": {\n    \"budget_tokens\""));
        QVERIFY(bytes.endsWith("}\n"));
        QVERIFY(*parseJson(bytes) == doc);

        ArtifactScanner scanner;
        const RecordParse written = scanner.readFile(path);
        const RecordParse original = scanner.readFile(test::dataDir() + QStringLiteral("/artifacts/v2-example.json"));
        QVERIFY(written.record && original.record);
        const RunRecord& a = *written.record;
        const RunRecord& b = *original.record;
        QCOMPARE(a.timestampMs, b.timestampMs);
        QCOMPARE(a.utcOffsetSeconds, b.utcOffsetSeconds);
        QCOMPARE(a.task, b.task);
        QCOMPARE(a.status, b.status);
        QCOMPARE(a.tokensIn, b.tokensIn);
        QCOMPARE(a.estCost, b.estCost);
        QCOMPARE(a.textLength, b.textLength);
        QCOMPARE(a.calls, b.calls);
        QCOMPARE(a.failedCalls, b.failedCalls);
        QCOMPARE(a.retries, b.retries);
        QCOMPARE(a.runId, b.runId);
        QCOMPARE(a.budgetStatus, b.budgetStatus);
        QCOMPARE(a.judgeMethod, b.judgeMethod);
        QCOMPARE(a.costByLabel.size(), b.costByLabel.size());
    }

    void sameSecondDifferentRunIds()
    {
        QTemporaryDir tmp;
        const QDateTime ts = QDateTime::currentDateTime();
        const QString a = writeArtifact(tmp.path(), Json { { "n", 1 } }, newRunId(), ts);
        const QString b = writeArtifact(tmp.path(), Json { { "n", 2 } }, newRunId(), ts);
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QVERIFY(a != b);
        QCOMPARE(jsonFiles(tmp.path()).size(), 2);
    }

    void sameRunIdNeverOverwrites()
    {
        QTemporaryDir tmp;
        const QDateTime ts(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::LocalTime);
        const QString id = QStringLiteral("0123abcd-0000-4000-8000-000000000000");
        const QString first = writeArtifact(tmp.path(), Json { { "n", 1 } }, id, ts);
        const QString second = writeArtifact(tmp.path(), Json { { "n", 2 } }, id, ts);
        const QString third = writeArtifact(tmp.path(), Json { { "n", 3 } }, id, ts);
        QCOMPARE(QFileInfo(first).fileName(), QStringLiteral("2026.01.02-030405-0123abcd.json"));
        QCOMPARE(QFileInfo(second).fileName(), QStringLiteral("2026.01.02-030405-0123abcd-2.json"));
        QCOMPARE(QFileInfo(third).fileName(), QStringLiteral("2026.01.02-030405-0123abcd-3.json"));
        for (int i = 0; i < 3; ++i) {
            QFile f(QStringList { first, second, third }[i]);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE((*parseJson(f.readAll()))["n"].get<int>(), i + 1);
        }
    }

    void crashLeftoversAreIgnored()
    {
        // A crash between write and rename leaves only the hidden temp file: readers must not see it.
        QTemporaryDir tmp;
        const QString name = artifactFileName(newRunId(), QDateTime::currentDateTime());
        const QString leftover = tmp.filePath(QLatin1Char('.') + name + QStringLiteral(".tmp-Xy12Ab"));
        QFile f(leftover);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"schema_version\":\"2.0\",\"run_meta"); // half written
        f.close();
        QVERIFY(!store::isArtifactCandidate(QFileInfo(leftover).fileName()));
        QVERIFY(!store::isArtifactCandidate(leftover));
        QVERIFY(jsonFiles(tmp.path()).isEmpty());
        // and a later successful write next to it still works
        QVERIFY(!writeArtifact(tmp.path(), Json { { "n", 1 } }, newRunId(), QDateTime::currentDateTime()).isEmpty());
        QCOMPARE(jsonFiles(tmp.path()).size(), 1);
    }

    void unwritableDirectoryReportsError()
    {
        QTemporaryDir tmp;
        const QString file = tmp.filePath(QStringLiteral("plainfile"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString error;
        QVERIFY(writeArtifact(
            file + QStringLiteral("/runs"), Json::object(), newRunId(), QDateTime::currentDateTime(), &error)
                    .isEmpty());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestArtifactWriter)
#include "tst_artifactwriter.moc"
