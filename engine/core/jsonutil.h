#pragma once
// Small helpers around nlohmann::json used across the engine (DOM paths: inspector, writer,
// config files). The bulk scan path uses simdjson instead (artifact/).
#include <QByteArray>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

namespace djp {

using Json = nlohmann::json;

// Parses strict RFC 8259 JSON (no comments, no NaN). On failure returns nullopt and fills *error.
std::optional<Json> parseJson(const QByteArray& bytes, QString* error = nullptr);
// The same for a document whose top level must be an object; `shape` describes that object in the error
// ("top level must be an object" + shape), e.g. " of model name -> prices".
std::optional<Json> parseJsonObject(const QByteArray& bytes, QString* error, const QString& shape = {});

inline QString jsonString(const Json& j, const char* key, const QString& fallback = {})
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return fallback;
    return QString::fromStdString(it->get<std::string>());
}

inline double jsonNumber(const Json& j, const char* key, double fallback = 0.0)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return fallback;
    return it->get<double>();
}

} // namespace djp
