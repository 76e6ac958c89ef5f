// The `djp` command line against folders and files that cannot be used (see docs/cli-hardening.md):
// runs folders that are files, unwritable or impossible to create (checked before any provider call),
// missing runs folders for the readers, FIFOs and devices given as artifacts, and the messages of
// bad numbers, trailing JSON and missing corpus folders. Everything through QProcess; the paid-call
// checks run against the fake provider server, which must see zero requests.
#include "fakeproviderserver.h"
#include "isolatedenv.h"
#include "testpaths.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace djp;
using djp::test::FakeProviderServer;

namespace {

struct Result
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestCliHardening : public QObject
{
    Q_OBJECT

    test::IsolatedEnvironment m_env;
    FakeProviderServer* m_server = nullptr;

    // Runs djp while the test's event loop keeps running, so the fake provider can answer. A child
    // that does not finish within `timeoutMs` is killed and reported as not finished.
    Result djp(const QStringList& args, int timeoutMs = 60000)
    {
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        m_server->exportToEnvironment(env); // the fake provider's URLs and keys, never real ones
        env.insert(QStringLiteral("DJP_SIM_LATENCY_MS"), QStringLiteral("0"));
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_env.home());
        p.start(test::cliPath(), args);
        if (!p.waitForStarted(10000))
            return {};
        QDeadlineTimer deadline(timeoutMs);
        while (p.state() != QProcess::NotRunning && !deadline.hasExpired()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            p.waitForFinished(20);
        }
        Result r;
        r.finished = p.state() == QProcess::NotRunning;
        if (!r.finished) {
            p.kill();
            p.waitForFinished(5000);
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QStringList paidRun(const QString& runsDir) const
    {
        return { QStringLiteral("run"), QStringLiteral("--runs-dir"), runsDir, QStringLiteral("--models"),
            QStringLiteral("openai/gpt-4o,anthropic/claude-3-haiku-20240307"), QStringLiteral("--judge-model"),
            QStringLiteral("openai/gpt-4o"), QStringLiteral("--task"), QStringLiteral("Name one prime number"),
            QStringLiteral("--quiet") };
    }

    static void writeFile(const QString& path, const QByteArray& bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_env.isValid());
        m_server = new FakeProviderServer(this);
        QVERIFY(m_server->listen());
    }
    void init() { m_server->clearRequests(); }

    void paidRunWorksWithAGoodFolder()
    {
        // The control for the zero-request checks below: the same command with a usable folder
        // does reach the fake provider.
        QTemporaryDir work;
        const QString runs = work.filePath(QStringLiteral("new/runs"));
        const Result r = djp(paidRun(runs));
        QVERIFY(r.finished);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(m_server->requestCount() >= 3);
        QCOMPARE(QDir(runs).entryList({ QStringLiteral("*.json") }, QDir::Files).size(), 1);
        // The write probe leaves nothing behind.
        QCOMPARE(QDir(runs).entryList({ QStringLiteral(".djp-write-probe*") }, QDir::Hidden | QDir::Files).size(), 0);
    }

    void runsFolderIsCheckedBeforeAnyCall_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("a file") << QStringLiteral("file") << QStringLiteral("is not a directory");
        QTest::newRow("unwritable folder") << QStringLiteral("unwritable") << QStringLiteral("is not writable");
        QTest::newRow("cannot be created")
            << QStringLiteral("uncreatable") << QStringLiteral("does not exist and cannot be created");
        QTest::newRow("empty --runs-dir") << QStringLiteral("empty") << QStringLiteral("--runs-dir needs a folder");
    }
    void runsFolderIsCheckedBeforeAnyCall()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        QTemporaryDir work;
        QString runs;
        if (kind == u"file") {
            runs = work.filePath(QStringLiteral("runs"));
            writeFile(runs, "not a folder");
        } else if (kind == u"unwritable") {
            // Tests may run as root, for whom permission bits do not stop a write; /proc/sys is a
            // directory in which nobody, root included, can create a file. As another user a 0555
            // folder is the plain case.
            if (::geteuid() == 0) {
                runs = QStringLiteral("/proc/sys");
            } else {
                runs = work.filePath(QStringLiteral("readonly"));
                QVERIFY(QDir().mkpath(runs));
                QVERIFY(::chmod(QFile::encodeName(runs).constData(), 0555) == 0);
            }
        } else if (kind == u"uncreatable") {
            // A folder below a regular file can never be created, whoever asks.
            writeFile(work.filePath(QStringLiteral("plainfile")), "x");
            runs = work.filePath(QStringLiteral("plainfile/runs"));
        }
        const Result r = djp(paidRun(runs));
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("djp run: ")), qPrintable(r.err));
        QCOMPARE(m_server->requestCount(), 0);
        if (kind == u"unwritable" && ::geteuid() != 0)
            ::chmod(QFile::encodeName(runs).constData(), 0755);
    }

    void replayChecksTheRunsFolderToo()
    {
        QTemporaryDir work;
        const QString good = work.filePath(QStringLiteral("good"));
        const Result first = djp({ QStringLiteral("run"), QStringLiteral("--offline"), QStringLiteral("--runs-dir"),
            good, QStringLiteral("--task"), QStringLiteral("t"), QStringLiteral("--quiet") });
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const QStringList files = QDir(good).entryList({ QStringLiteral("*.json") }, QDir::Files);
        QCOMPARE(files.size(), 1);
        writeFile(work.filePath(QStringLiteral("plainfile")), "x");
        const Result r = djp({ QStringLiteral("replay"), QDir(good).filePath(files.first()),
            QStringLiteral("--runs-dir"), work.filePath(QStringLiteral("plainfile/runs")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("djp replay: runs folder")), qPrintable(r.err));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void readersRefuseAMissingOrNonDirectoryRunsFolder_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        for (const char* command : { "metrics", "alerts", "export", "validate" }) {
            QTest::addRow("%s missing", command)
                << QString::fromLatin1(command) << QStringLiteral("missing") << QStringLiteral("does not exist");
            QTest::addRow("%s file", command)
                << QString::fromLatin1(command) << QStringLiteral("file") << QStringLiteral("is not a directory");
            QTest::addRow("%s empty", command) << QString::fromLatin1(command) << QStringLiteral("empty")
                                               << QStringLiteral("--runs-dir needs a folder");
        }
    }
    void readersRefuseAMissingOrNonDirectoryRunsFolder()
    {
        QFETCH(QString, command);
        QFETCH(QString, kind);
        QFETCH(QString, message);
        QTemporaryDir work;
        QString runs;
        if (kind == u"missing") {
            runs = work.filePath(QStringLiteral("nonexistent"));
        } else if (kind == u"file") {
            runs = work.filePath(QStringLiteral("runs.json"));
            writeFile(runs, "{}");
        }
        QStringList args { command, QStringLiteral("--runs-dir"), runs };
        if (command == u"export")
            args << QStringLiteral("--out") << work.filePath(QStringLiteral("out.csv"));
        if (command == u"alerts")
            args << QStringLiteral("--dry-run");
        const Result r = djp(args);
        QVERIFY(r.finished);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("djp %1: ").arg(command)), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("does not exist")) || kind == u"missing", qPrintable(r.err));
        if (command == u"export")
            QVERIFY(!QFile::exists(work.filePath(QStringLiteral("out.csv"))));
    }

    void fifosAndDevicesAreRefusedNotWaitedOn_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("validate fifo") << QStringLiteral("validate") << QStringLiteral("fifo") << 1;
        QTest::newRow("replay fifo") << QStringLiteral("replay") << QStringLiteral("fifo") << 1;
        QTest::newRow("validate /dev/null") << QStringLiteral("validate") << QStringLiteral("device") << 1;
        QTest::newRow("replay /dev/zero") << QStringLiteral("replay") << QStringLiteral("device") << 1;
    }
    void fifosAndDevicesAreRefusedNotWaitedOn()
    {
        QFETCH(QString, command);
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QTemporaryDir work;
        QString path;
        if (kind == u"fifo") {
            path = work.filePath(QStringLiteral("x.json"));
            QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        } else {
            path = command == u"replay" ? QStringLiteral("/dev/zero") : QStringLiteral("/dev/null");
        }
        // A hang is the failure here: the bounded wait kills the child and reports not finished.
        const Result r = djp({ command, path }, 20000);
        QVERIFY2(r.finished, "djp waited on a FIFO or device");
        QCOMPARE(r.exitCode, exitCode);
        const QString text = r.out + r.err;
        QVERIFY2(text.contains(QStringLiteral("not_regular_file")), qPrintable(text));
        QVERIFY2(text.contains(kind == u"fifo" ? QStringLiteral("a FIFO") : QStringLiteral("a character device")),
            qPrintable(text));
        QCOMPARE(m_server->requestCount(), 0);
    }

    void nonFiniteBudgetIsExplained_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        for (const char* option : { "--budget-usd", "--max-cost-usd" })
            for (const char* value : { "NaN", "inf", "-1" })
                QTest::addRow("%s %s", option, value) << QString::fromLatin1(option) << QString::fromLatin1(value);
    }
    void nonFiniteBudgetIsExplained()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        const Result r = djp({ QStringLiteral("run"), QStringLiteral("--offline"), option, value,
            QStringLiteral("--task"), QStringLiteral("t") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("must be a finite number >= 0")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("'%1'").arg(value)), qPrintable(r.err));
    }

    void trailingDataNamesItsByte()
    {
        QTemporaryDir work;
        const QString path = work.filePath(QStringLiteral("trailing.json"));
        const QByteArray doc = R"({"schema_version":"2.0","run_metadata":{"run_id":"a"}})";
        writeFile(path, doc + "  garbage");
        const Result r = djp({ QStringLiteral("validate"), path });
        QCOMPARE(r.exitCode, 1);
        // The garbage starts after the document and two spaces.
        QVERIFY2(r.out.contains(QStringLiteral("at byte %1").arg(doc.size() + 2)), qPrintable(r.out));
        QVERIFY2(!r.out.contains(QStringLiteral("at byte 0")), qPrintable(r.out));
    }

    void sameSizeEditWithOldMtimeIsReRead()
    {
        QTemporaryDir work;
        const QString runs = work.filePath(QStringLiteral("runs"));
        QVERIFY(QDir().mkpath(runs));
        const QString path = runs + QStringLiteral("/2026.11.28-100000-aaaaaaaa.json");
        QFile source(test::dataDir() + QStringLiteral("/artifacts/v2-example.json"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray original = source.readAll();
        QVERIFY(original.contains("payments service migration"));
        writeFile(path, original);
        const QStringList exportArgs { QStringLiteral("export"), QStringLiteral("--runs-dir"), runs,
            QStringLiteral("--since"), QStringLiteral("all"), QStringLiteral("--format"), QStringLiteral("jsonl"),
            QStringLiteral("--out"), work.filePath(QStringLiteral("out.jsonl")) };
        const auto exported = [&] {
            QFile f(work.filePath(QStringLiteral("out.jsonl")));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        Result r = djp(exportArgs); // reads the file and writes the index
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(exported().contains("payments service migration"));

        // Same size, old mtime put back to the nanosecond (what `touch -d` does); only the ctime moves.
        const QByteArray native = QFile::encodeName(path);
        struct stat before;
        QVERIFY(::stat(native.constData(), &before) == 0);
        QByteArray edited = original;
        edited.replace("payments service migration", "payments service MIGRATION");
        QCOMPARE(edited.size(), original.size());
        writeFile(path, edited);
        const struct timespec times[2] = { before.st_atim, before.st_mtim };
        QVERIFY(::utimensat(AT_FDCWD, native.constData(), times, 0) == 0);
        struct stat after;
        QVERIFY(::stat(native.constData(), &after) == 0);
        QCOMPARE(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
        QCOMPARE(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
        QCOMPARE(after.st_size, before.st_size);
        QVERIFY(after.st_ctim.tv_sec != before.st_ctim.tv_sec || after.st_ctim.tv_nsec != before.st_ctim.tv_nsec);

        r = djp(exportArgs);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(exported().contains("payments service MIGRATION"), exported().constData());
    }

    void metricsAndValidateSeeTheSameFiles()
    {
        QTemporaryDir work;
        const QString runs = work.filePath(QStringLiteral("runs"));
        QVERIFY(QDir().mkpath(runs + QStringLiteral("/sub")));
        QFile source(test::dataDir() + QStringLiteral("/artifacts/v2-example.json"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray example = source.readAll();
        const QByteArray ts = "\"timestamp\": \"2026-11-28T10:00:00.125+01:00\"";
        QVERIFY(example.contains(ts));
        const QByteArray id = "3f9c2b1e-7a4d-4c8e-9b2a-5d6e7f801234";
        writeFile(runs + QStringLiteral("/good.json"), example);
        writeFile(runs + QStringLiteral("/sub/copy.json"), example); // same run_id under a second name
        // Timestamps the schema's pattern (or the 1.x layout) would let through but no reader can use.
        const QList<QPair<QString, QByteArray>> badTimes {
            { QStringLiteral("feb30.json"), "\"timestamp\": \"2026-02-30T10:00:00Z\"" },
            { QStringLiteral("offset.json"), "\"timestamp\": \"2026-11-28T10:00:00+25:00\"" },
            { QStringLiteral("yesterday.json"), "\"timestamp\": \"yesterday\"" },
            { QStringLiteral("number.json"), "\"timestamp\": 1764320400" },
        };
        int n = 0;
        for (const auto& [name, replacement] : badTimes) {
            QByteArray doc = example;
            doc.replace(ts, replacement);
            doc.replace(id, QByteArray("00000000-0000-0000-0000-00000000000").append(QByteArray::number(n++)));
            writeFile(runs + QLatin1Char('/') + name, doc);
        }
        const QByteArray dir = QFile::encodeName(runs);
        const auto at = [&](const char* name) { return QByteArray(dir).append('/').append(name); };
        QVERIFY(::mkfifo(at("fifo.json").constData(), 0600) == 0);
        QVERIFY(::symlink("/nonexistent/target.json", at("dangling.json").constData()) == 0);
        QVERIFY(::symlink("loop.json", at("loop.json").constData()) == 0);
        QVERIFY(::symlink("/dev/null", at("device.json").constData()) == 0);
        QVERIFY(::symlink(dir.constData(), at("folderlink.json").constData()) == 0);
        {
            const QByteArray raw = at("bad\xff"
                                      "name.json");
            FILE* f = std::fopen(raw.constData(), "wb");
            QVERIFY(f);
            std::fwrite(example.constData(), 1, size_t(example.size()), f);
            std::fclose(f);
        }
        // Decoys that are not candidates at all and must stay unmentioned by both.
        writeFile(runs + QStringLiteral("/notes.txt"), "hello");
        QVERIFY(::symlink("/nonexistent", at("dangling.txt").constData()) == 0);

        const Result m = djp({ QStringLiteral("metrics"), QStringLiteral("--runs-dir"), runs, QStringLiteral("--since"),
                                 QStringLiteral("all"), QStringLiteral("--json") },
            20000);
        QVERIFY2(m.finished && m.exitCode == 0, qPrintable(m.err));
        const auto j = nlohmann::json::parse(m.out.toStdString());
        QMap<QString, QString> metricsProblems; // path -> code
        for (const auto& p : j["problems"])
            metricsProblems.insert(QString::fromStdString(p["path"].get<std::string>()),
                QString::fromStdString(p["code"].get<std::string>()));
        // good + its copy counted once, plus the four runs whose time was dropped (all time only).
        QCOMPARE(j["runs_loaded"].get<int>(), 5);
        QCOMPARE(j["total_runs"].get<int>(), 5);

        const Result v = djp({ QStringLiteral("validate"), QStringLiteral("--runs-dir"), runs }, 20000);
        QVERIFY(v.finished);
        QCOMPARE(v.exitCode, 1);
        QMap<QString, QString> validateVerdicts; // path -> SKIPPED/INVALID/DUPLICATE/OK
        for (const QString& line : v.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const qsizetype space = line.indexOf(QLatin1Char(' '));
            const qsizetype colon = line.indexOf(QStringLiteral(": "));
            if (space < 0 || line.front().isDigit())
                continue;
            validateVerdicts.insert(
                line.mid(space + 1, (colon < 0 ? line.size() : colon) - space - 1), line.left(space));
        }

        const auto path = [&](const char* name) { return QString::fromUtf8(at(name)); };
        const QMap<QString, QString> expectedSkips {
            { path("fifo.json"), QStringLiteral("not_regular_file") },
            { path("dangling.json"), QStringLiteral("dangling_link") },
            { path("loop.json"), QStringLiteral("link_loop") },
            { path("device.json"), QStringLiteral("not_regular_file") },
            { path("folderlink.json"), QStringLiteral("not_regular_file") },
            { path("bad\xff"
                   "name.json"),
                QStringLiteral("bad_file_name") },
        };
        for (auto it = expectedSkips.begin(); it != expectedSkips.end(); ++it) {
            QVERIFY2(metricsProblems.value(it.key()) == it.value(),
                qPrintable(it.key() + " " + metricsProblems.value(it.key())));
            QVERIFY2(validateVerdicts.value(it.key()) == u"SKIPPED", qPrintable(it.key() + "\n" + v.out));
        }
        // The same copy is the duplicate in both: metrics orders by time then path, validate by path,
        // and the two files share their time, so both keep good.json.
        QCOMPARE(metricsProblems.value(path("sub/copy.json")), QStringLiteral("duplicate_run_id"));
        QCOMPARE(validateVerdicts.value(path("sub/copy.json")), QStringLiteral("DUPLICATE"));
        QCOMPARE(validateVerdicts.value(path("good.json")), QStringLiteral("OK"));
        QVERIFY(!metricsProblems.contains(path("good.json")));
        for (const auto& [name, replacement] : badTimes) {
            const QString p = runs + QLatin1Char('/') + name;
            QCOMPARE(metricsProblems.value(p), QStringLiteral("bad_timestamp"));
            QCOMPARE(validateVerdicts.value(p), QStringLiteral("INVALID"));
            QVERIFY2(v.out.contains(p + QStringLiteral(": /run_metadata/timestamp")), qPrintable(v.out));
        }
        // Exactly these entries, nothing else, in both.
        QCOMPARE(metricsProblems.size(), expectedSkips.size() + 1 + badTimes.size());
        QCOMPARE(validateVerdicts.size(), expectedSkips.size() + 2 + badTimes.size());
        QVERIFY(!v.out.contains(QStringLiteral("notes.txt")) && !v.out.contains(QStringLiteral("dangling.txt")));
        QVERIFY(!m.out.contains(QStringLiteral("notes.txt")) && !m.out.contains(QStringLiteral("dangling.txt")));
        // QTemporaryDir cannot remove a name that is not UTF-8; the links go too, before it walks them.
        for (const char* name : { "bad\xff"
                                  "name.json",
                 "fifo.json", "dangling.json", "loop.json", "device.json", "folderlink.json", "dangling.txt" })
            ::unlink(at(name).constData());
    }

    void missingGroundedCorpusIsAnError()
    {
        QTemporaryDir work;
        const Result r = djp(paidRun(work.filePath(QStringLiteral("runs")))
            << QStringLiteral("--grounded-corpus") << work.filePath(QStringLiteral("no-such-corpus")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("grounded corpus folder")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("does not exist")), qPrintable(r.err));
        QCOMPARE(m_server->requestCount(), 0);
        writeFile(work.filePath(QStringLiteral("corpus.txt")), "a file, not a folder");
        const Result f = djp(paidRun(work.filePath(QStringLiteral("runs")))
            << QStringLiteral("--grounded-corpus") << work.filePath(QStringLiteral("corpus.txt")));
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(f.err.contains(QStringLiteral("is not a directory")), qPrintable(f.err));
        QCOMPARE(m_server->requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliHardening)
#include "tst_cli_hardening.moc"
