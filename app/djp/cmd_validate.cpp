// djp validate [FILES...] (docs/artifact-format.md and docs/cli.md): checks run artifacts against the bundled JSON Schema
// (2.x files against schema 2.0, legacy 1.x files against the 1.1 layout). Without FILES, every
// artifact candidate under the runs directory (recursively). One line per file, then a summary.
// Exit 0 when every file is valid, 1 when any is invalid or unreadable, 2 on a usage error or a runs
// folder that is missing or not a directory.
#include "cli.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"
#include "core/strings.h"
#include "store/dirscan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <algorithm>

using namespace djp;
using namespace djp::cli;

namespace {

struct Listing
{
    QStringList files;
    std::vector<Problem> skipped; // entries the shared scan refused, as the readers list them
};

// The same scan and rule as metrics, export, alerts and the dashboard (store::scanRunsDir), so
// validate never sees a different set of files than they do.
Listing candidatesUnder(const QString& dir)
{
    Listing out;
    const store::DirScanResult scan = store::scanRunsDir(dir);
    for (const store::ScannedFile& f : scan.files)
        out.files << store::scannedPath(dir, f.rel);
    for (const store::SkippedEntry& e : scan.skipped)
        out.skipped.push_back({ store::scannedPath(dir, e.rel), e.code, e.detail });
    for (const std::string& rel : scan.unreadable)
        out.skipped.push_back(
            { store::scannedPath(dir, rel), QStringLiteral("io_error"), QStringLiteral("cannot list this folder") });
    std::sort(out.files.begin(), out.files.end());
    std::sort(
        out.skipped.begin(), out.skipped.end(), [](const Problem& x, const Problem& y) { return x.path < y.path; });
    return out;
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
    std::vector<Problem> skipped;
    for (const QString& f : parser.positionalArguments())
        files << QFileInfo(f).absoluteFilePath();
    if (files.isEmpty()) {
        const auto dir = readableRunsDir(parser, QStringLiteral("djp validate"));
        if (!dir)
            return Usage;
        Listing listing = candidatesUnder(*dir);
        files = std::move(listing.files);
        skipped = std::move(listing.skipped);
    }

    int valid = 0;
    int invalid = 0;
    int duplicates = 0;
    QTextStream& s = out();
    for (const Problem& p : skipped) {
        ++invalid;
        s << "SKIPPED " << p.path << ": " << p.code << ": " << p.detail << "\n";
    }
    QHash<QString, QString> runIds; // run_id -> first file, as the readers count a copied run once
    for (const QString& path : files) {
        const ArtifactDocument doc = loadArtifactDocument(path);
        if (doc.problem) {
            ++invalid;
            s << "INVALID " << path << ": " << doc.problem->code << ": " << doc.problem->detail << "\n";
            continue;
        }
        const std::vector<SchemaError> errors = validateArtifact(doc.json);
        if (errors.empty()) {
            const auto runId = doc.json.find("run_id");
            if (runId != doc.json.end() && runId->is_string() && !runId->get<std::string>().empty()) {
                const QString id = qs(runId->get<std::string>());
                const auto first = runIds.constFind(id);
                if (first != runIds.constEnd()) {
                    ++duplicates;
                    s << "DUPLICATE " << path << ": duplicate_run_id: same run_id as " << first.value()
                      << " (the readers count the run once)\n";
                    continue;
                }
                runIds.insert(id, path);
            }
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
    const int seen = static_cast<int>(files.size() + qsizetype(skipped.size()));
    s << QCoreApplication::translate("djp::cli::validate", "%n file(s): ", nullptr, seen) << valid << " valid, "
      << invalid << " invalid";
    if (duplicates)
        s << ", " << duplicates << " duplicate";
    s << "\n";
    s.flush();
    return invalid || duplicates ? Failure : Ok;
}

} // namespace

DJP_COMMAND("validate", "Check run artifacts against the bundled JSON Schema", runValidate);
