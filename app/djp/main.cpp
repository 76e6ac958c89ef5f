// djp: the DJP engine from the command line (docs/cli.md). Thin: every rule lives in the engine.
#include "cli.h"

#include "core/log.h"
#include "core/translations.h"
#include "providers/dotenv.h"

#include <QCoreApplication>

using namespace djp::cli;

static void printUsage(QTextStream& s)
{
    s << "Usage: djp <command> [options]\n\nCommands:\n";
    for (const auto& [name, cmd] : registry())
        s << "  " << name.leftJustified(10) << " " << cmd.summary << "\n";
    s << "\nCommon options: --runs-dir DIR, --help, --version.\n"
      << "Run 'djp <command> --help' for a command's options.\n";
    s.flush();
}

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("djp"));
    QCoreApplication::setOrganizationName(QStringLiteral("djp-studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DJP_VERSION));
    djp::initLogging();
    djp::installQtMessageForwarding();
    djp::installTranslations(app); // "1 file", "2 files" (docs/architecture.md, "Plurals")
    // Before any thread reads the environment (the run engine's worker builds its hub later).
    djp::loadDotEnvFromWorkingDirOnce();

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        printUsage(err());
        return Usage;
    }
    const QString first = args.at(1);
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        out() << "djp " << DJP_VERSION << "\n";
        out().flush();
        return Ok;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        printUsage(out());
        return Ok;
    }
    const auto it = registry().find(first);
    if (it == registry().end()) {
        err() << "djp: unknown command '" << first << "'\n\n";
        printUsage(err());
        return Usage;
    }
    QStringList rest = args.mid(2);
    rest.prepend(QStringLiteral("djp ") + first);
    return it->second.run(rest);
}
