#include "cli.h"

#include "core/paths.h"

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

QString runsDir(const QCommandLineParser& parser)
{
    return resolveRunsDir(parser.value(QStringLiteral("runs-dir")));
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
