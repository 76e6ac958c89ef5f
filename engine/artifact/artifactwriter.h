#pragma once
// Writing run artifacts atomically (docs/artifact-format.md): a hidden temp file in the runs folder, fsync, then a
// rename that never replaces an existing file, then an fsync of the folder. A crash at any point
// leaves either no artifact or a complete one (plus, at worst, a hidden ".*.tmp-XXXXXX" file that
// readers ignore: see isArtifactCandidate() in store/dirscan.h).
#include "core/jsonutil.h"

#include <QDateTime>
#include <QString>

namespace djp {

// Writes `doc` (2-space indentation, trailing newline) as
//   <runsDir>/YYYY.MM.DD-HHMMSS-<first 8 hex digits of runId, dashes removed>.json
// using the local time of `timestamp`. When that name exists, "-2", "-3"... is appended before
// ".json"; nothing is ever overwritten. Creates runsDir if missing. Returns the absolute path of
// the file, or an empty string with *error set. Thread-safe (no shared state).
QString writeArtifact(const QString& runsDir, const Json& doc, const QString& runId, const QDateTime& timestamp,
    QString* error = nullptr);

// The file name writeArtifact() tries first (no folder, no suffix).
QString artifactFileName(const QString& runId, const QDateTime& timestamp);

// A new run id: a random (v4) UUID in lowercase, without braces.
QString newRunId();

} // namespace djp

namespace djp {

// Gives a complete artifact found under a temporary name (`tempPath`, in `runsDir`) its unique
// final name: artifactFileName()-style `name`, with "-2", "-3"... when taken; never overwrites.
// Returns the new absolute path, or empty with *error set.
QString adoptArtifactFile(
    const QString& tempPath, const QString& runsDir, const QString& name, QString* error = nullptr);

} // namespace djp
