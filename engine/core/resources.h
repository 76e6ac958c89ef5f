#pragma once
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace djp {

// Bundled data files (resources/ in the source tree) are compiled into the binary under ":/djp/".
// A file of the same relative name in configDir() overrides the bundled one, so users can replace
// the pricing table, presets, policies, providers or redaction rules without rebuilding.
// `relative` is e.g. "pricing.json" or "presets/quick.json".
std::optional<QByteArray> readResource(const QString& relative);
// Where readResource() found the file (a filesystem path or a ":/djp/..." resource path); empty if none.
QString resourceOrigin(const QString& relative);
// Names of the *.json files in a resource folder (e.g. "presets"), bundled and user ones merged,
// sorted, without the folder prefix.
QStringList listResources(const QString& folder);

} // namespace djp
