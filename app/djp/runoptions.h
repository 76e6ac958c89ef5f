#pragma once
// Options shared by `djp run`, `djp project` and `djp replay` (docs/cli.md), and the code that runs a
// request and prints its progress and outcome.
#include "pipeline/runrequest.h"

#include <QCommandLineParser>
#include <optional>

namespace djp::cli {

void addRunOptions(QCommandLineParser& parser);
// Builds the request from the parsed options; nullopt with messages in *errors on bad values.
std::optional<RunRequest> runRequestFromOptions(const QCommandLineParser& parser, QStringList* errors);
// Options given explicitly on the command line replace those of `base` (used by replay).
void overlayExplicitOptions(RunRequest& base, const RunRequest& explicitOptions);

struct RunPrinting
{
    bool quiet = false;
    QString metricsPath; // --metrics: CSV of the runs folder written after the run
    // --db: after the artifact is written locally, push it to the team history. A failed push leaves
    // the run intact (exit code unchanged) and says so; the next `djp team push` catches up.
    bool pushToTeam = false;
    QString teamUrl;
};

// Runs the request to completion, printing the plan, stage progress and the outcome. Returns the
// exit code: 0 ran (whatever the publish status), 1 runtime failure, 2 bad options, 3 blocked.
int executeRun(const RunRequest& request, const QString& runsDir, const RunPrinting& printing);

// runRequestFromOptions() for a command: nullopt after printing each bad value ("djp: ...").
std::optional<RunRequest> runRequestOrExplain(const QCommandLineParser& parser);
// What `djp run` and `djp replay` do once the request is known: --quiet and --metrics into
// `printing`, the runs folder checked writable before any paid call (2 if not, said as `command`),
// then executeRun().
int executeRunFromOptions(
    const QCommandLineParser& parser, const RunRequest& request, const QString& command, RunPrinting printing = {});

} // namespace djp::cli
