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

} // namespace djp
