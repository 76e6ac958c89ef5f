// djp run / djp project (docs/cli.md).
#include "cli.h"
#include "dboptions.h"
#include "runoptions.h"

#include "pipeline/runplanner.h"
#include "pricing/pricingtable.h"

namespace djp::cli {
namespace {

bool parseRun(const QStringList& args, const QString& description, QCommandLineParser& parser, RunRequest& request,
    int& exitCode, bool withDb = false)
{
    parser.setApplicationDescription(description);
    addCommonOptions(parser);
    addRunOptions(parser);
    if (withDb)
        addDbOption(parser);
    if (!parseOrExplain(parser, args, exitCode))
        return false;
    auto parsed = runRequestOrExplain(parser);
    if (!parsed) {
        exitCode = Usage;
        return false;
    }
    if (parsed->task.trimmed().isEmpty()) {
        err() << "djp: --task is required\n";
        err().flush();
        exitCode = Usage;
        return false;
    }
    request = *parsed;
    return true;
}

int runCommand(const QStringList& args)
{
    QCommandLineParser parser;
    RunRequest request;
    int exitCode = Ok;
    if (!parseRun(args, QStringLiteral("Run the Debate -> Judge -> Publish pipeline on a task."), parser, request,
            exitCode, true))
        return exitCode;
    RunPrinting printing;
    printing.pushToTeam = dbRequested(parser);
    printing.teamUrl = dbUrl(parser);
    return executeRunFromOptions(parser, request, QStringLiteral("djp run"), printing);
}

int projectCommand(const QStringList& args)
{
    QCommandLineParser parser;
    RunRequest request;
    int exitCode = Ok;
    if (!parseRun(args, QStringLiteral("Print a run's cost projection and budget verdict without running it."), parser,
            request, exitCode))
        return exitCode;
    QString pricingError;
    const PricingTable pricing = PricingTable::load(&pricingError);
    if (!pricingError.isEmpty())
        err() << "djp: " << pricingError << "\n";
    const PlanResult planned = planRun(request, pricing);
    if (!planned.plan) {
        for (const QString& e : planned.errors)
            err() << "djp: " << e << "\n";
        err().flush();
        return Usage;
    }
    out() << formatPlan(*planned.plan);
    out().flush();
    return planned.plan->blocked() ? BlockedByBudget : Ok;
}

} // namespace

DJP_COMMAND("run", "Run the pipeline on a task (projection, budget gate, debate, judge, publish)", runCommand);
DJP_COMMAND("project", "Print a run's cost projection and budget verdict only", projectCommand);

} // namespace djp::cli
