// djp team (docs/team-history.md): `init` creates or migrates the team history schema (and with
// --create-roles the group roles), `push` uploads the runs folder idempotently, `spend` shows who
// spent what.
#include "cli.h"
#include "dboptions.h"
#include "filteroptions.h"

#include "core/clock.h"
#include "core/jsonutil.h"
#include "core/strings.h"
#include "metrics/kpis.h"
#include "team/teampush.h"
#include "team/teamquery.h"
#include "team/teamschema.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <algorithm>
#include <limits>

using namespace djp;
using namespace djp::cli;

namespace {

int runInit(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Create or migrate the team history schema in a PostgreSQL database."));
    addCommonOptions(parser);
    addDbOption(parser);
    parser.addOption({ QStringLiteral("create-roles"),
        QStringLiteral("Also create the group roles djp_reader (read) and djp_writer (read + append).") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const QString cmd = QStringLiteral("djp team init");
    std::optional<PgConnection> conn = openDbOrReport(cmd, dbUrl(parser, true), &code);
    if (!conn)
        return code;
    TeamInitResult result;
    DbError e;
    if (!initTeamSchema(*conn, parser.isSet(QStringLiteral("create-roles")), &result, &e))
        return reportDbError(cmd, e);
    QTextStream& s = out();
    s << "Team history " << conn->redactedUrl() << ": schema version " << result.versionAfter;
    if (result.applied.isEmpty())
        s << " (up to date, nothing to do)\n";
    else
        s << " (applied: " << result.applied.join(QStringLiteral(", ")) << ")\n";
    // Counts as plurals (docs/architecture.md, "Plurals"); an int is plenty for a count of runs.
    const int filled = static_cast<int>(std::min<qint64>(result.costDetailsFilled, std::numeric_limits<int>::max()));
    const int unreadable
        = static_cast<int>(std::min<qint64>(result.costDetailsUnreadable, std::numeric_limits<int>::max()));
    if (filled > 0)
        s << QCoreApplication::translate(
            "djp::cli::team", "Filled in the cost details of %n run(s) from their stored artifacts.", nullptr, filled)
          << "\n";
    if (unreadable > 0)
        s << QCoreApplication::translate("djp::cli::team",
            "Could not read the stored artifact of %n run(s): they stay without cost details.", nullptr, unreadable)
          << "\n";
    if (result.rolesCreated)
        s << "Created the group roles djp_reader and djp_writer.\n";
    if (result.grantsApplied)
        s << "Rights granted: djp_reader may read, djp_writer may read and append (no update or delete).\n";
    else
        s << "No group roles yet (run again with --create-roles to create djp_reader and djp_writer).\n";
    s.flush();
    return Ok;
}

int runPush(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Upload the runs folder into the team history (idempotent)."));
    addCommonOptions(parser);
    addDbOption(parser);
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("Print {\"pushed\", \"present\", \"problems\"} as JSON.") });
    parser.addOption({ QStringLiteral("batch-size"), QStringLiteral("Runs per transaction (default 1000)."),
        QStringLiteral("N"), QStringLiteral("1000") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const QString cmd = QStringLiteral("djp team push");
    bool ok = false;
    PushOptions options;
    options.batchSize = parser.value(QStringLiteral("batch-size")).toInt(&ok);
    if (!ok || options.batchSize < 1) {
        err() << cmd << ": invalid --batch-size '" << parser.value(QStringLiteral("batch-size")) << "'\n";
        err().flush();
        return Usage;
    }
    const QString dir = runsDir(parser);
    if (!QFileInfo(dir).isDir()) {
        err() << cmd << ": runs folder " << QDir::toNativeSeparators(dir) << " does not exist or is not a folder\n";
        err().flush();
        return Usage;
    }
    std::optional<PgConnection> conn = openDbOrReport(cmd, dbUrl(parser, true), &code);
    if (!conn)
        return code;
    QElapsedTimer lastReport;
    lastReport.start();
    options.progress = [&](qint64 done, qint64 total) {
        if (done < total && lastReport.elapsed() < 1000)
            return;
        lastReport.restart();
        err() << cmd << ": " << done << "/" << total << " runs\n";
        err().flush();
    };
    PushSummary summary;
    DbError e;
    const bool pushedAll = pushRunsFolder(*conn, dir, options, &summary, &e);
    const int pushed = static_cast<int>(summary.pushed);
    if (!pushedAll) {
        // What was committed stays: say so, so the user knows the next push resumes.
        if (pushed > 0)
            err() << cmd << ": "
                  << QCoreApplication::translate("djp::cli::team",
                         "%n run(s) were stored before the failure; push again to resume", nullptr, pushed)
                  << "\n";
        return reportDbError(cmd, e);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        OrderedJson problems = OrderedJson::array();
        for (const Problem& p : summary.problems)
            problems.push_back({ { "path", ss(p.path) }, { "code", ss(p.code) }, { "detail", ss(p.detail) } });
        OrderedJson j = OrderedJson::object();
        j["pushed"] = summary.pushed;
        j["present"] = summary.present;
        j["problems"] = std::move(problems);
        out() << qs(j.dump(2, ' ', false, OrderedJson::error_handler_t::replace)) << "\n";
        out().flush();
        return Ok;
    }
    const int problems = static_cast<int>(summary.problems.size());
    if (problems > 0) {
        err() << cmd << ": "
              << QCoreApplication::translate("djp::cli::team", "%n file(s) not pushed:", nullptr, problems) << "\n";
        for (const Problem& p : summary.problems)
            err() << "  " << QDir::toNativeSeparators(p.path) << ": " << p.code << " (" << p.detail << ")\n";
        err().flush();
    }
    out() << "Pushed " << QCoreApplication::translate("djp::cli::team", "%n new run(s)", nullptr, pushed) << " to "
          << conn->redactedUrl() << "; " << summary.present << " already there; "
          << QCoreApplication::translate("djp::cli::team", "%n problem(s) not pushed", nullptr, problems) << " ("
          << QString::number(summary.elapsedMs / 1000.0, 'f', 1) << " s).\n";
    out().flush();
    return Ok;
}

QString utcText(std::optional<qint64> ms, Qt::DateFormat format = Qt::ISODateWithMs)
{
    if (!ms)
        return {};
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(format);
}

OrderedJson spendJson(const AnalystSpend& a)
{
    OrderedJson j = OrderedJson::object();
    if (!a.analyst.isNull())
        j["analyst"] = ss(a.analyst);
    j["runs"] = a.runs;
    j["cost_usd"] = a.cost;
    j["tokens"] = a.tokens;
    j["first_run"] = a.firstRunMs ? OrderedJson(ss(utcText(a.firstRunMs))) : OrderedJson(nullptr);
    j["last_run"] = a.lastRunMs ? OrderedJson(ss(utcText(a.lastRunMs))) : OrderedJson(nullptr);
    return j;
}

// Who spent what: the filtered runs of the team history per analyst (the role that pushed them).
int runSpend(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Spend per analyst (the database role that pushed the runs) in the team history."));
    addCommonOptions(parser);
    addFilterOptions(parser);
    addDbOption(parser);
    parser.addOption({ QStringLiteral("json"),
        QStringLiteral("Print {\"window\", \"total\", \"analysts\": [{\"analyst\", \"runs\", \"cost_usd\", \"tokens\", "
                       "\"first_run\", \"last_run\"}]} as JSON.") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const QString cmd = QStringLiteral("djp team spend");
    RunFilter filter;
    QString error;
    if (!filterFromOptions(parser, filter, &error)) {
        err() << cmd << ": " << error << "\n";
        err().flush();
        return Usage;
    }
    std::optional<PgConnection> conn = openDbOrReport(cmd, dbUrl(parser, true), &code);
    if (!conn)
        return code;
    std::vector<AnalystSpend> spend;
    AnalystSpend total;
    DbError e;
    if (!teamSpendByAnalyst(*conn, filter, Clock::nowMs(), &spend, &total, &e))
        return reportDbError(cmd, e);
    const QString since = parser.value(QStringLiteral("since"));
    if (parser.isSet(QStringLiteral("json"))) {
        OrderedJson j = OrderedJson::object();
        j["window"] = ss(since);
        j["total"] = spendJson(total);
        OrderedJson analysts = OrderedJson::array();
        for (const AnalystSpend& a : spend)
            analysts.push_back(spendJson(a));
        j["analysts"] = std::move(analysts);
        out() << qs(j.dump(2, ' ', false, OrderedJson::error_handler_t::replace)) << "\n";
        out().flush();
        return Ok;
    }
    QTextStream& s = out();
    const int runs = static_cast<int>(std::min<qint64>(total.runs, std::numeric_limits<int>::max()));
    s << "Spend by analyst in " << conn->redactedUrl() << ", " << sinceText(since) << ": "
      << QCoreApplication::translate("djp::cli::team", "%n run(s)", nullptr, runs) << "\n";
    const auto row = [&](const QString& who, const QString& runs, const QString& cost, const QString& tokens,
                         const QString& last) {
        s << "  " << who.leftJustified(24) << " " << runs.rightJustified(8) << " " << cost.rightJustified(14) << " "
          << tokens.rightJustified(14) << "  " << last << "\n";
    };
    row(QStringLiteral("analyst"), QStringLiteral("runs"), QStringLiteral("cost"), QStringLiteral("tokens"),
        QStringLiteral("last run (UTC)"));
    for (const AnalystSpend& a : spend)
        row(a.analyst, QString::number(a.runs), usdText(a.cost), QString::number(a.tokens),
            a.lastRunMs ? utcText(a.lastRunMs, Qt::ISODate) : QStringLiteral("-"));
    row(QStringLiteral("total"), QString::number(total.runs), usdText(total.cost), QString::number(total.tokens),
        total.lastRunMs ? utcText(total.lastRunMs, Qt::ISODate) : QStringLiteral("-"));
    s.flush();
    return Ok;
}

int runTeam(const QStringList& args)
{
    const QString sub = args.value(1);
    QStringList rest = args.mid(2);
    if (sub == QLatin1String("init"))
        return runInit(QStringList { QStringLiteral("djp team init") } + rest);
    if (sub == QLatin1String("push"))
        return runPush(QStringList { QStringLiteral("djp team push") } + rest);
    if (sub == QLatin1String("spend"))
        return runSpend(QStringList { QStringLiteral("djp team spend") } + rest);
    QTextStream& s = (sub == QLatin1String("--help") || sub == QLatin1String("-h")) ? out() : err();
    s << "Usage: djp team init --db URL [--create-roles]\n"
         "       djp team push --db URL [--runs-dir DIR] [--json]\n"
         "       djp team spend --db URL [--since 7d] [filters] [--json]\n"
         "The URL may also come from $DJP_DB_URL; passwords from ~/.pgpass.\n";
    s.flush();
    return (sub == QLatin1String("--help") || sub == QLatin1String("-h")) ? Ok : Usage;
}

} // namespace

DJP_COMMAND("team", "Team history on PostgreSQL: init the schema, push runs, spend per analyst", runTeam);
