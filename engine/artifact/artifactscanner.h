#pragma once
// Reading run artifacts (docs/artifact-format.md), the fast scan path: one file into a flat RunRecord
// (simdjson On Demand; no DOM kept). Every unusable file becomes a Problem instead of an exception. The
// full-document loader for the inspector, validate and replay is artifact/artifactdocument.h.
#include "artifact/problem.h"
#include "artifact/runrecord.h"

#include <QString>
#include <memory>
#include <optional>
#include <string_view>

namespace djp {

class StringInterner;

inline constexpr qint64 kMaxArtifactBytes = 64ll * 1024 * 1024; // larger files are "too_large"
inline constexpr int kMaxArtifactDepth = 128; // deeper nesting is "too_deep"

struct RecordParse
{
    std::optional<RunRecord> record; // set on success
    std::optional<Problem> problem; // set on failure
};

// One instance per thread (it owns reusable parser buffers); not thread-safe itself.
class ArtifactScanner
{
public:
    ArtifactScanner();
    ~ArtifactScanner();
    ArtifactScanner(const ArtifactScanner&) = delete;
    ArtifactScanner& operator=(const ArtifactScanner&) = delete;

    // Reads and parses a file; fills RunRecord::fileSize / fileMtimeMs and artifactFile.
    RecordParse readFile(const QString& absolutePath);
    // Parses bytes already in memory (no padding needed); `path` is used for the record and problems.
    RecordParse parse(const QString& path, std::string_view bytes);
    // The bulk path of the store: reads an already open regular file that a directory scan found to
    // hold `expectedSize` bytes straight into the scanner's buffer, with one read() in the usual
    // case, and parses it. nullopt when the file is not what the scan saw (empty, too large, grew,
    // shrank, read error): the caller then goes through readFile(), which classifies it.
    std::optional<RecordParse> readOpenFile(const QString& path, int fd, qint64 expectedSize);
    // The interner the records' repeated strings are shared through, for a caller that wants to
    // share more fields of the same records (it lives as long as the scanner).
    StringInterner& interner();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace djp
