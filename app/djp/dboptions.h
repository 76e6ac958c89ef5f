#pragma once
// The team-history option (--db URL) shared by `djp team`, `metrics`, `export`, `alerts` and `run`,
// and opening the connection with one clear error line (docs/team-history.md).
#include "team/pgconnection.h"

#include <QCommandLineParser>
#include <optional>

namespace djp::cli {

// --db URL. An empty value (--db=) takes $DJP_DB_URL, which keeps the password off the command line.
void addDbOption(QCommandLineParser& parser);
// Whether --db was given.
bool dbRequested(const QCommandLineParser& parser);
// The URL of --db (or $DJP_DB_URL for an empty --db=, or for `djp team` without --db).
QString dbUrl(const QCommandLineParser& parser, bool envFallback = false);
// Opens the database; on failure prints "<command>: <reason>" to stderr and sets *exitCode (2 for
// a malformed URL, else 1).
std::optional<PgConnection> openDbOrReport(const QString& command, const QString& url, int* exitCode);
// Prints "<command>: <reason>" for a database error and returns its exit code.
int reportDbError(const QString& command, const DbError& e);

} // namespace djp::cli
