// djp validate [FILES...] (SPEC §5, §10): checks run artifacts against the bundled JSON Schema
// (2.x files against schema 2.0, legacy 1.x files against the 1.1 layout). Without FILES, every
// artifact candidate under the runs directory (recursively). One line per file, then a summary.
// Exit 0 when every file is valid, 1 when any is invalid or unreadable, 2 on a usage error.
#include "cli.h"

#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <algorithm>

using namespace djp;
using namespace djp::cli;

namespace {

QStringList candidatesUnder(const QString& dir)
{
    QStringList files;
    // No QDir::Hidden: hidden files and folders (temp files, the index, .git) are skipped.
    QDirIterator it(dir, { QStringLiteral("*.json") }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (isArtifactCandidate(it.fileName()))
            files << path;
    }
    std::sort(files.begin(), files.end());
    return files;
}

int runValidate(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Validate run artifacts against the bundled JSON Schema."));
    addCommonOptions(parser);
    parser.addOption({ { QStringLiteral("v"), QStringLiteral("verbose") },
        QStringLiteral("List every schema error of an invalid file, not only the first.") });
    parser.addPositionalArgument(QStringLiteral("files"),
        QStringLiteral("Artifact files (default: every *.json under the runs directory)."),
        QStringLiteral("[FILES...]"));
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const bool verbose = parser.isSet(QStringLiteral("verbose"));

    QStringList files;
    for (const QString& f : parser.positionalArguments())
        files << QFileInfo(f).absoluteFilePath();
    if (files.isEmpty()) {
        const QString dir = runsDir(parser);
        if (!QFileInfo(dir).isDir()) {
            err() << "djp validate: runs directory " << dir << " does not exist\n";
            err().flush();
            return Failure;
        }
        files = candidatesUnder(dir);
    }

    int valid = 0;
    int invalid = 0;
    QTextStream& s = out();
    for (const QString& path : files) {
        const ArtifactDocument doc = loadArtifactDocument(path);
        if (doc.problem) {
            ++invalid;
            s << "INVALID " << path << ": " << doc.problem->code << ": " << doc.problem->detail << "\n";
            continue;
        }
        const std::vector<SchemaError> errors = validateArtifact(doc.json);
        if (errors.empty()) {
            ++valid;
            s << "OK " << path << "\n";
            continue;
        }
        ++invalid;
        const SchemaError& first = errors.front();
        s << "INVALID " << path << ": " << (first.pointer.isEmpty() ? QStringLiteral("/") : first.pointer) << ": "
          << first.message;
        if (errors.size() > 1)
            s << " (+" << (errors.size() - 1) << " more)";
        s << "\n";
        if (verbose)
            for (std::size_t i = 1; i < errors.size(); ++i)
                s << "    " << (errors[i].pointer.isEmpty() ? QStringLiteral("/") : errors[i].pointer) << ": "
                  << errors[i].message << "\n";
    }
    s << files.size() << (files.size() == 1 ? " file: " : " files: ") << valid << " valid, " << invalid << " invalid\n";
    s.flush();
    return invalid ? Failure : Ok;
}

} // namespace

DJP_COMMAND("validate", "Check run artifacts against the bundled JSON Schema", runValidate);
