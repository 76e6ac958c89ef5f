#pragma once
// Recursive listing of a runs directory with POSIX calls (openat/readdir/fstatat): at 100k entries
// this is several times faster than QDirIterator + QFileInfo (see docs/performance.md). Internal to
// the store; callable from any thread.
#include <QString>

#include <functional>
#include <string>
#include <vector>

namespace djp::store {

struct ScannedFile
{
    std::string rel; // path relative to the root, UTF-8, '/'-separated
    qint64 size = 0;
    qint64 mtimeNs = 0; // st_mtim in nanoseconds since the epoch
};

struct DirScanResult
{
    std::vector<ScannedFile> files; // artifact candidates (isArtifactCandidate), in no order
    std::vector<std::string> unreadable; // relative paths of sub-directories that could not be opened
    bool rootMissing = false; // the root does not exist or is not a directory
    QString rootError; // OS reason when the root could not be opened
};

// Lists candidate files under `root` (absolute). Hidden entries (leading '.') are skipped, files and
// folders alike; symbolic links to files are followed, symbolic links to folders are not (no loops).
DirScanResult scanRunsDir(const QString& root, const std::function<bool()>& cancelled = {});

// Absolute paths of `root` and every non-hidden sub-directory under it (for the watcher).
std::vector<QString> listDirectories(const QString& root);

} // namespace djp::store
