// Run store: parallel load, ordering, problems, the persistent index and the asynchronous loader.
#include "benchdata/syntheticartifacts.h"
#include "core/paths.h"
#include "store/runstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <set>

using namespace djp;

namespace {

// Every field of a record, so "same records" means same everything (incl. costByLabel).
QString digest(const RunRecord& r)
{
    QStringList parts { r.artifactFile, QString::number(r.timestampMs), QString::number(r.utcOffsetSeconds),
        QString::number(r.hasTimestamp), r.task, r.traceName, r.presetName, r.status, r.provider, r.winnerProvider,
        QString::number(r.tokensIn), QString::number(r.tokensOut), QString::number(r.totalTokens),
        QString::number(r.estCost, 'g', 17), QString::number(r.duration, 'g', 17), QString::number(r.numDrafts),
        QString::number(r.numRanked), QString::number(r.citationsRequired), QString::number(r.citationsOk),
        QString::number(r.grounded), QString::number(r.groundedRequired), QString::number(r.citationsCount),
        QString::number(r.redacted), QString::number(r.redactionCount), r.redactionTypes, r.advisoryReason,
        QString::number(r.maxTokens), QString::number(r.temperature, 'g', 17), QString::number(r.fastpath),
        QString::number(r.textLength), r.schemaVersion, r.runId, QString::number(r.simulated),
        QString::number(r.costComplete), r.budgetUsd ? QString::number(*r.budgetUsd, 'g', 17) : QStringLiteral("-"),
        r.budgetStatus, QString::number(r.stoppedEarly), r.judgeMethod, QString::number(r.calls),
        QString::number(r.failedCalls), QString::number(r.retries), QString::number(r.fileSize),
        QString::number(r.fileMtimeMs) };
    for (const auto& [label, cost] : r.costByLabel)
        parts << label << QString::number(cost, 'g', 17);
    return parts.join(QLatin1Char('|'));
}

QStringList digests(const LoadResult& res)
{
    QStringList out;
    for (const RunRecord& r : res.records)
        out << digest(r);
    for (const Problem& p : res.problems)
        out << p.path + QLatin1Char('|') + p.code + QLatin1Char('|') + p.detail;
    return out;
}

QStringList problemPaths(const LoadResult& res)
{
    QStringList out;
    for (const Problem& p : res.problems)
        out << p.path;
    return out;
}

bool writeFile(const QString& path, const std::string& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && f.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
}

LoadOptions opts(const QString& dir, bool useIndex = true)
{
    LoadOptions o;
    o.runsDir = dir;
    o.useIndex = useIndex;
    return o;
}

constexpr qint64 kEnd = 1767225600000; // 2026-01-01T00:00:00Z: fixed, so the data is reproducible

SyntheticOptions genOptions(int count, double corrupt)
{
    SyntheticOptions o;
    o.count = count;
    o.seed = 7;
    o.corruptShare = corrupt;
    o.noTimestampShare = 0.01;
    o.endMs = kEnd;
    return o;
}

} // namespace

class TestRunStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_cache;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_cache.isValid());
        qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8());
        QCOMPARE(cacheDir(), QDir::cleanPath(m_cache.path()));
    }

    void generatorIsDeterministic()
    {
        QTemporaryDir a, b, c;
        SyntheticOptions o = genOptions(60, 0.1);
        const SyntheticResult ra = writeSyntheticArtifacts(a.path(), o);
        const SyntheticResult rb = writeSyntheticArtifacts(b.path(), o);
        QVERIFY(ra.ok && rb.ok);
        QCOMPARE(ra.written, 60);
        QCOMPARE(ra.bytes, rb.bytes);
        o.seed = 8;
        const SyntheticResult rc = writeSyntheticArtifacts(c.path(), o);
        QVERIFY(rc.ok);
        QVERIFY(rc.bytes != ra.bytes);
        // Same names and same bytes for the same seed.
        const LoadResult la = loadRuns(opts(a.path(), false));
        const LoadResult lb = loadRuns(opts(b.path(), false));
        QCOMPARE(la.records.size(), lb.records.size());
        for (size_t i = 0; i < la.records.size(); ++i) {
            const QString rel = QDir(a.path()).relativeFilePath(la.records[i].artifactFile);
            QFile fa(a.filePath(rel)), fb(b.filePath(rel));
            QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
            QCOMPARE(fa.readAll(), fb.readAll());
        }
        // Real-sized files: ~12 KB on average.
        QVERIFY2(ra.bytes / ra.written > 9000 && ra.bytes / ra.written < 16000,
            qPrintable(QString::number(ra.bytes / ra.written)));
    }

    void parallelLoad()
    {
        QTemporaryDir dir;
        const SyntheticResult gen = writeSyntheticArtifacts(dir.path(), genOptions(3000, 0.02));
        QVERIFY(gen.ok);
        QVERIFY(gen.corruptFiles.size() > 30);
        QVERIFY(gen.legacyFiles > 500);

        LoadOptions o = opts(dir.path(), false);
        o.maxThreads = 2;
        o.chunkSize = 100;
        qint64 lastDone = -1, lastTotal = -1;
        std::atomic<int> calls { 0 };
        const LoadResult res = loadRuns(o, nullptr, [&](qint64 done, qint64 total) {
            ++calls;
            lastDone = done, lastTotal = total;
        });
        QCOMPARE(res.stats.filesSeen, 3000);
        QCOMPARE(res.stats.parsedFiles, 3000);
        QCOMPARE(res.stats.indexedFiles, 0);
        QCOMPARE(qint64(res.records.size()), 3000 - gen.corruptFiles.size());
        // Every corrupt file, plus a bad_timestamp problem for each loaded run whose time was dropped.
        QStringList expectedProblems = gen.corruptFiles + gen.badTimestampFiles;
        expectedProblems.sort();
        QVERIFY(!gen.badTimestampFiles.isEmpty());
        QCOMPARE(problemPaths(res), expectedProblems);
        for (const Problem& p : res.problems)
            QCOMPARE(p.code == QLatin1String("bad_timestamp"), gen.badTimestampFiles.contains(p.path));
        QCOMPARE(res.stats.problemCount, gen.corruptFiles.size()); // files that are not runs
        QVERIFY(calls > 1);
        QCOMPARE(lastDone, 3000);
        QCOMPARE(lastTotal, 3000);

        // Order: runs without a timestamp first, then by timestamp, ties by path.
        int noTs = 0;
        for (size_t i = 0; i < res.records.size(); ++i) {
            const RunRecord& r = res.records[i];
            QVERIFY(r.artifactFile.startsWith(QDir::cleanPath(dir.path()) + QLatin1Char('/')));
            if (!r.hasTimestamp) {
                QCOMPARE(int(i), noTs); // all of them before any timestamped run
                ++noTs;
            }
            if (i > 0) {
                const RunRecord& p = res.records[i - 1];
                if (p.hasTimestamp && r.hasTimestamp) {
                    QVERIFY(p.timestampMs <= r.timestampMs);
                    if (p.timestampMs == r.timestampMs)
                        QVERIFY(p.artifactFile < r.artifactFile);
                } else if (!p.hasTimestamp && !r.hasTimestamp) {
                    QVERIFY(p.artifactFile < r.artifactFile);
                }
            }
        }
        QCOMPARE(noTs, gen.noTimestamp);
        const auto legacy = std::count_if(res.records.begin(), res.records.end(),
            [](const RunRecord& r) { return r.schemaVersion == QLatin1String("1.1"); });
        QCOMPARE(int(legacy), gen.legacyFiles);

        // Thread count and chunking do not change the result.
        o.maxThreads = 1;
        o.chunkSize = 7;
        QCOMPARE(digests(loadRuns(o)), digests(res));
    }

    void indexSecondOpenParsesNothing()
    {
        QTemporaryDir dir, cache;
        const SyntheticResult gen = writeSyntheticArtifacts(dir.path(), genOptions(400, 0.05));
        QVERIFY(gen.ok);
        LoadOptions o = opts(dir.path());
        o.indexPath = cache.filePath(QStringLiteral("i.djpindex"));
        const LoadResult first = loadRuns(o);
        QCOMPARE(first.stats.parsedFiles, 400);
        QVERIFY(!first.stats.indexUsed);
        QVERIFY(first.stats.indexWritten);
        QVERIFY(QFileInfo::exists(o.indexPath));

        const LoadResult second = loadRuns(o);
        QVERIFY(second.stats.indexUsed);
        QCOMPARE(second.stats.parsedFiles, 0);
        QCOMPARE(second.stats.indexedFiles, 400);
        QVERIFY(!second.stats.indexWritten); // nothing changed: not rewritten
        // Records (every field) and the problems of bad files come back identical.
        QCOMPARE(digests(second), digests(first));
        QCOMPARE(second.stats.problemCount, gen.corruptFiles.size());
    }

    void indexReflectsChanges()
    {
        QTemporaryDir dir, cache;
        SyntheticOptions g = genOptions(300, 0.0);
        QVERIFY(writeSyntheticArtifacts(dir.path(), g).ok);
        LoadOptions o = opts(dir.path());
        o.indexPath = cache.filePath(QStringLiteral("i.djpindex"));
        const LoadResult before = loadRuns(o);
        QCOMPARE(before.records.size(), size_t(300));

        // Edit one (new content and size), touch one (same bytes, new mtime), delete one, add one.
        const QString edited = before.records[10].artifactFile;
        const QString touched = before.records[20].artifactFile;
        const QString deleted = before.records[30].artifactFile;
        const QString added = dir.filePath(QStringLiteral("sub/2026.01.02-030405-abcdef01.json"));
        std::string bytes = syntheticArtifactBytes(g, 999, false);
        const std::string oldTask = "\"task\": \"";
        const size_t at = bytes.find(oldTask);
        QVERIFY(at != std::string::npos);
        bytes.insert(at + oldTask.size(), "EDITED ");
        QVERIFY(writeFile(edited, bytes));
        QFile t(touched);
        QVERIFY(t.open(QIODevice::ReadWrite));
        QVERIFY(t.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
        t.close();
        QVERIFY(QFile::remove(deleted));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("sub"))));
        QVERIFY(writeFile(added, syntheticArtifactBytes(g, 1000, true)));

        const LoadResult after = loadRuns(o);
        QVERIFY(after.stats.indexUsed);
        QCOMPARE(after.stats.parsedFiles, 3);
        QCOMPARE(after.stats.indexedFiles, 297);
        QCOMPARE(after.records.size(), size_t(300));
        std::set<QString> paths;
        for (const RunRecord& r : after.records)
            paths.insert(r.artifactFile);
        QVERIFY(!paths.count(deleted));
        QVERIFY(paths.count(added));
        const auto it = std::find_if(
            after.records.begin(), after.records.end(), [&](const RunRecord& r) { return r.artifactFile == edited; });
        QVERIFY(it != after.records.end());
        QVERIFY2(it->task.startsWith(QLatin1String("EDITED ")), qPrintable(it->task));
        QVERIFY(after.stats.indexWritten);

        // The rewritten index knows the new state: the next open parses nothing.
        const LoadResult again = loadRuns(o);
        QCOMPARE(again.stats.parsedFiles, 0);
        QCOMPARE(again.stats.indexedFiles, 300);
        QCOMPARE(digests(again), digests(after));
    }

    void corruptIndexIsRebuilt_data()
    {
        QTest::addColumn<int>("how");
        QTest::newRow("garbage") << 0;
        QTest::newRow("truncated") << 1;
        QTest::newRow("flipped byte in a block") << 2;
        QTest::newRow("empty") << 3;
    }

    void corruptIndexIsRebuilt()
    {
        QFETCH(int, how);
        QTemporaryDir dir, cache;
        QVERIFY(writeSyntheticArtifacts(dir.path(), genOptions(200, 0.05)).ok);
        LoadOptions o = opts(dir.path());
        o.indexPath = cache.filePath(QStringLiteral("i.djpindex"));
        const LoadResult good = loadRuns(o);
        QVERIFY(good.stats.indexWritten);

        QFile f(o.indexPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        if (how == 0)
            bytes = QByteArray(4096, 'x');
        else if (how == 1)
            bytes.truncate(bytes.size() / 2);
        else if (how == 2)
            bytes[bytes.size() / 2 + 3] = char(bytes[bytes.size() / 2 + 3] ^ 0x5a); // same size, one bit pattern off
        else
            bytes.clear();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();

        const LoadResult rebuilt = loadRuns(o);
        QVERIFY(!rebuilt.stats.indexUsed);
        QVERIFY(!rebuilt.stats.indexNote.isEmpty());
        QCOMPARE(rebuilt.stats.parsedFiles, 200);
        QVERIFY(rebuilt.stats.indexWritten);
        QCOMPARE(digests(rebuilt), digests(good));
        const LoadResult warm = loadRuns(o);
        QVERIFY(warm.stats.indexUsed);
        QCOMPARE(warm.stats.parsedFiles, 0);
    }

    void indexOfAnotherDirIsIgnored()
    {
        QTemporaryDir a, b, cache;
        QVERIFY(writeSyntheticArtifacts(a.path(), genOptions(50, 0)).ok);
        QVERIFY(writeSyntheticArtifacts(b.path(), genOptions(50, 0)).ok);
        LoadOptions o = opts(a.path());
        o.indexPath = cache.filePath(QStringLiteral("shared.djpindex"));
        QVERIFY(loadRuns(o).stats.indexWritten);
        o.runsDir = b.path(); // same relative names, other folder: must not be trusted
        const LoadResult res = loadRuns(o);
        QVERIFY(!res.stats.indexUsed);
        QCOMPARE(res.stats.parsedFiles, 50);
        for (const RunRecord& r : res.records)
            QVERIFY(r.artifactFile.startsWith(QDir::cleanPath(b.path())));
    }

    void noIndexWritesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(writeSyntheticArtifacts(dir.path(), genOptions(50, 0)).ok);
        const QString idx = defaultIndexPath(dir.path());
        QVERIFY(idx.startsWith(cacheDir() + QLatin1Char('/')));
        QVERIFY(!QFileInfo::exists(idx));
        const LoadResult res = loadRuns(opts(dir.path(), false));
        QCOMPARE(res.records.size(), size_t(50));
        QVERIFY(!res.stats.indexWritten);
        QVERIFY(!QFileInfo::exists(idx));
        // With the index on, the default file appears under the cache dir; another folder gets another file.
        QVERIFY(loadRuns(opts(dir.path(), true)).stats.indexWritten);
        QVERIFY(QFileInfo::exists(idx));
        QVERIFY(defaultIndexPath(dir.path() + QStringLiteral("/../") + QFileInfo(dir.path()).fileName()) == idx);
        QVERIFY(defaultIndexPath(dir.path() + QStringLiteral("x")) != idx);
    }

    void candidatesAndMissingDir()
    {
        QTemporaryDir dir;
        QVERIFY(writeSyntheticArtifacts(dir.path(), genOptions(20, 0)).ok);
        const std::string one = syntheticArtifactBytes(genOptions(20, 0), 3, false);
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".hidden.json")), one));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("notes.txt")), one));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral(".git"))));
        QVERIFY(writeFile(dir.filePath(QStringLiteral(".git/x.json")), one));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("a/b/c"))));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a/b/c/deep.json")), one));
        const LoadResult res = loadRuns(opts(dir.path(), false));
        QCOMPARE(res.stats.filesSeen, 21);
        QCOMPARE(res.records.size(), size_t(21));

        const LoadResult missing = loadRuns(opts(dir.filePath(QStringLiteral("nope"))));
        QVERIFY(missing.records.empty());
        QVERIFY(missing.problems.empty());
        QVERIFY(!missing.stats.dirError.isEmpty());
        QVERIFY(!missing.stats.indexWritten);
    }

    void asyncChunksMatchSync()
    {
        QTemporaryDir dir, cache;
        QVERIFY(writeSyntheticArtifacts(dir.path(), genOptions(2000, 0.01)).ok);
        LoadOptions o = opts(dir.path());
        o.indexPath = cache.filePath(QStringLiteral("i.djpindex"));
        o.chunkSize = 128;
        const LoadResult sync = loadRuns(opts(dir.path(), false));

        for (int pass = 0; pass < 2; ++pass) { // cold (writes the index), then warm (from the index)
            QFutureWatcher<LoadChunk> watcher;
            std::vector<RunRecord> records;
            std::vector<Problem> problems;
            int chunks = 0, lastChunks = 0;
            LoadStats stats;
            connect(&watcher, &QFutureWatcher<LoadChunk>::resultsReadyAt, this, [&](int begin, int end) {
                for (int i = begin; i < end; ++i) {
                    const LoadChunk c = watcher.resultAt(i);
                    ++chunks;
                    records.insert(records.end(), c.records->begin(), c.records->end());
                    problems.insert(problems.end(), c.problems.begin(), c.problems.end());
                    if (c.last) {
                        ++lastChunks;
                        stats = c.stats;
                    }
                }
            });
            QSignalSpy finished(&watcher, &QFutureWatcher<LoadChunk>::finished);
            QSignalSpy progress(&watcher, &QFutureWatcher<LoadChunk>::progressValueChanged);
            watcher.setFuture(loadRunsAsync(o));
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
            QCOMPARE(lastChunks, 1);
            QVERIFY(chunks > 2);
            QCOMPARE(watcher.progressMaximum(), 2000);
            QCOMPARE(watcher.progressValue(), 2000);
            QVERIFY(!progress.isEmpty());
            QCOMPARE(stats.filesSeen, 2000);
            QCOMPARE(pass == 0 ? stats.parsedFiles : stats.indexedFiles, 2000);
            QCOMPARE(records.size(), sync.records.size());
            QCOMPARE(problems.size(), sync.problems.size());
            LoadResult asResult;
            asResult.records = std::move(records);
            asResult.problems = std::move(problems);
            // Chunks arrive in load order; the set (with every field) equals the sync result.
            QStringList a = digests(asResult), b = digests(sync);
            a.sort(), b.sort();
            QCOMPARE(a, b);
        }
    }

    void asyncCancelStopsEarly()
    {
        QTemporaryDir dir, cache;
        QVERIFY(writeSyntheticArtifacts(dir.path(), genOptions(5000, 0)).ok);
        LoadOptions o = opts(dir.path());
        o.indexPath = cache.filePath(QStringLiteral("i.djpindex"));
        o.chunkSize = 16;
        o.maxThreads = 1;
        QFutureWatcher<LoadChunk> watcher;
        qint64 received = 0;
        bool sawLast = false;
        connect(&watcher, &QFutureWatcher<LoadChunk>::resultsReadyAt, this, [&](int begin, int end) {
            for (int i = begin; i < end; ++i) {
                const LoadChunk c = watcher.resultAt(i);
                received += qint64(c.records->size());
                sawLast = sawLast || c.last;
            }
            watcher.cancel(); // as closing the window does
        });
        QSignalSpy finished(&watcher, &QFutureWatcher<LoadChunk>::finished);
        QFuture<LoadChunk> future = loadRunsAsync(o);
        watcher.setFuture(future);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        future.waitForFinished();
        QVERIFY(future.isCanceled());
        QVERIFY(!sawLast);
        QVERIFY2(received > 0 && received < 5000, qPrintable(QString::number(received)));
        QVERIFY(!QFileInfo::exists(o.indexPath)); // a cancelled load writes no index

        // The sync variant stops on its flag too, and reports it.
        std::atomic_bool cancel { false };
        const LoadResult res = loadRuns(opts(dir.path(), false), &cancel, [&](qint64 done, qint64) {
            if (done > 0)
                cancel = true;
        });
        QVERIFY(res.stats.cancelled);
        QVERIFY(res.records.size() < 5000);
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
