// djp export (docs/cli.md and docs/metrics.md): the filtered runs as CSV (RFC 4180, formula-safe) or JSONL, written
// atomically. The filters are those of `djp metrics`, so what is exported is what is measured.
#include "cli.h"
#include "core/clock.h"
#include "dboptions.h"
#include "filteroptions.h"

#include "metrics/runexport.h"
#include "team/teamquery.h"

#include <QDir>

using namespace djp;
using namespace djp::cli;

namespace {

int runExport(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Export the filtered runs as CSV or JSONL."));
    addCommonOptions(parser);
    addFilterOptions(parser);
    addLoadOptions(parser);
    addDbOption(parser);
    parser.addOption({ QStringLiteral("out"), QStringLiteral("Output file (required)."), QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("format"), QStringLiteral("csv (default) or jsonl."), QStringLiteral("FORMAT"),
        QStringLiteral("csv") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const auto usage = [](const QString& message) {
        err() << "djp export: " << message << "\n";
        err().flush();
        return Usage;
    };
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty())
        return usage(QStringLiteral("--out FILE is required"));
    const QString format = parser.value(QStringLiteral("format")).toLower();
    if (format != QLatin1String("csv") && format != QLatin1String("jsonl"))
        return usage(QStringLiteral("invalid --format '%1': expected csv or jsonl").arg(format));
    RunFilter filter;
    QString error;
    if (!filterFromOptions(parser, filter, &error))
        return usage(error);

    std::vector<RunRecord> records;
    std::vector<int> matched;
    size_t available = 0;
    if (dbRequested(parser)) {
        const QString cmd = QStringLiteral("djp export");
        std::optional<PgConnection> conn = openDbOrReport(cmd, dbUrl(parser), &code);
        if (!conn)
            return code;
        DbError e;
        qint64 total = 0;
        if (!teamRecords(*conn, filter, Clock::nowMs(), &records, &e) || !teamRunCount(*conn, &total, &e))
            return reportDbError(cmd, e);
        matched.resize(records.size());
        for (size_t i = 0; i < records.size(); ++i)
            matched[i] = static_cast<int>(i);
        available = static_cast<size_t>(total);
    } else {
        if (!readableRunsDir(parser, QStringLiteral("djp export")))
            return Usage;
        LoadResult loaded = loadRunsFromOptions(parser);
        reportProblems(QStringLiteral("djp export"), loaded.problems);
        matched = filterRuns(loaded.records, filter, Clock::nowMs());
        records = std::move(loaded.records);
        available = records.size();
    }
    if (!exportRunsToFile(outPath, format, records, matched, &error)) {
        err() << "djp export: " << error << "\n";
        err().flush();
        return Failure;
    }
    out() << "Exported " << matched.size() << " of " << available << " runs to " << QDir::toNativeSeparators(outPath)
          << " (" << format << ")\n";
    out().flush();
    return Ok;
}

} // namespace

DJP_COMMAND("export", "Export the filtered runs as CSV or JSONL", runExport);
