// `djp validate` end to end through the built binary.
#include "isolatedenv.h"
#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestValidateCli : public QObject
{
    Q_OBJECT

private:
    djp::test::IsolatedEnvironment m_env;

    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Result run(const QStringList& args, const QString& runsDirEnv = {})
    {
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        if (!runsDirEnv.isEmpty())
            env.insert(QStringLiteral("DJP_RUNS_DIR"), runsDirEnv);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_env.home());
        p.start(djp::test::cliPath(), QStringList { QStringLiteral("validate") } + args);
        if (!p.waitForFinished(30000))
            return {};
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
    }
    static QString fixture(const char* name)
    {
        return djp::test::dataDir() + QStringLiteral("/artifacts/") + QLatin1String(name);
    }
    static void copyTo(const QString& from, const QString& to)
    {
        QDir().mkpath(QFileInfo(to).absolutePath());
        QVERIFY(QFile::copy(from, to));
    }
    static void writeTo(const QString& path, const QByteArray& bytes)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

private slots:
    void goodFilesGiveExitZero()
    {
        const Result r = run({ fixture("v2-example.json"), fixture("v2.1-example.json"),
            fixture("legacy-1.1-full.json"), fixture("legacy-1.0-minimal.json") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("OK ") + fixture("v2.1-example.json")));
        QVERIFY(r.out.contains(QStringLiteral("OK ") + fixture("v2-example.json")));
        QVERIFY2(r.out.contains(QStringLiteral("4 files: 4 valid, 0 invalid")), qPrintable(r.out));
    }

    // The summary counts in English as it always has (docs/architecture.md, "Plurals"), to the byte.
    void summarySaysFileOrFiles()
    {
        QTemporaryDir runs;
        Result r = run({ QStringLiteral("--runs-dir"), runs.path() });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(QStringLiteral("0 files: 0 valid, 0 invalid\n")), qPrintable(r.out));
        copyTo(fixture("v2-example.json"), runs.filePath(QStringLiteral("a.json")));
        r = run({ QStringLiteral("--runs-dir"), runs.path() });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(QStringLiteral("\n1 file: 1 valid, 0 invalid\n")), qPrintable(r.out));
        copyTo(fixture("v2.1-example.json"), runs.filePath(QStringLiteral("b.json")));
        r = run({ QStringLiteral("--runs-dir"), runs.path() });
        QVERIFY2(r.out.endsWith(QStringLiteral("\n2 files: 2 valid, 0 invalid\n")), qPrintable(r.out));
    }

    void runsDirIsScannedRecursively()
    {
        QTemporaryDir runs;
        copyTo(fixture("v2-example.json"), runs.filePath(QStringLiteral("a.json")));
        copyTo(fixture("legacy-1.1-full.json"), runs.filePath(QStringLiteral("2024/09/b.json")));
        writeTo(runs.filePath(QStringLiteral(".c.json.tmp-123456")), "{"); // writer temp: ignored
        writeTo(runs.filePath(QStringLiteral(".hidden.json")), "{"); // hidden: ignored
        writeTo(runs.filePath(QStringLiteral("notes.txt")), "not an artifact"); // not *.json: ignored
        Result r = run({ QStringLiteral("--runs-dir"), runs.path() });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("2 files: 2 valid, 0 invalid")), qPrintable(r.out));

        // the same folder through DJP_RUNS_DIR, now with a bad file in a subfolder
        writeTo(runs.filePath(QStringLiteral("2024/bad.json")), R"({"schema_version":"2.0","run_metadata":{}})");
        r = run({}, runs.path());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("INVALID ") + runs.filePath(QStringLiteral("2024/bad.json"))
                     + QStringLiteral(": /: missing required property")),
            qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("3 files: 2 valid, 1 invalid")));
    }

    void badFilesAreNamed()
    {
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.json"));
        writeTo(broken, R"({"schema_version":"2.0",)");
        QFile src(fixture("v2-example.json"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        QByteArray bytes = src.readAll();
        bytes.replace("\"stage\": \"judge\"", "\"stage\": \"publish\"");
        const QString wrongEnum = dir.filePath(QStringLiteral("wrong-enum.json"));
        writeTo(wrongEnum, bytes);
        const Result r = run({ fixture("v2-example.json"), broken, wrongEnum });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("INVALID ") + broken + QStringLiteral(": not_json")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("INVALID ") + wrongEnum + QStringLiteral(": /calls/3/stage:")),
            qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("3 files: 1 valid, 2 invalid")));
        QCOMPARE(run({ dir.filePath(QStringLiteral("missing.json")) }).exitCode, 1);
    }

    // A 2.1 file is checked against the 2.1 schema: a call without its usage buckets, or a legacy
    // field with the wrong type (require_citations null), is named.
    void schema21IsEnforced()
    {
        QTemporaryDir dir;
        QFile src(fixture("v2.1-example.json"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray good = src.readAll();
        QByteArray noSource = good;
        QVERIFY(noSource.contains("\"usage_source\": \"reported\""));
        noSource.replace("\"usage_source\": \"reported\"", "\"usage_sourc\": \"reported\"");
        const QString missing = dir.filePath(QStringLiteral("missing-bucket.json"));
        writeTo(missing, noSource);
        QByteArray nullCitations = good;
        QVERIFY(nullCitations.contains("\"require_citations\": 0"));
        nullCitations.replace("\"require_citations\": 0", "\"require_citations\": null");
        const QString nulled = dir.filePath(QStringLiteral("null-citations.json"));
        writeTo(nulled, nullCitations);
        const Result r = run({ missing, nulled });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("INVALID ") + missing), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("INVALID ") + nulled
                     + QStringLiteral(": /run_metadata/parameters/require_citations")),
            qPrintable(r.out));
    }

    void usageErrors()
    {
        QCOMPARE(run({ QStringLiteral("--no-such-option") }).exitCode, 2);
        const Result help = run({ QStringLiteral("--help") });
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("FILES")));
        // A missing runs folder is a usage error, never "0 files, all valid" or a plain failure.
        QCOMPARE(run({ QStringLiteral("--runs-dir"), m_env.path(QStringLiteral("nope")) }).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestValidateCli)
#include "tst_validatecli.moc"
