#pragma once
// Recursive listing of a runs directory with POSIX calls (openat/readdir/fstatat): at 100k entries
// this is several times faster than QDirIterator + QFileInfo (see docs/performance.md). The store
// and `djp validate` both list files through it, so they always see the same set; callable from any
// thread.
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
    // st_ctim: the inode change time, which `touch -d` cannot set back, so an edit that keeps the
    // size and restores the old mtime still changes the file's identity.
    qint64 ctimeNs = 0;
};

// An entry that looks like an artifact (or a folder that may hold some) but cannot be read as one.
struct SkippedEntry
{
    std::string rel; // as the bytes on disk (may not be valid UTF-8)
    QString code; // not_regular_file | dangling_link | link_loop | bad_file_name | io_error
    QString detail;
};

struct DirScanResult
{
    std::vector<ScannedFile> files; // artifact candidates (isArtifactCandidate), in no order
    std::vector<SkippedEntry> skipped; // candidates by name that are not readable files, in no order
    std::vector<std::string> unreadable; // relative paths of sub-directories that could not be opened
    // Hidden files (outside hidden folders) whose names are what interrupted writers and runs leave
    // behind (isRepairCandidateName), for repairRunsFolder: seen by the same walk, so a load lists
    // the folder once.
    std::vector<std::string> repairCandidates;
    bool rootMissing = false; // the root does not exist or is not a directory
    QString rootError; // OS reason when the root could not be opened
};

// Whether a directory entry is considered at all by readers: "*.json", not hidden (leading '.'),
// not a temp file written by ArtifactWriter, not the index.
bool isArtifactCandidate(const QString& fileName);

// Lists candidate files under `root` (absolute). The one rule every reader shares (metrics, alerts,
// export, the dashboard and validate):
// - hidden entries (leading '.') are ignored, files and folders alike, and so is anything whose name
//   fails isArtifactCandidate();
// - a candidate that is a regular file, or a symbolic link to one, is listed in `files`;
// - a candidate that is anything else is listed in `skipped` with the reason: a FIFO, device or
//   socket (or a link to one), a dangling link, a link loop, a link to a folder, or a name that is not
//   valid UTF-8 (which no path string can carry faithfully);
// - folders are entered, except through symbolic links (no loops, no escaping the tree); a folder
//   whose name is not valid UTF-8 is skipped and listed, one that cannot be opened goes to
//   `unreadable`.
// `statThreads` > 1 spreads the per-file stat calls (most of a large scan's time) over that many
// threads once the listing is done.
DirScanResult scanRunsDir(const QString& root, const std::function<bool()>& cancelled = {}, int statThreads = 1);

// Absolute paths of `root` and every non-hidden sub-directory under it (for the watcher).
std::vector<QString> listDirectories(const QString& root);

// The absolute path of a relative path from a scan, for messages and opening (lossy only for the
// invalid-UTF-8 names the scan skips anyway).
QString scannedPath(const QString& root, const std::string& rel);

} // namespace djp::store
