#include "core/resources.h"

#include "core/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace djp {

QString resourceOrigin(const QString& relative)
{
    const QString user = configDir() + QLatin1Char('/') + relative;
    if (QFileInfo(user).isFile())
        return user;
    const QString bundled = QStringLiteral(":/djp/") + relative;
    if (QFileInfo::exists(bundled))
        return bundled;
    return {};
}

std::optional<QByteArray> readResource(const QString& relative)
{
    const QString origin = resourceOrigin(relative);
    if (origin.isEmpty())
        return std::nullopt;
    QFile f(origin);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return f.readAll();
}

QStringList listResources(const QString& folder)
{
    QSet<QString> names;
    for (const QString& base : QStringList { QStringLiteral(":/djp/") + folder, configDir() + QLatin1Char('/') + folder }) {
        const QDir dir(base);
        for (const QString& n : dir.entryList({ QStringLiteral("*.json") }, QDir::Files))
            names.insert(n);
    }
    QStringList out(names.begin(), names.end());
    out.sort();
    return out;
}

} // namespace djp
