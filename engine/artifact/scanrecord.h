#pragma once
// Internal to the artifact scanner: turns what the walk collected (artifactwalk.h) into a RunRecord, with
// the legacy defaults of docs/metrics.md for what a file leaves out (preset "manual", status "none", the
// advisory reason of a run that published nothing), exact nano-dollar cost sums and interned repeated
// strings. Called once per good file by ArtifactScanner, on the scanner's thread.
#include "artifact/artifactwalk.h"
#include "artifact/runrecord.h"

class QString;

namespace djp {
class LocalOffsetCache;
class StringInterner;
} // namespace djp

namespace djp::scan {

// Fills `r` (a default record) from `walk`; sorts walk.redactionTypes on the way.
void buildRunRecord(
    ArtifactWalk& walk, const QString& path, StringInterner& interner, LocalOffsetCache& localOffsets, RunRecord& r);

} // namespace djp::scan
