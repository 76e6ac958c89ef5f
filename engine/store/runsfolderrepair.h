#pragma once
// Cleans up after processes that died in the runs folder (docs/artifact-format.md, "Interrupted
// writes and runs"), before a load reads it. Both the GUI's load and every CLI read command go
// through the store, so this runs for all of them.
// - A hidden temp file of the artifact writer (".<name>.json.tmp-XXXXXX") at least a minute old that
//   holds a complete artifact (valid JSON, an object with schema_version and run_metadata) was
//   written and fsynced but not renamed: it is given its final, unique name.
// - An incomplete one older than an hour is removed (a younger one may still be being written).
// - An orphaned spend journal (".djp-journal-<run id>.jsonl" whose run's process is gone) becomes an
//   artifact with status none, reason interrupted, and the calls it recorded.
// Each thing done is reported as a Problem (codes below), so the UI and `djp metrics --json` list it.
#include "artifact/problem.h"

#include <QString>
#include <string>
#include <vector>

namespace djp {

// Codes: recovered_temp (detail: the new file name), removed_temp, kept_temp (incomplete, younger
// than an hour: left alone), recovered_interrupted_run (detail: the artifact and its call count),
// journal_error, repair_error.
std::vector<Problem> repairRunsFolder(const QString& runsDir, qint64 nowMs);
// The same for files a directory scan already found (store::DirScanResult::repairCandidates,
// relative to runsDir), so a load walks the folder only once.
std::vector<Problem> repairRunsFolder(const QString& runsDir, qint64 nowMs, const std::vector<std::string>& candidates);
// Whether a hidden file name is one of those leftovers (a writer temp file or a spend journal).
bool isRepairCandidateName(const QString& fileName);
// Whether a repair result changed the folder's files (recovered, removed), so a scan made before
// it is out of date.
bool repairChangedFiles(const std::vector<Problem>& done);

inline constexpr qint64 kStaleTempFileMs = 3600ll * 1000; // incomplete and older: removed
inline constexpr qint64 kSettledTempFileMs = 60ll * 1000; // complete and older: recovered

} // namespace djp
