#pragma once
// Shared plumbing of the `djp` command line: the sub-command registry, exit codes, common options.
// Each sub-command lives in its own cmd_<name>.cpp and registers itself with DJP_COMMAND.
#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <functional>
#include <map>
#include <optional>

namespace djp::cli {

enum ExitCode : int
{
    Ok = 0,
    Failure = 1,
    Usage = 2,
    BlockedByBudget = 3
};

struct Command
{
    QString summary; // one line for `djp --help`
    std::function<int(const QStringList& args)> run; // args[0] is "djp <name>"
};

std::map<QString, Command>& registry();

struct Registrar
{
    Registrar(const QString& name, const QString& summary, std::function<int(const QStringList&)> run)
    {
        registry()[name] = Command { summary, std::move(run) };
    }
};

#define DJP_COMMAND_CAT2(a, b) a##b
#define DJP_COMMAND_CAT(a, b) DJP_COMMAND_CAT2(a, b)
// DJP_COMMAND("metrics", "Compute KPIs over a runs folder", runMetrics);
#define DJP_COMMAND(name, summary, fn)                                                                                 \
    static const ::djp::cli::Registrar DJP_COMMAND_CAT(djp_command_registrar_, __LINE__)(                              \
        QStringLiteral(name), QStringLiteral(summary), fn)

// stdout for results, stderr for logs and diagnostics.
QTextStream& out();
QTextStream& err();

// Adds --runs-dir (and the help/version options) to a sub-command's parser.
void addCommonOptions(QCommandLineParser& parser);
// Parses args; on a usage error prints it with the sub-command's help and returns false.
// `exitCode` receives Usage for errors, Ok for --help (in which case the caller returns it).
bool parseOrExplain(QCommandLineParser& parser, const QStringList& args, int& exitCode);
// The runs directory: --runs-dir, else DJP_RUNS_DIR, else ./runs (docs/artifact-format.md).
QString runsDir(const QCommandLineParser& parser);

// The runs folder of a command that only reads it (metrics, alerts, export, validate), checked before
// anything is loaded: `--runs-dir ""` is a usage error, and a folder that does not exist or is not a
// directory is refused, so a cron job never mistakes a wrong path for "no runs". On failure prints
// one line "<command>: ..." to stderr and returns nullopt; the caller exits with Usage.
std::optional<QString> readableRunsDir(const QCommandLineParser& parser, const QString& command);
// The runs folder `djp run` / `replay` will write the artifact into, checked before any provider
// call: it must be a directory (created if missing) in which a file can actually be created (an
// empty probe file is created and removed, so permission bits, read-only mounts and root all give
// the true answer). Same failure contract as readableRunsDir().
std::optional<QString> writableRunsDir(const QCommandLineParser& parser, const QString& command);

// A dollar amount for a table, to the micro-dollar: "$0.012300".
QString usdText(double usd);

// Rewrites legacy spellings (--budget_usd -> --budget-usd) before parsing (docs/cli.md).
QStringList normalizeLegacyAliases(const QStringList& args);

} // namespace djp::cli
