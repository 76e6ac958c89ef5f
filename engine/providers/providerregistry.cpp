#include "providers/providerregistry.h"

#include "core/jsonutil.h"
#include "core/paths.h"
#include "core/resources.h"
#include "core/strings.h"

#include <QFile>
#include <QFileInfo>

namespace djp {

namespace {

QString envValue(const QString& name)
{
    if (name.isEmpty())
        return {};
    return qEnvironmentVariable(name.toUtf8().constData()).trimmed();
}

std::optional<QByteArray> readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return f.readAll();
}

} // namespace

QString vendorOfLabel(const QString& label)
{
    const qsizetype slash = label.indexOf(u'/');
    return slash < 0 ? QString() : label.left(slash);
}

QString apiModelName(const QString& label)
{
    const qsizetype slash = label.indexOf(u'/');
    return slash < 0 ? label : label.mid(slash + 1);
}

std::optional<ProviderRegistry> ProviderRegistry::fromJson(const QByteArray& json, QString* error)
{
    auto fail = [&](const QString& why) -> std::optional<ProviderRegistry> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString parseError;
    const auto doc = parseJson(json, &parseError);
    if (!doc)
        return fail(QStringLiteral("invalid JSON: ") + parseError);
    if (!doc->is_object() || !doc->contains("providers") || !(*doc)["providers"].is_object())
        return fail(QStringLiteral("expected an object with a \"providers\" object"));
    ProviderRegistry reg;
    for (const auto& [vendor, entry] : (*doc)["providers"].items()) {
        const QString v = qs(vendor);
        if (!entry.is_object())
            return fail(QStringLiteral("provider \"%1\" is not an object").arg(v));
        ProviderSpec spec;
        spec.vendor = v;
        const auto api = apiKindFromName(jsonString(entry, "api"));
        if (!api)
            return fail(QStringLiteral("provider \"%1\": unknown api \"%2\"").arg(v, jsonString(entry, "api")));
        spec.api = *api;
        spec.baseUrl = jsonString(entry, "base_url");
        spec.baseUrlEnv = jsonString(entry, "base_url_env");
        if (auto it = entry.find("key_env"); it != entry.end()) {
            if (it->is_string())
                spec.keyEnv << qs(it->get<std::string>());
            else if (it->is_array())
                for (const auto& k : *it)
                    if (k.is_string())
                        spec.keyEnv << qs(k.get<std::string>());
        }
        if (auto it = entry.find("key_required"); it != entry.end() && it->is_boolean())
            spec.keyRequired = it->get<bool>();
        if (spec.api != ApiKind::Simulated && spec.baseUrl.isEmpty() && spec.baseUrlEnv.isEmpty())
            return fail(QStringLiteral("provider \"%1\" has neither base_url nor base_url_env").arg(v));
        reg.insert(std::move(spec));
    }
    return reg;
}

ProviderRegistry ProviderRegistry::loadDefault(QStringList* problems)
{
    ProviderRegistry reg;
    const QString bundled = QStringLiteral(":/djp/providers.json");
    if (auto bytes = readFile(bundled)) {
        if (auto parsed = fromJson(*bytes))
            reg = std::move(*parsed);
    }
    // readResource() returns the user's file when one exists; merge it over the bundled vendors.
    const QString origin = resourceOrigin(QStringLiteral("providers.json"));
    if (!origin.isEmpty() && origin != bundled) {
        QString error;
        const auto bytes = readResource(QStringLiteral("providers.json"));
        const auto user = bytes ? fromJson(*bytes, &error) : std::nullopt;
        if (user)
            reg.merge(*user);
        else if (problems)
            *problems << QStringLiteral("%1: %2").arg(origin, bytes ? error : QStringLiteral("cannot be read"));
    }
    return reg;
}

void ProviderRegistry::merge(const ProviderRegistry& other)
{
    for (const auto& [vendor, spec] : other.m_specs)
        m_specs[vendor] = spec;
}

void ProviderRegistry::insert(ProviderSpec spec)
{
    const QString vendor = spec.vendor;
    m_specs[vendor] = std::move(spec);
}

QStringList ProviderRegistry::vendors() const
{
    QStringList out;
    for (const auto& [vendor, spec] : m_specs)
        out << vendor;
    return out;
}

const ProviderSpec* ProviderRegistry::find(const QString& vendor) const
{
    auto it = m_specs.find(vendor);
    return it == m_specs.end() ? nullptr : &it->second;
}

KeyStatus ProviderRegistry::keyStatus(const QString& vendor) const
{
    if (const ProviderSpec* spec = find(vendor)) {
        for (const QString& var : spec->keyEnv)
            if (!envValue(var).isEmpty())
                return { true, var };
    }
    return {};
}

QString ProviderRegistry::baseUrl(const QString& vendor) const
{
    const ProviderSpec* spec = find(vendor);
    if (!spec)
        return {};
    QString url = envValue(spec->baseUrlEnv);
    if (url.isEmpty())
        url = spec->baseUrl;
    while (url.endsWith(u'/'))
        url.chop(1);
    return url;
}

ProviderRoute ProviderRegistry::route(const QString& label, bool offline) const
{
    ProviderRoute r;
    r.vendor = vendorOfLabel(label);
    r.apiModel = apiModelName(label);
    const ProviderSpec* spec = find(r.vendor);
    if (offline)
        r.simulatedBecause = vocabularyId(SimulationReason::Offline);
    else if (!spec)
        r.simulatedBecause = vocabularyId(SimulationReason::UnknownVendor);
    else if (spec->api == ApiKind::Simulated)
        r.simulatedBecause = vocabularyId(SimulationReason::Registry);
    else if (spec->keyRequired && !keyStatus(r.vendor).set)
        r.simulatedBecause = vocabularyId(SimulationReason::NoKey);
    if (!r.simulatedBecause.isEmpty())
        return r;
    r.api = spec->api;
    r.simulated = false;
    r.baseUrl = baseUrl(r.vendor);
    return r;
}

QByteArray ProviderRegistry::apiKey(const QString& vendor) const
{
    if (const ProviderSpec* spec = find(vendor)) {
        for (const QString& var : spec->keyEnv) {
            const QString v = envValue(var);
            if (!v.isEmpty())
                return v.toUtf8();
        }
    }
    return {};
}

} // namespace djp
