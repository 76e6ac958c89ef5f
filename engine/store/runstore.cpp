#include "store/runstore.h"
#include "store/runsfolderrepair.h"

#include "artifact/artifactscanner.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/stringinterner.h"
#include "store/dirscan.h"
#include "store/runindex.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QPromise>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <limits>
#include <mutex>
#include <unistd.h>

namespace djp {

using namespace store;

namespace {

struct ParsedRecord
{
    qint32 scan; // index into the directory scan
    RunRecord record;
};

struct ParsedProblem
{
    qint32 scan; // index into the directory scan, or -1 (not a file: an unreadable folder)
    Problem problem;
};

struct WorkChunk
{
    std::vector<ParsedRecord> records;
    std::vector<ParsedProblem> problems;
    qint64 files = 0;
    qint64 bytes = 0;
};

// Receives the load's output on the coordinating thread.
class Sink
{
public:
    virtual ~Sink() = default;
    virtual void started(qint64 total) = 0;
    virtual void chunk(WorkChunk&& c, qint64 done, qint64 total) = 0;
    virtual void finished(const LoadStats& stats) = 0;
};

// ArtifactScanner already shares the low-cardinality fields (status, preset, labels...) in its
// interner; tasks and trace names repeat too in real histories (scheduled runs), so share those in
// the same interner as well.
void internRecord(StringInterner& in, RunRecord& r)
{
    in.intern(r.task);
    in.intern(r.traceName);
}

// Opens the file relative to the open root (the kernel walks only the relative part of the path)
// and lets the scanner read it into its own buffer with one read(): the size is known from the scan,
// so no stat. Anything unusual (too large, grew or shrank meanwhile, I/O error) goes through
// ArtifactScanner::readFile so the scanner alone classifies problems.
RecordParse parseFile(
    ArtifactScanner& scanner, int rootFd, const QString& path, const ScannedFile& f, qint64& bytesRead)
{
    if (f.size > 0 && f.size <= kMaxArtifactBytes) {
        const int fd = ::openat(rootFd, f.rel.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            std::optional<RecordParse> parsed = scanner.readOpenFile(path, fd, f.size);
            ::close(fd);
            if (parsed) {
                bytesRead += f.size;
                return std::move(*parsed);
            }
        }
    } else if (f.size == 0) {
        const int fd = ::openat(rootFd, f.rel.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            char probe;
            const ssize_t n = ::read(fd, &probe, 1);
            ::close(fd);
            if (n == 0)
                return scanner.parse(path, std::string_view());
        }
    }
    return scanner.readFile(path);
}

// Open-addressing hash of the index keys by relative path: no allocation per entry, about twice as
// fast as std::unordered_map for the 100k lookups of a warm load.
class PathTable
{
public:
    explicit PathTable(const std::vector<IndexKey>& keys)
        : m_keys(keys)
    {
        size_t cap = 16;
        while (cap < keys.size() * 2)
            cap *= 2;
        m_mask = cap - 1;
        m_slots.assign(cap, -1);
        for (size_t k = 0; k < keys.size(); ++k) {
            size_t at = std::hash<std::string_view>()(keys[k].rel) & m_mask;
            while (m_slots[at] >= 0)
                at = (at + 1) & m_mask;
            m_slots[at] = qint32(k);
        }
    }
    qint32 find(std::string_view rel) const
    {
        for (size_t at = std::hash<std::string_view>()(rel) & m_mask;; at = (at + 1) & m_mask) {
            const qint32 k = m_slots[at];
            if (k < 0 || m_keys[size_t(k)].rel == rel)
                return k;
        }
    }

private:
    const std::vector<IndexKey>& m_keys;
    std::vector<qint32> m_slots;
    size_t m_mask = 0;
};

// Records in the canonical order (runOrderLess, runrecord.h). Sorts small (key, index) pairs
// and then permutes the records in place: moving 100k fat records inside std::sort is much slower.
void sortRecords(std::vector<RunRecord>& records)
{
    std::vector<std::pair<qint64, quint32>> order(records.size());
    for (size_t i = 0; i < records.size(); ++i)
        order[i] = { runOrderKey(records[i]), quint32(i) };
    const auto less = [&](const auto& a, const auto& b) {
        return runOrderLess(a.first, records[a.second].artifactFile, b.first, records[b.second].artifactFile);
    };
    if (std::is_sorted(order.begin(), order.end(), less))
        return; // the usual warm load: the index hands records out in order
    std::sort(order.begin(), order.end(), less);
    std::vector<quint32> target(records.size()); // target[k] = source index for slot k
    for (size_t k = 0; k < order.size(); ++k)
        target[k] = order[k].second;
    std::vector<bool> done(records.size(), false);
    for (size_t start = 0; start < records.size(); ++start) {
        if (done[start] || target[start] == start)
            continue;
        RunRecord tmp = std::move(records[start]);
        size_t k = start;
        while (true) {
            done[k] = true;
            const size_t src = target[k];
            if (src == start) {
                records[k] = std::move(tmp);
                break;
            }
            records[k] = std::move(records[src]);
            k = src;
        }
    }
}

// A file copied under a second name (same run_id) is one run: the first record seen with a run_id is
// kept, later ones become duplicate_run_id problems. `seen` carries run_id -> kept path across calls.
void dropDuplicateRuns(std::vector<RunRecord>& records, std::vector<Problem>& problems, QHash<QString, QString>& seen)
{
    auto keep = records.begin();
    for (auto it = records.begin(); it != records.end(); ++it) {
        if (!it->runId.isEmpty()) {
            const auto first = seen.constFind(it->runId);
            if (first == seen.constEnd()) {
                seen.insert(it->runId, it->artifactFile);
            } else if (first.value() != it->artifactFile) {
                problems.push_back({ it->artifactFile, QStringLiteral("duplicate_run_id"),
                    QStringLiteral("same run_id as %1 (the run is counted once)").arg(first.value()) });
                continue;
            }
        }
        if (keep != it)
            *keep = std::move(*it);
        ++keep;
    }
    records.erase(keep, records.end());
}

void sortProblems(std::vector<Problem>& problems)
{
    std::sort(problems.begin(), problems.end(),
        [](const Problem& a, const Problem& b) { return a.path < b.path || (a.path == b.path && a.code < b.code); });
}

// The whole load. Runs on the calling thread; parsing goes to a local pool of `threads` threads.
void runLoad(const LoadOptions& options, int threads, const std::function<bool()>& cancelled, Sink& sink)
{
    auto log = logger("store");
    QElapsedTimer total;
    total.start();
    LoadStats stats;
    const QString root = QDir::cleanPath(QDir(options.runsDir).absolutePath());
    const QString prefix = root + QLatin1Char('/');
    const QString indexPath = options.indexPath.isEmpty() ? defaultIndexPath(root) : options.indexPath;
    const int chunkSize = std::max(1, options.chunkSize);

    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, threads));

    // Decode the index on the pool while this thread lists the directory: on two cores the two
    // halves of a warm load overlap almost perfectly.
    IndexReader index;
    bool indexOk = false;
    QString indexWhy;
    QFuture<void> indexRead;
    if (options.useIndex) {
        indexRead = QtConcurrent::run(&pool, [&] {
            QElapsedTimer t;
            t.start();
            indexOk = index.read(indexPath, root, &indexWhy);
            stats.indexReadMs = t.elapsed();
        });
    }
    // One walk lists the artifacts and the leftovers of interrupted writers and runs; those are put
    // right, and only when that changed files is the folder listed again (rare).
    std::vector<Problem> repaired;
    QElapsedTimer phase;
    phase.start();
    DirScanResult scan = scanRunsDir(root, cancelled, threads);
    if (options.repair && !scan.repairCandidates.empty()) {
        repaired = repairRunsFolder(root, options.nowMs > 0 ? options.nowMs : Clock::nowMs(), scan.repairCandidates);
        if (repairChangedFiles(repaired))
            scan = scanRunsDir(root, cancelled, threads);
    }
    stats.scanMs = phase.elapsed();
    indexRead.waitForFinished();
    stats.indexUsed = indexOk;
    if (options.useIndex && !indexOk)
        stats.indexNote = QStringLiteral("index not used: %1").arg(indexWhy);

    auto finish = [&] {
        stats.elapsedMs = total.elapsed();
        sink.finished(stats);
    };
    if (scan.rootMissing || !scan.rootError.isEmpty()) {
        stats.dirError = scan.rootMissing ? QStringLiteral("runs directory does not exist: %1").arg(root)
                                          : QStringLiteral("cannot read %1: %2").arg(root, scan.rootError);
        stats.cancelled = cancelled && cancelled();
        finish();
        return;
    }
    const std::vector<ScannedFile>& files = scan.files;
    stats.filesSeen = qint64(files.size());

    // Join the scan with the index on (path, size, mtime). Index hits are then handed out in the
    // index's record order (already sorted), problems after them.
    std::vector<std::pair<qint32, IndexKey>> fromIndex; // scan index, index entry
    std::vector<qint32> toParse;
    if (indexOk) {
        std::vector<qint32> scanOfKey(index.keys.size(), -1);
        const PathTable byPath(index.keys);
        for (size_t i = 0; i < files.size(); ++i) {
            const qint32 k = byPath.find(files[i].rel);
            if (k >= 0) {
                const IndexKey& key = index.keys[size_t(k)];
                if (key.size == files[i].size && key.mtimeNs == files[i].mtimeNs && key.ctimeNs == files[i].ctimeNs) {
                    scanOfKey[size_t(k)] = qint32(i);
                    continue;
                }
            }
            toParse.push_back(qint32(i));
        }
        fromIndex.reserve(files.size() - toParse.size());
        for (const qint32 k : index.recordKeys) {
            if (scanOfKey[size_t(k)] >= 0)
                fromIndex.emplace_back(scanOfKey[size_t(k)], index.keys[size_t(k)]);
        }
        for (size_t k = 0; k < index.keys.size(); ++k) {
            if (index.keys[k].problem && scanOfKey[k] >= 0)
                fromIndex.emplace_back(scanOfKey[k], index.keys[k]);
        }
    } else {
        toParse.resize(files.size());
        for (size_t i = 0; i < files.size(); ++i)
            toParse[i] = qint32(i);
    }
    const bool changed = !indexOk || !toParse.empty() || fromIndex.size() != index.keys.size();
    stats.indexedFiles = qint64(fromIndex.size());
    sink.started(stats.filesSeen);

    std::unique_ptr<IndexWriter> writer;
    if (options.useIndex && changed && !(cancelled && cancelled())) {
        writer = std::make_unique<IndexWriter>(indexPath);
        QString why;
        if (!writer->open(root, &why)) {
            stats.indexNote = QStringLiteral("cannot write index %1: %2").arg(indexPath, why);
            writer.reset();
        }
    }

    qint64 done = 0;
    qint64 writeNs = 0; // encoding + writing index blocks, spread over the load
    // Every chunk goes through here: into the new index, then to the sink.
    auto deliver = [&](WorkChunk&& c) {
        if (writer) {
            std::vector<const ScannedFile*> rf, pf;
            std::vector<const RunRecord*> rr;
            std::vector<const Problem*> pp;
            rf.reserve(c.records.size()), rr.reserve(c.records.size());
            for (const ParsedRecord& r : c.records)
                rf.push_back(&files[size_t(r.scan)]), rr.push_back(&r.record);
            for (const ParsedProblem& p : c.problems) {
                if (p.scan >= 0)
                    pf.push_back(&files[size_t(p.scan)]), pp.push_back(&p.problem);
            }
            QElapsedTimer t;
            t.start();
            writer->addBlock(rf, rr, pf, pp);
            writeNs += t.nsecsElapsed();
        }
        // problemCount counts files that are not runs; the problems below are about runs that were
        // loaded. Derived from the records (parsed or from the index) on every load, never stored.
        stats.problemCount += qint64(c.problems.size());
        for (const ParsedRecord& r : c.records) {
            if (r.record.timestampDropped)
                c.problems.push_back({ -1,
                    Problem { r.record.artifactFile, vocabularyId(ProblemCode::BadTimestamp),
                        QStringLiteral("run_metadata.timestamp is not a valid date and time; the run is counted "
                                       "only under \"all time\"") } });
        }
        done += c.files;
        sink.chunk(std::move(c), done, stats.filesSeen);
    };

    // Folders we could not list are problems too (they may hide runs); not files, so never indexed.
    // So is every entry the scan skipped (FIFOs, devices, dangling links, loops, bad names).
    if (!scan.unreadable.empty() || !scan.skipped.empty()) {
        WorkChunk c;
        for (const std::string& rel : scan.unreadable)
            c.problems.push_back({ -1,
                Problem { scannedPath(root, rel), vocabularyId(ProblemCode::IoError),
                    QStringLiteral("cannot list this folder") } });
        for (const SkippedEntry& e : scan.skipped)
            c.problems.push_back({ -1, Problem { scannedPath(root, e.rel), e.code, e.detail } });
        deliver(std::move(c));
    }

    if (!repaired.empty()) {
        WorkChunk c;
        for (Problem& p : repaired)
            c.problems.push_back({ -1, std::move(p) });
        deliver(std::move(c));
    }

    // The mapped file is no longer needed once the keys are joined (records own their strings).
    for (auto& entry : fromIndex)
        entry.second.rel = {};
    index.unmap();

    // Unchanged files: straight from the index, in chunks. Records come in slot order, so each
    // index block is freed once handed out: the records exist once, not twice, at the peak.
    for (size_t start = 0; start < fromIndex.size() && !(cancelled && cancelled()); start += size_t(chunkSize)) {
        WorkChunk c;
        const size_t end = std::min(fromIndex.size(), start + size_t(chunkSize));
        c.records.reserve(end - start);
        size_t lastSlot = 0;
        bool anyRecord = false;
        for (size_t k = start; k < end; ++k) {
            const auto& [scanIdx, key] = fromIndex[k];
            if (key.problem) {
                c.problems.push_back({ scanIdx, std::move(index.problems[size_t(key.slot)]) });
            } else {
                c.records.push_back({ scanIdx, std::move(index.record(size_t(key.slot))) });
                lastSlot = size_t(key.slot);
                anyRecord = true;
            }
        }
        c.files = qint64(end - start);
        deliver(std::move(c));
        if (anyRecord)
            index.releaseRecordsBefore(lastSlot + 1);
#ifdef __GLIBC__
        // glibc keeps freed blocks of this size in its heap (its mmap threshold grows after large
        // frees), so they would stay resident beside the records just handed out; giving the pages
        // back every few thousand records keeps the peak at one copy of the records.
        if ((start / size_t(chunkSize)) % 16 == 15)
            ::malloc_trim(0);
#endif
    }
    // The decoded index is no longer needed: free it and unmap the file before parsing (peak RSS).
    fromIndex = {};
    index.release();

    // Changed and new files: parsed on the pool, chunkSize files per work item; workers pull items
    // from a shared counter and push results to a queue this thread drains (index + sink).
    phase.restart();
    const size_t nChunks = (toParse.size() + size_t(chunkSize) - 1) / size_t(chunkSize);
    const int rootFd
        = nChunks > 0 ? ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (nChunks > 0 && !(cancelled && cancelled())) {
        std::atomic<size_t> nextChunk { 0 };
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<WorkChunk> queue;
        int running = int(std::min<size_t>(size_t(pool.maxThreadCount()), nChunks));
        const int workers = running;
        for (int w = 0; w < workers; ++w) {
            pool.start([&] {
                ArtifactScanner scanner;
                StringInterner& interner = scanner.interner();
                for (size_t c = nextChunk++; c < nChunks; c = nextChunk++) {
                    WorkChunk out;
                    const size_t end = std::min(toParse.size(), (c + 1) * size_t(chunkSize));
                    for (size_t k = c * size_t(chunkSize); k < end; ++k) {
                        if (cancelled && cancelled())
                            break;
                        const qint32 scanIdx = toParse[k];
                        const ScannedFile& f = files[size_t(scanIdx)];
                        const QString path = prefix + QString::fromUtf8(f.rel.data(), qsizetype(f.rel.size()));
                        RecordParse parsed = parseFile(scanner, rootFd, path, f, out.bytes);
                        ++out.files;
                        if (parsed.record) {
                            RunRecord& r = *parsed.record;
                            r.artifactFile = path;
                            r.fileSize = f.size;
                            r.fileMtimeMs = f.mtimeNs / 1000000;
                            internRecord(interner, r);
                            out.records.push_back({ scanIdx, std::move(r) });
                        } else {
                            Problem p = parsed.problem.value_or(
                                Problem { path, vocabularyId(ProblemCode::IoError), QStringLiteral("unreadable") });
                            p.path = path;
                            interner.intern(p.code);
                            out.problems.push_back({ scanIdx, std::move(p) });
                        }
                    }
                    {
                        std::lock_guard lock(mutex);
                        queue.push_back(std::move(out));
                    }
                    wake.notify_one();
                    if (cancelled && cancelled())
                        break;
                }
                std::lock_guard lock(mutex);
                --running;
                wake.notify_one();
            });
        }
        while (true) {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return !queue.empty() || running == 0; });
            if (queue.empty())
                break;
            WorkChunk c = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            stats.parsedFiles += c.files;
            stats.bytesParsed += c.bytes;
            deliver(std::move(c));
        }
        pool.waitForDone();
    }
    if (rootFd >= 0)
        ::close(rootFd);
    stats.parseMs = phase.elapsed();

    stats.cancelled = cancelled && cancelled();
    if (writer) {
        if (stats.cancelled) {
            writer->cancel(); // a partial index would be valid but is not worth delaying a cancel
        } else {
            phase.restart();
            QString why;
            stats.indexWritten = writer->commit(&why);
            stats.indexWriteMs = phase.elapsed() + writeNs / 1000000;
            if (!stats.indexWritten) {
                stats.indexNote = QStringLiteral("cannot write index %1: %2").arg(indexPath, why);
                log->warn("{}", stats.indexNote.toStdString());
            }
        }
    }
    log->debug("load {}: {} files, {} from index, {} parsed, {} problems, {} ms (scan {}, index {}, parse {}, "
               "write {})",
        root.toStdString(), stats.filesSeen, stats.indexedFiles, stats.parsedFiles, stats.problemCount, total.elapsed(),
        stats.scanMs, stats.indexReadMs, stats.parseMs, stats.indexWriteMs);
    finish();
}

class CollectSink : public Sink
{
public:
    explicit CollectSink(const std::function<void(qint64, qint64)>& progress)
        : m_progress(progress)
    { }
    LoadResult result;

    void started(qint64 total) override
    {
        result.records.reserve(size_t(total));
        if (m_progress)
            m_progress(0, total);
    }
    void chunk(WorkChunk&& c, qint64 done, qint64 total) override
    {
        for (ParsedRecord& r : c.records)
            result.records.push_back(std::move(r.record));
        for (ParsedProblem& p : c.problems)
            result.problems.push_back(std::move(p.problem));
        if (m_progress)
            m_progress(done, total);
    }
    void finished(const LoadStats& stats) override
    {
        // Sorted first (time, then path), so which copy of a duplicated run is kept does not depend on
        // the order the parse threads finished in.
        sortRecords(result.records);
        QHash<QString, QString> seen;
        dropDuplicateRuns(result.records, result.problems, seen);
        sortProblems(result.problems);
        result.stats = stats;
    }

private:
    std::function<void(qint64, qint64)> m_progress;
};

class PromiseSink : public Sink
{
public:
    explicit PromiseSink(QPromise<LoadChunk>& promise)
        : m_promise(promise)
    { }

    void started(qint64 total) override
    {
        m_promise.setProgressRange(0, int(std::min<qint64>(total, std::numeric_limits<int>::max())));
        m_promise.setProgressValue(0);
    }
    void chunk(WorkChunk&& c, qint64 done, qint64) override
    {
        LoadChunk out;
        auto records = std::make_shared<std::vector<RunRecord>>();
        records->reserve(c.records.size());
        for (ParsedRecord& r : c.records)
            records->push_back(std::move(r.record));
        out.problems.reserve(c.problems.size());
        for (ParsedProblem& p : c.problems)
            out.problems.push_back(std::move(p.problem));
        dropDuplicateRuns(*records, out.problems, m_runIds);
        out.records = std::move(records);
        m_promise.addResult(std::move(out));
        m_promise.setProgressValue(int(std::min<qint64>(done, std::numeric_limits<int>::max())));
    }
    void finished(const LoadStats& stats) override
    {
        LoadChunk last;
        last.last = true;
        last.stats = stats;
        m_promise.addResult(std::move(last));
    }

private:
    QPromise<LoadChunk>& m_promise;
    QHash<QString, QString> m_runIds; // across chunks: a duplicate may arrive in a later chunk
};

} // namespace

LoadResult loadRuns(const LoadOptions& options, const std::atomic_bool* cancel,
    const std::function<void(qint64 done, qint64 total)>& progress)
{
    CollectSink sink(progress);
    std::function<bool()> cancelled;
    if (cancel)
        cancelled = [cancel] { return cancel->load(std::memory_order_relaxed); };
    const int threads = options.maxThreads > 0 ? options.maxThreads : QThread::idealThreadCount();
    runLoad(options, threads, cancelled, sink);
    return std::move(sink.result);
}

QFuture<LoadChunk> loadRunsAsync(const LoadOptions& options)
{
    const int threads = options.maxThreads > 0 ? options.maxThreads : QThread::idealThreadCount();
    return QtConcurrent::run(QThreadPool::globalInstance(), [options, threads](QPromise<LoadChunk>& promise) {
        PromiseSink sink(promise);
        runLoad(
            options, threads, [&promise] { return promise.isCanceled(); }, sink);
    });
}

QString defaultIndexPath(const QString& runsDir)
{
    const QString root = QDir::cleanPath(QDir(runsDir).absolutePath());
    const QByteArray hash = QCryptographicHash::hash(root.toUtf8(), QCryptographicHash::Sha256).toHex().left(20);
    return cacheDir() + QStringLiteral("/run-index/") + QString::fromLatin1(hash) + QStringLiteral(".djpindex");
}

} // namespace djp
