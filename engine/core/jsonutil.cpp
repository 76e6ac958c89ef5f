#include "core/jsonutil.h"

namespace djp {

std::optional<Json> parseJson(const QByteArray& bytes, QString* error)
{
    try {
        return Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, true, false);
    } catch (const Json::exception& e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return std::nullopt;
    }
}

std::optional<Json> parseJsonObject(const QByteArray& bytes, QString* error, const QString& shape)
{
    QString parseError;
    std::optional<Json> doc = parseJson(bytes, &parseError);
    if (doc && doc->is_object())
        return doc;
    if (error)
        *error = doc ? QStringLiteral("top level must be an object") + shape
                     : QStringLiteral("not valid JSON: ") + parseError;
    return std::nullopt;
}

} // namespace djp
