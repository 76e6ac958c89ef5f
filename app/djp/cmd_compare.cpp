// djp compare A B [C D] [--json]: two to four run artifacts side by side — task, parameters, outcome,
// each debater's rank, score and judge reasons, per-model calls, tokens and cost, totals — with the
// rows where the runs differ marked. The same rows as the Studio's Compare window
// (artifact/runcomparison.h). Exit 0 when every file was read, 1 when any could not be, 2 on usage.
#include "cli.h"

#include "artifact/runcomparison.h"

#include <QDir>
#include <QFileInfo>

using namespace djp;
using namespace djp::cli;

namespace {

int runCompare(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compare 2 to 4 run artifacts side by side; rows where the runs differ are marked with '*'."));
    addCommonOptions(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print the comparison as JSON.") });
    parser.addPositionalArgument(QStringLiteral("artifacts"),
        QStringLiteral("2 to 4 artifact files (a bare file name is looked up in the runs directory)."),
        QStringLiteral("A B [C D]"));
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    QStringList files;
    for (const QString& f : parser.positionalArguments()) {
        QString path = f;
        if (!QFileInfo::exists(path) && !f.contains(u'/'))
            path = QDir(runsDir(parser)).filePath(f);
        files << QFileInfo(path).absoluteFilePath();
    }
    if (files.size() < kMinComparedRuns || files.size() > kMaxComparedRuns) {
        err() << "djp compare: give 2 to 4 artifact files (got " << files.size() << ")\n\n" << parser.helpText();
        err().flush();
        return Usage;
    }
    const RunComparison c = compareArtifacts(files);
    if (parser.isSet(QStringLiteral("json"))) {
        out() << QString::fromStdString(comparisonJson(c).dump(2)) << "\n";
    } else {
        out() << comparisonText(c);
    }
    out().flush();
    for (const QString& e : c.errors)
        err() << "djp compare: " << e << "\n";
    err().flush();
    return c.errors.isEmpty() ? Ok : Failure;
}

} // namespace

DJP_COMMAND("compare", "Compare 2-4 run artifacts side by side", runCompare);
