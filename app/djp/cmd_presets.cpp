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

int presetsCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the run presets (bundled and from the config dir)."));
    addCommonOptions(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print JSON.") });
    int exitCode = Ok;
    if (!parseOrExplain(parser, args, exitCode))
        return exitCode;
    Json all = Json::array();
    if (!parser.isSet(QStringLiteral("json")))
        out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
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
    for (const QString& name : presetNames()) {
        QString error;
        const auto p = loadPreset(name, &error);
        if (!p) {
            err() << "djp: " << error << "\n";
            exitCode = Failure;
            continue;
        }
        if (parser.isSet(QStringLiteral("json"))) {
            all.push_back(Json { { "name", ss(p->name) }, { "description", ss(p->description) },
                { "max_tokens", optJson(p->maxTokens) }, { "temperature", optJson(p->temperature) },
                { "fastpath", optJson(p->fastpath) }, { "max_debaters", optJson(p->maxDebaters) },
                { "timeout_s", optJson(p->timeoutS) }, { "margin_threshold", optJson(p->marginThreshold) },
                { "require_citations", optJson(p->requireCitations) }, { "seed", optJson(p->seed) },
                { "policy", optJson(p->policy) }, { "origin", ss(p->origin) } });
            continue;
        }
        out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10\n")
                     .arg(p->name, -14)
                     .arg(opt(p->maxTokens), 7)
                     .arg(opt(p->temperature), 5)
                     .arg(opt(p->fastpath), 8)
                     .arg(opt(p->maxDebaters), 8)
                     .arg(opt(p->timeoutS), 7)
                     .arg(opt(p->marginThreshold), 6)
                     .arg(opt(p->requireCitations), 5)
                     .arg(opt(p->seed), 6)
                     .arg(opt(p->policy));
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << qs(all.dump(2)) << "\n";
    out().flush();
    err().flush();
    return exitCode;
}

int policiesCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the publishing policies (labels allowed to publish)."));
    addCommonOptions(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print JSON.") });
    int exitCode = Ok;
    if (!parseOrExplain(parser, args, exitCode))
        return exitCode;
    Json all = Json::array();
    for (const QString& name : policyNames()) {
        QString error;
        const auto p = loadPolicy(name, &error);
        if (!p) {
            err() << "djp: " << error << "\n";
            exitCode = Failure;
            continue;
        }
        if (parser.isSet(QStringLiteral("json"))) {
            Json allowed = Json::array();
            for (const QString& l : p->allowedModels)
                allowed.push_back(ss(l));
            all.push_back(
                Json { { "name", ss(p->name) }, { "description", ss(p->description) }, { "allowed_models", allowed },
                    { "preferred_vendor", ss(p->preferredVendor) }, { "origin", ss(p->origin) } });
            continue;
        }
        out() << p->name << " (preferred vendor: " << p->preferredVendor << ")\n";
        if (p->allowedModels.isEmpty())
            out() << "  (no model may publish: every run is advisory)\n";
        for (const QString& l : p->allowedModels)
            out() << "  " << l << "\n";
    }
    if (parser.isSet(QStringLiteral("json")))
        out() << qs(all.dump(2)) << "\n";
    out().flush();
    err().flush();
    return exitCode;
}

} // namespace

DJP_COMMAND("presets", "List run presets", presetsCommand);
DJP_COMMAND("policies", "List publishing policies", policiesCommand);

} // namespace djp::cli
