// djp presets / djp policies (docs/cli.md): what the bundled and user JSON files define.
#include "cli.h"

#include "core/jsonutil.h"
#include "core/strings.h"
#include "pipeline/presets.h"

namespace djp::cli {
namespace {

template <typename T> QString opt(const std::optional<T>& v)
{
    if (!v)
        return QStringLiteral("-");
    if constexpr (std::is_same_v<T, bool>)
        return *v ? QStringLiteral("yes") : QStringLiteral("no");
    else if constexpr (std::is_same_v<T, QString>)
        return *v;
    else
        return QString::number(*v);
}

template <typename T> Json optJson(const std::optional<T>& v)
{
    if (!v)
        return nullptr;
    if constexpr (std::is_same_v<T, QString>)
        return ss(*v);
    else
        return *v;
}

// `djp presets` and `djp policies`: every named item loaded, then printed as text or collected into
// one JSON array; an item that cannot be loaded is reported and makes the exit code 1.
template <typename Names, typename Load, typename ToJson, typename Print>
int listCommand(const QStringList& args, const QString& description, const QString& textHeader, const Names& names,
    const Load& load, const ToJson& toJson, const Print& print)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    addCommonOptions(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print JSON.") });
    int exitCode = Ok;
    if (!parseOrExplain(parser, args, exitCode))
        return exitCode;
    const bool json = parser.isSet(QStringLiteral("json"));
    if (!json)
        out() << textHeader;
    Json all = Json::array();
    for (const QString& name : names()) {
        QString error;
        const auto item = load(name, &error);
        if (!item) {
            err() << "djp: " << error << "\n";
            exitCode = Failure;
            continue;
        }
        if (json)
            all.push_back(toJson(*item));
        else
            print(*item);
    }
    if (json)
        out() << qs(all.dump(2)) << "\n";
    out().flush();
    err().flush();
    return exitCode;
}

int presetsCommand(const QStringList& args)
{
    const QString header = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                               .arg(QStringLiteral("preset"), -14)
                               .arg(QStringLiteral("max_tok"), 7)
                               .arg(QStringLiteral("temp"), 5)
                               .arg(QStringLiteral("fastpath"), 8)
                               .arg(QStringLiteral("debaters"), 8)
                               .arg(QStringLiteral("timeout"), 7)
                               .arg(QStringLiteral("margin"), 6)
                               .arg(QStringLiteral("cites"), 5)
                               .arg(QStringLiteral("seed"), 6)
                               .arg(QStringLiteral("policy"));
    return listCommand(
        args, QStringLiteral("List the run presets (bundled and from the config dir)."), header, presetNames,
        [](const QString& name, QString* error) { return loadPreset(name, error); },
        [](const Preset& p) {
            return Json { { "name", ss(p.name) }, { "description", ss(p.description) },
                { "max_tokens", optJson(p.maxTokens) }, { "temperature", optJson(p.temperature) },
                { "fastpath", optJson(p.fastpath) }, { "max_debaters", optJson(p.maxDebaters) },
                { "timeout_s", optJson(p.timeoutS) }, { "margin_threshold", optJson(p.marginThreshold) },
                { "require_citations", optJson(p.requireCitations) }, { "seed", optJson(p.seed) },
                { "policy", optJson(p.policy) }, { "origin", ss(p.origin) } };
        },
        [](const Preset& p) {
            out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                         .arg(p.name, -14)
                         .arg(opt(p.maxTokens), 7)
                         .arg(opt(p.temperature), 5)
                         .arg(opt(p.fastpath), 8)
                         .arg(opt(p.maxDebaters), 8)
                         .arg(opt(p.timeoutS), 7)
                         .arg(opt(p.marginThreshold), 6)
                         .arg(opt(p.requireCitations), 5)
                         .arg(opt(p.seed), 6)
                         .arg(opt(p.policy));
        });
}

int policiesCommand(const QStringList& args)
{
    return listCommand(
        args, QStringLiteral("List the publishing policies (labels allowed to publish)."), QString(), policyNames,
        [](const QString& name, QString* error) { return loadPolicy(name, error); },
        [](const Policy& p) {
            Json allowed = Json::array();
            for (const QString& l : p.allowedModels)
                allowed.push_back(ss(l));
            return Json { { "name", ss(p.name) }, { "description", ss(p.description) }, { "allowed_models", allowed },
                { "preferred_vendor", ss(p.preferredVendor) }, { "origin", ss(p.origin) } };
        },
        [](const Policy& p) {
            out() << p.name << " (preferred vendor: " << p.preferredVendor << ")\n";
            if (p.allowedModels.isEmpty())
                out() << "  (no model may publish: every run is advisory)\n";
            for (const QString& l : p.allowedModels)
                out() << "  " << l << "\n";
        });
}

} // namespace

DJP_COMMAND("presets", "List run presets", presetsCommand);
DJP_COMMAND("policies", "List publishing policies", policiesCommand);

} // namespace djp::cli
