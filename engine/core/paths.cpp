#include "core/paths.h"

#include <QDir>
#include <QStandardPaths>

namespace djp {

namespace {
QString fromEnvOr(const char* var, QStandardPaths::StandardLocation loc)
{
    const QString env = qEnvironmentVariable(var);
    if (!env.isEmpty())
        return QDir::cleanPath(QDir(env).absolutePath());
    return QDir::cleanPath(QStandardPaths::writableLocation(loc) + QStringLiteral("/djp-studio"));
}
} // namespace

QString resolveRunsDir(const QString& explicitDir, const QString& guiSetting)
{
    QString dir = explicitDir;
    if (dir.isEmpty())
        dir = qEnvironmentVariable("DJP_RUNS_DIR");
    if (dir.isEmpty())
        dir = guiSetting;
    if (dir.isEmpty())
        dir = QStringLiteral("runs");
    return QDir::cleanPath(QDir(dir).absolutePath());
}

QString configDir() { return fromEnvOr("DJP_CONFIG_DIR", QStandardPaths::GenericConfigLocation); }
QString cacheDir() { return fromEnvOr("DJP_CACHE_DIR", QStandardPaths::GenericCacheLocation); }

} // namespace djp
