#include "pipeline/presets.h"

#include "core/jsonutil.h"
#include "core/resources.h"
#include "core/strings.h"

#include <QRegularExpression>

namespace djp {

namespace {

QStringList namesIn(const QString& folder)
{
    QStringList names;
    for (QString n : listResources(folder)) {
        n.chop(5); // ".json"
        names.append(n);
    }
    return names;
}

bool validName(const QString& name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return re.match(name).hasMatch() && !name.startsWith(QLatin1Char('.'));
}

// Reads the JSON object of `folder/name.json`; on failure fills *error.
std::optional<Json> readObject(
    const QString& kind, const QString& folder, const QString& name, QString* error, QString* origin)
{
    const auto fail = [&](const QString& msg) -> std::optional<Json> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    const QStringList known = namesIn(folder);
    if (!validName(name) || !known.contains(name))
        return fail(QStringLiteral("Unknown %1 '%2' (available: %3)").arg(kind, name, known.join(QLatin1String(", "))));
    const QString rel = folder + QLatin1Char('/') + name + QLatin1String(".json");
    *origin = resourceOrigin(rel);
    const auto bytes = readResource(rel);
    if (!bytes)
        return fail(QStringLiteral("Cannot read %1 file %2").arg(kind, *origin));
    QString perr;
    auto j = parseJson(*bytes, &perr);
    if (!j || !j->is_object())
        return fail(QStringLiteral("Invalid %1 file %2: %3")
                        .arg(kind, *origin, j ? QStringLiteral("not a JSON object") : perr));
    return j;
}

// The file of a preset or policy with what both carry filled in: name, origin and description.
template <typename T>
std::optional<Json> readNamedObject(
    const QString& kind, const QString& folder, const QString& name, QString* error, T& out)
{
    auto j = readObject(kind, folder, name, error, &out.origin);
    if (j) {
        out.name = name;
        out.description = jsonString(*j, "description");
    }
    return j;
}

// Typed optional readers: absent or null -> nullopt; wrong type -> error.
template <typename T> bool readOpt(const Json& j, const char* key, std::optional<T>& out, QStringList& errors)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return true;
    if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean()) {
            errors.append(QStringLiteral("%1 must be true or false").arg(QLatin1String(key)));
            return false;
        }
        out = it->get<bool>();
    } else if constexpr (std::is_same_v<T, QString>) {
        if (!it->is_string()) {
            errors.append(QStringLiteral("%1 must be a string").arg(QLatin1String(key)));
            return false;
        }
        out = qs(it->get_ref<const std::string&>());
    } else if constexpr (std::is_integral_v<T>) {
        if (!it->is_number_integer()) {
            errors.append(QStringLiteral("%1 must be an integer").arg(QLatin1String(key)));
            return false;
        }
        out = it->get<T>();
    } else {
        if (!it->is_number()) {
            errors.append(QStringLiteral("%1 must be a number").arg(QLatin1String(key)));
            return false;
        }
        out = it->get<T>();
    }
    return true;
}

} // namespace

QStringList presetNames()
{
    return namesIn(QStringLiteral("presets"));
}
QStringList policyNames()
{
    return namesIn(QStringLiteral("policies"));
}

std::optional<Preset> loadPreset(const QString& name, QString* error)
{
    Preset p;
    const auto j = readNamedObject(QStringLiteral("preset"), QStringLiteral("presets"), name, error, p);
    if (!j)
        return std::nullopt;
    QStringList errors;
    readOpt(*j, "max_tokens", p.maxTokens, errors);
    readOpt(*j, "temperature", p.temperature, errors);
    readOpt(*j, "fastpath", p.fastpath, errors);
    readOpt(*j, "max_debaters", p.maxDebaters, errors);
    readOpt(*j, "timeout_s", p.timeoutS, errors);
    readOpt(*j, "margin_threshold", p.marginThreshold, errors);
    readOpt(*j, "require_citations", p.requireCitations, errors);
    readOpt(*j, "seed", p.seed, errors);
    readOpt(*j, "policy", p.policy, errors);
    readOpt(*j, "reasoning_effort", p.reasoningEffort, errors);
    readOpt(*j, "thinking_budget", p.thinkingBudget, errors);
    if (!errors.isEmpty()) {
        if (error)
            *error = QStringLiteral("Invalid preset file %1: %2").arg(p.origin, errors.join(QLatin1String("; ")));
        return std::nullopt;
    }
    return p;
}

std::optional<Policy> loadPolicy(const QString& name, QString* error)
{
    Policy p;
    const auto j = readNamedObject(QStringLiteral("policy"), QStringLiteral("policies"), name, error, p);
    if (!j)
        return std::nullopt;
    p.preferredVendor = jsonString(*j, "preferred_vendor", p.preferredVendor);
    auto it = j->find("allowed_models");
    bool ok = it != j->end() && it->is_array();
    if (ok) {
        for (const Json& m : *it) {
            if (!m.is_string()) {
                ok = false;
                break;
            }
            p.allowedModels.append(qs(m.get_ref<const std::string&>()));
        }
    }
    if (!ok) {
        if (error)
            *error = QStringLiteral("Invalid policy file %1: allowed_models must be an array of labels").arg(p.origin);
        return std::nullopt;
    }
    return p;
}

} // namespace djp
