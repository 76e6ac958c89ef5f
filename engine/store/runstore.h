#pragma once
// The run store (SPEC §6): scans a runs directory recursively, parses artifacts in parallel into
// RunRecords, and keeps a persistent index (keyed by path, size, mtime) so unchanged files are not
// parsed again. Nothing here touches the GUI; the GUI calls loadRunsAsync() and gets chunks.
#include "artifact/problem.h"
#include "artifact/runrecord.h"

#include <QFuture>
#include <QString>
#include <atomic>
#include <functional>
#include <vector>

namespace djp {

struct LoadOptions
{
    QString runsDir;          // absolute path
    bool useIndex = true;     // false: neither read nor write the index (djp --no-index)
    QString indexPath;        // empty: default file under cacheDir() derived from runsDir
    int maxThreads = 0;       // 0: QThread::idealThreadCount()
    int chunkSize = 512;      // records per reported chunk
};

struct LoadStats
{
    qint64 filesSeen = 0;     // candidate files found by the scan
    qint64 parsedFiles = 0;   // files actually parsed this time
    qint64 indexedFiles = 0;  // files taken from the index unchanged
    qint64 problemCount = 0;
    qint64 elapsedMs = 0;
    bool cancelled = false;
};

struct LoadChunk
{
    std::vector<RunRecord> records;
    std::vector<Problem> problems;
    bool last = false;   // the final chunk (may be empty) carries the stats
    LoadStats stats;     // valid when last
};

struct LoadResult
{
    std::vector<RunRecord> records; // sorted by timestamp ascending (runs without one first), then path
    std::vector<Problem> problems;  // sorted by path
    LoadStats stats;
};

// Synchronous load (CLI, bench, tests). `progress(done, total)` is called from worker threads.
LoadResult loadRuns(const LoadOptions& options, const std::atomic_bool* cancel = nullptr,
                    const std::function<void(qint64 done, qint64 total)>& progress = {});

// Asynchronous load for the GUI: each result is a LoadChunk; QFuture progress is files done of
// total; cancelling the future stops the load between files. The last chunk has last == true.
QFuture<LoadChunk> loadRunsAsync(const LoadOptions& options);

// Default index file for a runs directory (under cacheDir()).
QString defaultIndexPath(const QString& runsDir);

} // namespace djp
