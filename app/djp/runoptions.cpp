#include "runoptions.h"

#include "team/teampush.h"

#include "cli.h"
#include "core/clock.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "pipeline/runengine.h"
#include "pricing/money.h"
#include "store/runstore.h"

#include <QCoreApplication>
#include <cmath>

namespace djp::cli {

namespace {

QCommandLineOption valueOption(const char* name, const char* help, const char* valueName)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(valueName));
}

template <typename T>
bool parseNumber(const QCommandLineParser& p, const char* name, std::optional<T>& into, QStringList* errors,
    bool nonNegative = false)
{
    const QString key = QString::fromLatin1(name);
    if (!p.isSet(key))
        return true;
    const QString text = p.value(key).trimmed();
    bool ok = false;
    if constexpr (std::is_same_v<T, double>)
        into = text.toDouble(&ok);
    else if constexpr (std::is_same_v<T, qint64>)
        into = text.toLongLong(&ok);
    else
        into = text.toInt(&ok);
    if (!ok) {
        errors->append(QStringLiteral("--%1: '%2' is not a number").arg(key, text));
        into.reset();
        return false;
    }
    if constexpr (std::is_same_v<T, double>) {
        // toDouble() accepts "nan" and "inf"; no option of a run means anything with them.
        if (!std::isfinite(*into)) {
            errors->append(QStringLiteral("--%1: '%2' is not allowed: it must be a finite number%3")
                               .arg(key, text, nonNegative ? QStringLiteral(" >= 0") : QString()));
            into.reset();
            return false;
        }
    }
    if (nonNegative && *into < 0) {
        errors->append(QStringLiteral("--%1: '%2' is not allowed: it must be a finite number >= 0").arg(key, text));
        into.reset();
        return false;
    }
    return true;
}

QString money(double usd)
{
    return formatUsd(usd);
}

} // namespace

void addRunOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        valueOption("task", "The task for the debaters (required).", "TEXT"),
        valueOption("preset", "Preset: quick, thorough, research, deterministic (see 'djp presets').", "NAME"),
        valueOption("policy", "Publishing policy: none, openai_only, openai_preferred (see 'djp policies').", "NAME"),
        valueOption("models", "Debater labels, comma-separated (vendor/model).", "L1,L2"),
        valueOption("judge-model", "Judge label (default openai/gpt-4o).", "LABEL"),
        valueOption("max-tokens", "Max output tokens per debater.", "N"),
        valueOption("temperature", "Debater temperature.", "T"),
        valueOption("max-debaters", "Upper bound on the number of debaters.", "N"),
        valueOption("require-citations", "Evidence items each draft must give.", "N"),
        valueOption("timeout-s", "Time bound of the whole debate, seconds.", "S"),
        valueOption("margin-threshold", "Second judge pass when the top two scores are closer than this.", "X"),
        valueOption("seed", "Seed for the judge's shuffle and the simulator.", "N"),
        valueOption("reasoning-effort", "reasoning_effort for OpenAI reasoning models (none..xhigh).", "LEVEL"),
        valueOption("thinking-budget", "Thinking tokens for Anthropic / Gemini models that can think (0 = off).", "N"),
        QCommandLineOption(QStringLiteral("fastpath"), QStringLiteral("Preferred vendor only.")),
        QCommandLineOption(QStringLiteral("no-fastpath"), QStringLiteral("Disable the preset's fastpath.")),
        valueOption("budget-usd", "Budget in USD (gate before the run, cap during it).", "USD"),
        valueOption("budget-tokens", "Budget in tokens.", "N"),
        valueOption("max-cost-usd", "Hard spending cap enforced during the run.", "USD"),
        valueOption("grounded-corpus", "Folder of .txt/.md documents for grounded mode.", "DIR"),
        valueOption("grounded-required", "Sources the published text must cite.", "N"),
        valueOption("redact", "Redact secrets and personal data in stored texts (default on).", "on|off"),
        valueOption("trace-name", "Name recorded with the run.", "NAME"),
        valueOption("metrics", "After the run, export the runs folder's records as CSV to PATH.", "PATH"),
        QCommandLineOption(
            QStringLiteral("offline"), QStringLiteral("Serve every vendor with the simulated provider.")),
        QCommandLineOption(QStringLiteral("quiet"), QStringLiteral("Print only the outcome.")),
    });
}

std::optional<RunRequest> runRequestFromOptions(const QCommandLineParser& p, QStringList* errors)
{
    RunRequest r;
    r.task = p.value(QStringLiteral("task"));
    const auto text = [&](const char* name, std::optional<QString>& into) {
        if (p.isSet(QString::fromLatin1(name)))
            into = p.value(QString::fromLatin1(name)).trimmed();
    };
    text("preset", r.preset);
    text("policy", r.policy);
    text("judge-model", r.judgeModel);
    text("grounded-corpus", r.groundedCorpus);
    text("trace-name", r.traceName);
    text("reasoning-effort", r.reasoningEffort);
    if (p.isSet(QStringLiteral("models"))) {
        QStringList labels;
        for (const QString& l : p.value(QStringLiteral("models")).split(QLatin1Char(','), Qt::SkipEmptyParts))
            labels << l.trimmed();
        r.models = labels;
    }
    parseNumber(p, "max-tokens", r.maxTokens, errors);
    parseNumber(p, "temperature", r.temperature, errors);
    parseNumber(p, "max-debaters", r.maxDebaters, errors);
    parseNumber(p, "require-citations", r.requireCitations, errors);
    parseNumber(p, "timeout-s", r.timeoutS, errors);
    parseNumber(p, "margin-threshold", r.marginThreshold, errors);
    parseNumber(p, "seed", r.seed, errors);
    parseNumber(p, "budget-usd", r.budgetUsd, errors, true);
    parseNumber(p, "budget-tokens", r.budgetTokens, errors, true);
    parseNumber(p, "max-cost-usd", r.maxCostUsd, errors, true);
    parseNumber(p, "grounded-required", r.groundedRequired, errors);
    parseNumber(p, "thinking-budget", r.thinkingBudget, errors);
    if (p.isSet(QStringLiteral("fastpath")))
        r.fastpath = true;
    if (p.isSet(QStringLiteral("no-fastpath")))
        r.fastpath = false;
    if (p.isSet(QStringLiteral("redact"))) {
        const QString v = p.value(QStringLiteral("redact")).trimmed().toLower();
        if (v == QLatin1String("on") || v == QLatin1String("true") || v == QLatin1String("1"))
            r.redact = true;
        else if (v == QLatin1String("off") || v == QLatin1String("false") || v == QLatin1String("0"))
            r.redact = false;
        else
            errors->append(QStringLiteral("--redact takes on or off, not '%1'").arg(v));
    }
    if (p.isSet(QStringLiteral("offline")))
        r.offline = true;
    if (!errors->isEmpty())
        return std::nullopt;
    return r;
}

void overlayExplicitOptions(RunRequest& base, const RunRequest& o)
{
    const auto take = [](auto& into, const auto& from) {
        if (from)
            into = from;
    };
    if (!o.task.isEmpty())
        base.task = o.task;
    take(base.preset, o.preset);
    take(base.policy, o.policy);
    take(base.models, o.models);
    take(base.judgeModel, o.judgeModel);
    take(base.maxTokens, o.maxTokens);
    take(base.temperature, o.temperature);
    take(base.maxDebaters, o.maxDebaters);
    take(base.requireCitations, o.requireCitations);
    take(base.timeoutS, o.timeoutS);
    take(base.marginThreshold, o.marginThreshold);
    take(base.seed, o.seed);
    take(base.fastpath, o.fastpath);
    take(base.budgetUsd, o.budgetUsd);
    take(base.budgetTokens, o.budgetTokens);
    take(base.maxCostUsd, o.maxCostUsd);
    take(base.groundedCorpus, o.groundedCorpus);
    take(base.groundedRequired, o.groundedRequired);
    take(base.redact, o.redact);
    take(base.traceName, o.traceName);
    take(base.offline, o.offline);
    take(base.reasoningEffort, o.reasoningEffort);
    take(base.thinkingBudget, o.thinkingBudget);
}

namespace {

void pushRunToTeam(const QString& artifactPath, const RunPrinting& printing)
{
    DbError e;
    PushSummary summary;
    std::optional<PgConnection> conn = PgConnection::open(printing.teamUrl, &e);
    if (conn && pushArtifactFiles(*conn, { artifactPath }, {}, &summary, &e) && summary.problems.empty()) {
        out() << "Team history: " << (summary.pushed > 0 ? "pushed to " : "already had this run: ")
              << conn->redactedUrl() << "\n";
        out().flush();
        return;
    }
    const QString why = !summary.problems.empty() ? summary.problems.front().detail : e.message;
    err() << "djp: the run is saved locally; the team history was not updated (" << why
          << "). Run `djp team push` later to catch up.\n";
    err().flush();
}

} // namespace

std::optional<RunRequest> runRequestOrExplain(const QCommandLineParser& parser)
{
    QStringList errors;
    auto request = runRequestFromOptions(parser, &errors);
    if (!request) {
        for (const QString& e : errors)
            err() << "djp: " << e << "\n";
        err().flush();
    }
    return request;
}

int executeRunFromOptions(
    const QCommandLineParser& parser, const RunRequest& request, const QString& command, RunPrinting printing)
{
    printing.quiet = parser.isSet(QStringLiteral("quiet"));
    printing.metricsPath = parser.value(QStringLiteral("metrics"));
    // Before any paid call: a run whose artifact cannot be written would lose its published text.
    const auto dir = writableRunsDir(parser, command);
    if (!dir)
        return Usage;
    return executeRun(request, *dir, printing);
}

int executeRun(const RunRequest& request, const QString& runsDir, const RunPrinting& printing)
{
    EngineOptions options;
    options.runsDir = runsDir;
    RunEngine engine(options);
    const RunOutcome outcome = runToCompletion(engine, request, [&](const RunEvent& e) {
        switch (e.kind) {
        case RunEvent::Kind::Planned:
            if (!printing.quiet || e.plan->blocked()) {
                out() << formatPlan(*e.plan);
                out().flush();
            }
            break;
        case RunEvent::Kind::StageStarted:
            if (!printing.quiet)
                err() << "[" << e.stage << "] started\n";
            break;
        case RunEvent::Kind::CallFinished: {
            if (printing.quiet)
                break;
            const CallAttempt& a = e.call.attempt;
            err() << "  " << a.stage << " " << a.label << " attempt " << a.attempt << ": " << a.status;
            if (a.httpStatus)
                err() << " (HTTP " << *a.httpStatus << ")";
            err() << ", " << describeUsage(a) << ", "
                  << (e.call.costUsd ? money(*e.call.costUsd) : QStringLiteral("cost unknown (unpriced)"));
            if (e.call.heldNano > 0)
                err() << ", " << money(static_cast<double>(e.call.heldNano) / 1e9) << " held (may have been billed)";
            if (a.reportedCostUsd)
                err() << ", provider says " << money(*a.reportedCostUsd);
            err() << ", " << a.latencyMs << " ms" << (a.simulated ? ", simulated" : "") << "\n";
            if (!a.error.isEmpty())
                err() << "    " << a.error << "\n";
            break;
        }
        case RunEvent::Kind::StageFinished:
            if (!printing.quiet)
                err() << "[" << e.stage << "] finished\n";
            break;
        default:
            break;
        }
        err().flush();
    });

    if (!outcome.errors.isEmpty() && !outcome.plan) {
        for (const QString& m : outcome.errors)
            err() << "djp: " << m << "\n";
        err().flush();
        return Usage;
    }
    if (outcome.blocked)
        return BlockedByBudget;

    out() << "Status: " << outcome.status << "\n";
    if (!outcome.provider.isEmpty())
        out() << "Provider: " << outcome.provider << "\n";
    if (!outcome.reason.isEmpty())
        out() << "Reason: " << outcome.reason << "\n";
    if (!outcome.note.isEmpty())
        out() << "Note: " << outcome.note << "\n";
    if (!outcome.judgeMethod.isEmpty())
        out() << "Judge: " << outcome.judgeMethod << "\n";
    out() << "Spent: " << money(outcome.measuredCostUsd)
          << (outcome.costComplete ? "" : " (incomplete: an unpriced model, a reply without usage or a held attempt)")
          << ", " << outcome.measuredTokens << " tokens, " << outcome.calls << " calls"
          << (outcome.simulated ? " (simulated)" : "") << "\n";
    if (outcome.heldUsd > 0.0)
        out() << "Held: " << money(outcome.heldUsd) << " for failed attempts that may have been billed\n";
    if (outcome.capExceeded)
        out() << "Cap exceeded by " << money(outcome.overrunUsd) << ": a provider reported more than was reserved\n";
    if (outcome.stoppedEarly)
        out() << "Stopped early: " << outcome.stopReason << "\n";
    if (outcome.cancelled)
        out() << "Cancelled\n";
    if (!outcome.artifactPath.isEmpty())
        out() << "Artifact: " << outcome.artifactPath << "\n";
    out().flush();
    for (const QString& m : outcome.errors)
        err() << "djp: " << m << "\n";
    err().flush();
    if (outcome.artifactPath.isEmpty())
        return Failure;

    if (printing.pushToTeam)
        pushRunToTeam(outcome.artifactPath, printing);

    if (!printing.metricsPath.isEmpty()) {
        LoadOptions load;
        load.runsDir = runsDir;
        const LoadResult loaded = loadRuns(load);
        RunFilter all;
        all.lastMs.reset();
        const auto indices = filterRuns(loaded.records, all, Clock::nowMs());
        QString error;
        if (!exportRunsToFile(printing.metricsPath, QStringLiteral("csv"), loaded.records, indices, &error)) {
            err() << "djp: --metrics: " << error << "\n";
            err().flush();
            return Failure;
        }
        if (!printing.quiet)
            out() << "Metrics: " << printing.metricsPath << " (" << indices.size() << " runs)\n";
        out().flush();
    }
    return Ok;
}

} // namespace djp::cli
