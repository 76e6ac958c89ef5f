#pragma once
// `.env` support (docs/providers.md): KEY=VALUE lines read from the working directory, never overriding a
// variable that is already set in the process environment.
//
// Accepted syntax: blank lines and lines starting with '#' are ignored; an optional leading
// `export `; `KEY=VALUE` with KEY matching [A-Za-z_][A-Za-z0-9_]*; VALUE either
//   "double quoted" (escapes \n \t \" \\ are decoded), 'single quoted' (taken literally), or
//   unquoted (trimmed; a ` #` starts a trailing comment).
// Malformed lines are skipped (their line numbers are reported, never their content, which may hold a key).
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace djp {

struct DotEnvParse
{
    std::vector<std::pair<QString, QString>> entries; // in file order; a later duplicate wins
    std::vector<int> badLines; // 1-based numbers of lines that were skipped
};

DotEnvParse parseDotEnv(const QByteArray& content);

// Sets every parsed variable that is not already set (qEnvironmentVariableIsSet); returns the names
// it set. Not thread-safe against concurrent getenv: call it at startup, before threads start.
QStringList applyDotEnv(const QByteArray& content);
QStringList loadDotEnvFile(const QString& path);

// Loads `<current directory>/.env` the first time it is called in the process; later calls do nothing.
void loadDotEnvFromWorkingDirOnce();

} // namespace djp
