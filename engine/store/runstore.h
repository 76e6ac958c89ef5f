#pragma once
// The run store (docs/architecture.md): scans a runs directory recursively, parses artifacts in parallel into
// RunRecords, and keeps a persistent index (keyed by path, size, mtime) so unchanged files are not
// parsed again. Nothing here touches the GUI; the GUI calls loadRunsAsync() and gets chunks.
#include "artifact/problem.h"
#include "artifact/runrecord.h"

#include <QFuture>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace djp {

struct LoadOptions
{
    QString runsDir; // absolute path
    bool useIndex = true; // false: neither read nor write the index (djp --no-index)
    QString indexPath; // empty: default file under cacheDir() derived from runsDir
    int maxThreads = 0; // 0: QThread::idealThreadCount()
    int chunkSize = 512; // records per reported chunk
    // Put right what interrupted writes and killed runs left (runsfolderrepair.h) before reading;
    // what was done is reported among the problems.
    bool repair = true;
    qint64 nowMs = 0; // "now" for the age of temp files (0: the current time)
};

struct LoadStats
{
    qint64 filesSeen = 0; // candidate files found by the scan
    qint64 parsedFiles = 0; // files actually parsed this time
    qint64 indexedFiles = 0; // files taken from the index unchanged
    qint64 problemCount = 0; // files that are not runs (listed bad_timestamp / duplicate_run_id problems
                             // about loaded runs are in LoadResult::problems only)
    qint64 elapsedMs = 0;
    bool cancelled = false;

    // Added by the store for diagnostics and `djp bench` (phases overlap: the index is read while
    // the directory is scanned).
    qint64 scanMs = 0; // recursive listing + stat
    qint64 indexReadMs = 0; // mapping and decoding the index
    qint64 parseMs = 0; // reading + parsing changed files
    qint64 indexWriteMs = 0; // encoding + writing the new index, incl. commit (0 when nothing changed)
    qint64 bytesParsed = 0; // bytes of the files parsed this time
    bool indexUsed = false; // a valid index was read
    bool indexWritten = false;
    QString indexNote; // why the index was not read or not written, for logs (empty when fine)
    QString dirError; // the runs directory is missing or unreadable (then there are no runs)
};

struct LoadChunk
{
    // Shared: a QFuture hands its results out by copy and keeps them until it is reset, so a chunk
    // that held its records by value was copied record by record on the receiving (GUI) thread and
    // existed twice until the load ended. Never null.
    std::shared_ptr<const std::vector<RunRecord>> records = std::make_shared<const std::vector<RunRecord>>();
    std::vector<Problem> problems;
    bool last = false; // the final chunk (may be empty) carries the stats
    LoadStats stats; // valid when last
};

struct LoadResult
{
    std::vector<RunRecord> records; // sorted by timestamp ascending (runs without one first), then path
    std::vector<Problem> problems; // sorted by path
    LoadStats stats;
};

// Synchronous load (CLI, bench, tests). `progress(done, total)` is called from worker threads.
// Thread use: the caller's thread coordinates; files are parsed on a dedicated QThreadPool of
// maxThreads threads (one ArtifactScanner each), chunkSize files at a time; `cancel` is checked
// between files. Files whose path, size and mtime match the index are not opened at all.
LoadResult loadRuns(const LoadOptions& options, const std::atomic_bool* cancel = nullptr,
    const std::function<void(qint64 done, qint64 total)>& progress = {});

// Asynchronous load for the GUI: each result is a LoadChunk; QFuture progress is files done of
// total; cancelling the future stops the load between files. The last chunk has last == true.
// Chunks come in load order (index hits first, then parsed files as they finish), not sorted: the
// receiver sorts (or uses a sorting proxy). maxThreads == 0 means idealThreadCount(), as loadRuns():
// the GUI thread mostly waits while a load runs, and what it does is done in small pieces
// (docs/gui.md), so keeping a core free for it only made the first load twice as long. The coordinating task runs on
// QThreadPool::globalInstance(); the options are copied, so the caller may go away after cancel() + waitForFinished().
QFuture<LoadChunk> loadRunsAsync(const LoadOptions& options);

// Default index file for a runs directory (under cacheDir()).
QString defaultIndexPath(const QString& runsDir);

} // namespace djp
