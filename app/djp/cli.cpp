#include "cli.h"

#include "core/paths.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryFile>
#include <cstdio>

namespace djp::cli {

std::map<QString, Command>& registry()
{
    static std::map<QString, Command> commands;
    return commands;
}

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

void addCommonOptions(QCommandLineParser& parser)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("runs-dir"), QStringLiteral("Runs directory (default: $DJP_RUNS_DIR or ./runs)."),
        QStringLiteral("DIR") });
}

bool parseOrExplain(QCommandLineParser& parser, const QStringList& args, int& exitCode)
{
    if (!parser.parse(normalizeLegacyAliases(args))) {
        err() << parser.errorText() << "\n\n" << parser.helpText();
        err().flush();
        exitCode = Usage;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        exitCode = Ok;
        return false;
    }
    return true;
}

QString usdText(double usd)
{
    return QLatin1Char('$') + QString::number(usd, 'f', 6);
}

QString runsDir(const QCommandLineParser& parser)
{
    return resolveRunsDir(parser.value(QStringLiteral("runs-dir")));
}

namespace {

std::optional<QString> runsDirOrUsage(const QCommandLineParser& parser, const QString& command)
{
    const QString option = QStringLiteral("runs-dir");
    if (parser.isSet(option) && parser.value(option).trimmed().isEmpty()) {
        err() << command << ": --runs-dir needs a folder (an empty value is not the current folder)\n";
        err().flush();
        return std::nullopt;
    }
    return runsDir(parser);
}

void refuse(const QString& command, const QString& dir, const QString& why)
{
    err() << command << ": runs folder " << QDir::toNativeSeparators(dir) << " " << why << "\n";
    err().flush();
}

} // namespace

std::optional<QString> readableRunsDir(const QCommandLineParser& parser, const QString& command)
{
    const auto dir = runsDirOrUsage(parser, command);
    if (!dir)
        return std::nullopt;
    const QFileInfo info(*dir);
    if (!info.exists()) {
        refuse(command, *dir, QStringLiteral("does not exist"));
        return std::nullopt;
    }
    if (!info.isDir()) {
        refuse(command, *dir, QStringLiteral("is not a directory"));
        return std::nullopt;
    }
    return dir;
}

std::optional<QString> writableRunsDir(const QCommandLineParser& parser, const QString& command)
{
    const auto dir = runsDirOrUsage(parser, command);
    if (!dir)
        return std::nullopt;
    const QFileInfo info(*dir);
    if (info.exists() && !info.isDir()) {
        refuse(command, *dir, QStringLiteral("is not a directory"));
        return std::nullopt;
    }
    if (!info.exists() && !QDir().mkpath(*dir)) {
        refuse(command, *dir, QStringLiteral("does not exist and cannot be created"));
        return std::nullopt;
    }
    // Hidden probe name: readers skip dot files, so a crash here leaves nothing that looks like a run.
    QTemporaryFile probe(QDir(*dir).filePath(QStringLiteral(".djp-write-probe-XXXXXX")));
    if (!probe.open()) {
        refuse(command, *dir, QStringLiteral("is not writable (%1)").arg(probe.errorString()));
        return std::nullopt;
    }
    return dir;
}

QStringList normalizeLegacyAliases(const QStringList& args)
{
    QStringList result;
    result.reserve(args.size());
    bool afterDoubleDash = false;
    for (const QString& a : args) {
        if (afterDoubleDash || !a.startsWith(QLatin1String("--"))) {
            result << a;
            afterDoubleDash = afterDoubleDash || a == QLatin1String("--");
            continue;
        }
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        QString name = eq < 0 ? a : a.left(eq);
        name.replace(QLatin1Char('_'), QLatin1Char('-'));
        result << (eq < 0 ? name : name + a.mid(eq));
    }
    return result;
}

} // namespace djp::cli
