#pragma once
// The run filters of docs/metrics.md as command-line options, shared by `djp metrics`, `djp export` and
// (the window only) `djp alerts`, plus loading the runs folder for them. Each command declares the
// options once through these helpers so spelling, defaults and validation cannot drift apart.
#include "artifact/problem.h"
#include "metrics/runfilter.h"
#include "store/runstore.h"

#include <QCommandLineParser>
#include <QString>

namespace djp::cli {

inline constexpr const char* kDefaultSince = "7d"; // the GUI default

// --since (default 7d; Nh, Nd, Nw or all).
void addSinceOption(QCommandLineParser& parser, const QString& defaultSince = QString::fromLatin1(kDefaultSince));
// --since plus --preset, --provider, --provider-match, --status, --grounded-only, --redacted-only, --search.
void addFilterOptions(QCommandLineParser& parser);
// --no-index.
void addLoadOptions(QCommandLineParser& parser);

// The --since value as words for a table header: "all time" or "last 7d".
QString sinceText(const QString& since);
// The --since window: nullopt = all time. False with *error on a bad value.
bool sinceFromOptions(const QCommandLineParser& parser, std::optional<qint64>& windowMs, QString* error);
// The RunFilter for the options added by addFilterOptions(). False with *error on a bad value.
bool filterFromOptions(const QCommandLineParser& parser, RunFilter& filter, QString* error);

// Loads the runs folder named by --runs-dir (or $DJP_RUNS_DIR, ./runs), honouring --no-index when
// the command declared it. Problems are returned, not printed.
LoadResult loadRunsFromOptions(const QCommandLineParser& parser);

// Prints "djp <cmd>: N files could not be read" ("1 file") and the first few problems to stderr.
void reportProblems(const QString& command, const std::vector<Problem>& problems);

} // namespace djp::cli
