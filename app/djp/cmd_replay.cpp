// djp replay FILE (docs/cli.md): runs an artifact's task again with the parameters it recorded.
#include "cli.h"
#include "runoptions.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "core/strings.h"

#include <QFileInfo>

namespace djp::cli {
namespace {

// The request an artifact recorded (2.0 files record everything; legacy 1.x files fewer fields).
RunRequest requestFromArtifact(const Json& doc)
{
    RunRequest r;
    const Json meta = doc.value("run_metadata", Json::object());
    r.task = jsonString(meta, "task");
    const Json p = meta.value("parameters", Json::object());
    const auto str = [&](const char* key, std::optional<QString>& into) {
        if (p.contains(key) && p[key].is_string() && !p[key].get<std::string>().empty())
            into = qs(p[key].get<std::string>());
    };
    const auto num = [&](const char* key, auto& into) {
        if (p.contains(key) && p[key].is_number())
            into = p[key].get<typename std::remove_reference_t<decltype(into)>::value_type>();
    };
    str("preset_name", r.preset);
    if (r.preset && *r.preset == QLatin1String("manual"))
        r.preset.reset();
    str("policy", r.policy);
    str("judge_model", r.judgeModel);
    str("grounded_corpus", r.groundedCorpus);
    str("trace_name", r.traceName);
    if (meta.contains("trace_name") && meta["trace_name"].is_string())
        r.traceName = qs(meta["trace_name"].get<std::string>());
    num("max_tokens", r.maxTokens);
    num("temperature", r.temperature);
    num("max_debaters", r.maxDebaters);
    num("require_citations", r.requireCitations);
    num("timeout_s", r.timeoutS);
    num("margin_threshold", r.marginThreshold);
    num("seed", r.seed);
    num("budget_usd", r.budgetUsd);
    num("budget_tokens", r.budgetTokens);
    num("max_cost_usd", r.maxCostUsd);
    num("grounded_required", r.groundedRequired);
    str("reasoning_effort", r.reasoningEffort);
    num("thinking_budget", r.thinkingBudget);
    if (p.contains("fastpath") && p["fastpath"].is_boolean())
        r.fastpath = p["fastpath"].get<bool>();
    if (p.contains("redact") && p["redact"].is_boolean())
        r.redact = p["redact"].get<bool>();
    if (p.contains("offline") && p["offline"].is_boolean())
        r.offline = p["offline"].get<bool>();
    QStringList debaters;
    for (const Json& l : p.value("debaters", Json::array()))
        if (l.is_string())
            debaters << qs(l.get<std::string>());
    if (!debaters.isEmpty())
        r.models = debaters;
    return r;
}

int replayCommand(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run an artifact's task again with its recorded parameters; options given here win."));
    addCommonOptions(parser);
    addRunOptions(parser);
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The run artifact to replay."));
    int exitCode = Ok;
    if (!parseOrExplain(parser, args, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err() << "djp replay: give exactly one artifact FILE\n";
        err().flush();
        return Usage;
    }
    const QString path = QFileInfo(parser.positionalArguments().constFirst()).absoluteFilePath();
    const ArtifactDocument doc = loadArtifactDocument(path);
    if (doc.problem) {
        err() << "djp replay: " << path << ": " << doc.problem->code << ": " << doc.problem->detail << "\n";
        err().flush();
        return Failure;
    }
    RunRequest request = requestFromArtifact(doc.json);
    const auto explicitOptions = runRequestOrExplain(parser);
    if (!explicitOptions)
        return Usage;
    overlayExplicitOptions(request, *explicitOptions);
    if (request.task.trimmed().isEmpty()) {
        err() << "djp replay: the artifact records no task\n";
        err().flush();
        return Failure;
    }
    return executeRunFromOptions(parser, request, QStringLiteral("djp replay"));
}

} // namespace

DJP_COMMAND("replay", "Re-run an artifact's task with its recorded parameters", replayCommand);

} // namespace djp::cli
