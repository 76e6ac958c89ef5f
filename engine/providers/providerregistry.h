#pragma once
// Provider registry (docs/providers.md): which API kind, base URL and environment variables serve a vendor.
// The bundled resources/providers.json is merged per vendor with <configDir>/providers.json, so a
// user file can add a vendor (e.g. a local OpenAI-compatible server) without copying the defaults.
//
// Keys are read from the environment when needed and only handed to the HTTP client; everything
// meant for display (KeyStatus, ProviderRoute) carries the name of the variable, never its value.
#include "providers/chattypes.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>

namespace djp {

struct ProviderSpec
{
    QString vendor;
    ApiKind api = ApiKind::OpenAiChat;
    QString baseUrl; // default base URL
    QStringList keyEnv; // tried in order; the first non-empty one wins
    QString baseUrlEnv; // overrides baseUrl when set and non-empty
    bool keyRequired = true;
};

// For the UI: "key set / not set" and which variable provided it.
struct KeyStatus
{
    bool set = false;
    QString envVar; // the variable that holds the key; empty when not set
};

// How calls for a label are served. Contains no secret.
// Why a route is served by the simulated provider (ProviderRoute::simulatedBecause).
enum class SimulationReason
{
    Offline, // offline: offline mode
    NoKey, // no_key: the vendor needs a key and none is set
    UnknownVendor, // unknown_vendor: no provider of that vendor is configured
    Registry, // registry: the registry itself routes the vendor to the simulator
};
template <>
inline constexpr std::array<VocabularyEntry<SimulationReason>, 4> kVocabulary<SimulationReason> { {
    { SimulationReason::Offline, QLatin1String("offline") },
    { SimulationReason::NoKey, QLatin1String("no_key") },
    { SimulationReason::UnknownVendor, QLatin1String("unknown_vendor") },
    { SimulationReason::Registry, QLatin1String("registry") },
} };

struct ProviderRoute
{
    QString vendor; // label prefix ("openai"); empty for a label without '/'
    QString apiModel; // label without the vendor prefix
    ApiKind api = ApiKind::Simulated; // the kind that will serve the call
    bool simulated = true;
    QString baseUrl; // real routes only
    QString simulatedBecause; // a SimulationReason id; empty if real
};

// "openai/gpt-4o" -> "openai"; labels without '/' have no vendor.
QString vendorOfLabel(const QString& label);
// "openai/gpt-4o" -> "gpt-4o"; "openai/meta-llama/Llama-3-8B" -> "meta-llama/Llama-3-8B".
QString apiModelName(const QString& label);

class ProviderRegistry
{
public:
    // Bundled registry merged with the user's override file. Problems (unreadable or invalid user
    // file) are appended to *problems; the bundled defaults then still apply.
    static ProviderRegistry loadDefault(QStringList* problems = nullptr);
    // Parses {"providers": {vendor: {api, base_url, key_env (string or array), base_url_env, key_required}}}.
    static std::optional<ProviderRegistry> fromJson(const QByteArray& json, QString* error = nullptr);

    // Vendors of `other` replace same-named vendors here; new ones are added.
    void merge(const ProviderRegistry& other);
    void insert(ProviderSpec spec);

    QStringList vendors() const;
    const ProviderSpec* find(const QString& vendor) const;

    KeyStatus keyStatus(const QString& vendor) const;
    // Effective base URL (environment override or default), without a trailing slash.
    QString baseUrl(const QString& vendor) const;
    ProviderRoute route(const QString& label, bool offline) const;

    // The secret itself. Only the HTTP transport calls this; never log, store or display the result.
    QByteArray apiKey(const QString& vendor) const;

private:
    std::map<QString, ProviderSpec> m_specs;
};

} // namespace djp
