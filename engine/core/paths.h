#pragma once
#include <QString>

namespace djp {

// Runs directory precedence (docs/artifact-format.md): explicit option, then DJP_RUNS_DIR, then the GUI setting
// (passed in by the GUI; empty for the CLI), then ./runs. Returned as an absolute, clean path.
QString resolveRunsDir(const QString& explicitDir, const QString& guiSetting = {});

// Per-user folders. DJP_CONFIG_DIR / DJP_CACHE_DIR override them (tests, portable installs);
// otherwise the XDG locations of "djp-studio".
QString configDir();
QString cacheDir();

} // namespace djp
