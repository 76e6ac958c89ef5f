#include "artifact/schemavalidator.h"

#include "artifact/artifactscanner.h"
#include "artifact/artifacttimestamp.h"

#include "core/resources.h"
#include "core/strings.h"

#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <map>

namespace djp {

namespace {

QString escapePointerToken(const std::string& key)
{
    QString t = qs(key);
    t.replace(QLatin1Char('~'), QLatin1String("~0"));
    t.replace(QLatin1Char('/'), QLatin1String("~1"));
    return t;
}

const char* jsonTypeName(const Json& v)
{
    if (v.is_object())
        return "object";
    if (v.is_array())
        return "array";
    if (v.is_string())
        return "string";
    if (v.is_boolean())
        return "boolean";
    if (v.is_null())
        return "null";
    if (v.is_number_integer())
        return "integer";
    return "number";
}

bool isInteger(const Json& v)
{
    if (v.is_number_integer())
        return true;
    if (v.is_number_float()) {
        const double d = v.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

bool hasType(const Json& v, const std::string& type)
{
    if (type == "object")
        return v.is_object();
    if (type == "array")
        return v.is_array();
    if (type == "string")
        return v.is_string();
    if (type == "boolean")
        return v.is_boolean();
    if (type == "null")
        return v.is_null();
    if (type == "number")
        return v.is_number();
    if (type == "integer")
        return isInteger(v);
    return false;
}

QString brief(const Json& v)
{
    std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (s.size() > 60)
        s = s.substr(0, 57) + "...";
    return qs(s);
}

} // namespace

struct SchemaValidator::Impl
{
    Json schema;
    bool valid = false;
    mutable QMutex regexMutex; // the pattern cache is shared by concurrent validate() calls
    mutable QHash<QString, QRegularExpression> regexes;

    const Json* resolve(const Json& node) const
    {
        auto ref = node.find("$ref");
        if (ref == node.end() || !ref->is_string())
            return &node;
        const std::string target = ref->get<std::string>();
        if (target.rfind("#/", 0) != 0)
            return nullptr;
        try {
            return &schema.at(Json::json_pointer(target.substr(1)));
        } catch (const Json::exception&) {
            return nullptr;
        }
    }

    bool matches(const std::string& pattern, const std::string& text) const
    {
        QMutexLocker lock(&regexMutex);
        const QString p = qs(pattern);
        auto it = regexes.find(p);
        if (it == regexes.end())
            it = regexes.insert(p, QRegularExpression(p));
        return it->isValid() && it->match(qs(text)).hasMatch();
    }

    void check(const Json& node, const Json& value, const QString& pointer, std::vector<SchemaError>& errors,
        int refDepth) const
    {
        const auto add = [&](const QString& message) { errors.push_back({ pointer, message }); };
        if (node.is_boolean()) {
            if (!node.get<bool>())
                add(QStringLiteral("not allowed here"));
            return;
        }
        if (!node.is_object())
            return;
        if (node.contains("$ref")) {
            const Json* target = resolve(node);
            if (!target || refDepth > 64) {
                add(QStringLiteral("schema error: unresolvable $ref ") + brief(node["$ref"]));
                return;
            }
            check(*target, value, pointer, errors, refDepth + 1);
        }

        if (auto t = node.find("type"); t != node.end()) {
            bool ok = false;
            QStringList names;
            const auto consider = [&](const Json& n) {
                if (n.is_string()) {
                    names << qs(n.get<std::string>());
                    ok = ok || hasType(value, n.get<std::string>());
                }
            };
            if (t->is_array())
                for (const Json& n : *t)
                    consider(n);
            else
                consider(*t);
            if (!ok) {
                add(QStringLiteral("expected %1, got %2")
                        .arg(names.join(QLatin1String(" or ")), QLatin1String(jsonTypeName(value))));
                return; // the other keywords would only repeat the type mismatch
            }
        }
        if (auto e = node.find("enum"); e != node.end() && e->is_array()) {
            bool found = false;
            QStringList options;
            for (const Json& option : *e) {
                found = found || option == value;
                options << brief(option);
            }
            if (!found)
                add(QStringLiteral("%1 is not one of %2").arg(brief(value), options.join(QLatin1String(", "))));
        }
        if (auto c = node.find("const"); c != node.end() && *c != value)
            add(QStringLiteral("must be %1, got %2").arg(brief(*c), brief(value)));

        if (value.is_number()) {
            const double v = value.get<double>();
            if (auto m = node.find("minimum"); m != node.end() && m->is_number() && v < m->get<double>())
                add(QStringLiteral("%1 is below the minimum %2").arg(brief(value), brief(*m)));
            if (auto m = node.find("maximum"); m != node.end() && m->is_number() && v > m->get<double>())
                add(QStringLiteral("%1 is above the maximum %2").arg(brief(value), brief(*m)));
        }
        if (value.is_string()) {
            if (auto p = node.find("pattern");
                p != node.end() && p->is_string() && !matches(p->get<std::string>(), value.get<std::string>()))
                add(QStringLiteral("%1 does not match %2").arg(brief(value), qs(p->get<std::string>())));
        }
        if (value.is_object()) {
            if (auto r = node.find("required"); r != node.end() && r->is_array()) {
                for (const Json& key : *r)
                    if (key.is_string() && !value.contains(key.get<std::string>()))
                        add(QStringLiteral("missing required property \"%1\"").arg(qs(key.get<std::string>())));
            }
            const auto props = node.find("properties");
            const auto extra = node.find("additionalProperties");
            for (auto it = value.begin(); it != value.end(); ++it) {
                const QString child = pointer + QLatin1Char('/') + escapePointerToken(it.key());
                if (props != node.end() && props->is_object()) {
                    if (auto p = props->find(it.key()); p != props->end()) {
                        check(*p, it.value(), child, errors, refDepth);
                        continue;
                    }
                }
                if (extra != node.end()) {
                    if (extra->is_boolean() && !extra->get<bool>())
                        errors.push_back({ child, QStringLiteral("unexpected property \"%1\"").arg(qs(it.key())) });
                    else if (extra->is_object())
                        check(*extra, it.value(), child, errors, refDepth);
                }
            }
        }
        if (value.is_array()) {
            if (auto items = node.find("items"); items != node.end()) {
                for (std::size_t i = 0; i < value.size(); ++i)
                    check(*items, value[i], pointer + QLatin1Char('/') + QString::number(i), errors, refDepth);
            }
        }
    }
};

SchemaValidator::SchemaValidator(Json schema)
    : d(std::make_unique<Impl>())
{
    d->valid = schema.is_object();
    d->schema = std::move(schema);
}

SchemaValidator::~SchemaValidator() = default;
SchemaValidator::SchemaValidator(SchemaValidator&&) noexcept = default;
SchemaValidator& SchemaValidator::operator=(SchemaValidator&&) noexcept = default;

bool SchemaValidator::isValid() const
{
    return d && d->valid;
}

std::vector<SchemaError> SchemaValidator::validate(const Json& document) const
{
    std::vector<SchemaError> errors;
    if (!isValid()) {
        errors.push_back({ QString(), QStringLiteral("schema error: the schema is not a JSON object") });
        return errors;
    }
    d->check(d->schema, document, QString(), errors, 0);
    return errors;
}

const SchemaValidator* SchemaValidator::forSchemaVersion(const QString& schemaVersion)
{
    const QString major = schemaVersion.section(QLatin1Char('.'), 0, 0);
    QString file;
    if (major == QLatin1String("1"))
        file = QStringLiteral("schema/run-artifact-1.1.schema.json");
    else if (major == QLatin1String("2"))
        // 2.0 files as written by 0.1; 2.1 (usage buckets) and later minors against the 2.1 schema.
        file = schemaVersion.section(QLatin1Char('.'), 1, 1).toInt() >= 1
            ? QStringLiteral("schema/run-artifact-2.1.schema.json")
            : QStringLiteral("schema/run-artifact-2.0.schema.json");
    else
        return nullptr;

    static QMutex mutex;
    static std::map<QString, std::unique_ptr<SchemaValidator>> cache;
    QMutexLocker lock(&mutex);
    auto it = cache.find(file);
    if (it == cache.end()) {
        std::unique_ptr<SchemaValidator> v;
        if (const auto bytes = readResource(file)) {
            if (auto json = parseJson(*bytes))
                v = std::make_unique<SchemaValidator>(std::move(*json));
        }
        it = cache.emplace(file, std::move(v)).first;
    }
    return it->second && it->second->isValid() ? it->second.get() : nullptr;
}

std::vector<SchemaError> validateArtifact(const Json& document)
{
    const auto sv = document.is_object() ? document.find("schema_version") : document.end();
    if (!document.is_object() || sv == document.end() || !sv->is_string())
        return { { QStringLiteral("/schema_version"), QStringLiteral("missing or not a string") } };
    const QString version = qs(sv->get<std::string>());
    const SchemaValidator* validator = SchemaValidator::forSchemaVersion(version);
    if (!validator)
        return { { QStringLiteral("/schema_version"),
            QStringLiteral("no bundled schema for version \"%1\"").arg(version) } };
    std::vector<SchemaError> errors = validator->validate(document);
    // The schema's pattern lets through times that do not exist ("2026-02-30T10:00:00Z", "+25:00"),
    // and 1.x allows any string. The readers decide with parseArtifactTimestamp and drop what it
    // refuses, so validation applies that very function: one decision for both.
    const auto meta = document.find("run_metadata");
    if (meta != document.end() && meta->is_object()) {
        const auto ts = meta->find("timestamp");
        if (ts != meta->end()) {
            qint64 ms = 0;
            qint32 offset = 0;
            const std::string text = ts->is_string() ? ts->get<std::string>() : std::string();
            if (!ts->is_string() || !parseArtifactTimestamp(text, ms, offset)) {
                const QString pointer = QStringLiteral("/run_metadata/timestamp");
                const bool already = std::any_of(
                    errors.begin(), errors.end(), [&](const SchemaError& e) { return e.pointer == pointer; });
                if (!already)
                    errors.push_back({ pointer,
                        QStringLiteral("not a valid date and time (readers would drop it): %1")
                            .arg(ts->is_string() ? QStringLiteral("\"%1\"").arg(qs(text)) : qs(ts->dump())) });
            }
        }
    }
    return errors;
}

} // namespace djp
