// djp metrics (docs/cli.md): KPIs of docs/metrics.md over the runs that pass the docs/metrics.md filters, as a table or
// as one JSON object (every KPI key plus "problems", "runs_loaded", "runs_matched").
#include "cli.h"
#include "core/clock.h"
#include "dboptions.h"
#include "filteroptions.h"

#include "core/strings.h"
#include "metrics/kpis.h"
#include "pricing/money.h"
#include "team/teamquery.h"

#include <QCoreApplication>
#include <QDir>
#include <algorithm>
#include <limits>

using namespace djp;
using namespace djp::cli;

namespace {

QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}
QString seconds(double v)
{
    return QString::number(v, 'f', 2) + QStringLiteral(" s");
}

void printTable(const Kpis& k, size_t loaded, size_t problems, size_t matched, const QString& since)
{
    QTextStream& s = out();
    const auto row = [&](const QString& name, const QString& value) {
        s << "  " << name.leftJustified(28) << " " << value << "\n";
    };
    row(QStringLiteral("window"), sinceText(since));
    row(QStringLiteral("runs loaded"), QString::number(loaded));
    row(QStringLiteral("runs matched"), QString::number(matched));
    row(QStringLiteral("problems"), QString::number(problems));
    s << "\n";
    row(QStringLiteral("total_runs"), QString::number(k.totalRuns));
    row(QStringLiteral("published_runs"), QString::number(k.publishedRuns));
    row(QStringLiteral("advisory_runs"), QString::number(k.advisoryRuns));
    row(QStringLiteral("failed_runs"), QString::number(k.failedRuns));
    row(QStringLiteral("cancelled_runs"), QString::number(k.cancelledRuns));
    row(QStringLiteral("publish_rate"), percent(k.publishRate));
    row(QStringLiteral("advisory_rate"), percent(k.advisoryRate));
    row(QStringLiteral("failure_rate"), percent(k.failureRate));
    row(QStringLiteral("cancelled_rate"), percent(k.cancelledRate));
    row(QStringLiteral("avg_cost"), usdText(k.avgCost));
    row(QStringLiteral("avg_tokens"), QString::number(k.avgTokens, 'f', 1));
    row(QStringLiteral("avg_duration"), seconds(k.avgDuration));
    row(QStringLiteral("citations_compliance_rate"), percent(k.citationsComplianceRate));
    row(QStringLiteral("total_cost"),
        usdText(k.totalCost) + (k.costComplete ? QString() : QStringLiteral(" (incomplete: unpriced calls)")));
    row(QStringLiteral("p50_duration"), seconds(k.p50Duration));
    row(QStringLiteral("p95_duration"), seconds(k.p95Duration));
    row(QStringLiteral("grounded_rate"), percent(k.groundedRate));
    row(QStringLiteral("redacted_rate"), percent(k.redactedRate));
    row(QStringLiteral("simulated_runs"), QString::number(k.simulatedRuns));
    row(QStringLiteral("reported_vs_computed"),
        k.reportedVsComputedDriftPct ? QStringLiteral("%1% over %2 runs (reported $%3, computed $%4)")
                                           .arg(QString::number(*k.reportedVsComputedDriftPct, 'f', 2))
                                           .arg(k.reportedCostRuns)
                                           .arg(nanoToDecimal(k.reportedCostNano), nanoToDecimal(k.computedCostNano))
                                     : QStringLiteral("no run with a provider-reported cost"));
    row(QStringLiteral("cache_savings"),
        QLatin1Char('$') + nanoToDecimal(k.cacheSavingsNano)
            + QStringLiteral(" on %1 cached input tokens").arg(k.cacheReadTokens)
            + (k.cacheSavingsComplete ? QString() : QStringLiteral(" (incomplete: unpriced models)")));
    const auto section = [&](const QString& title, const auto& entries, const auto& format) {
        s << "\n  " << title << (entries.empty() ? QStringLiteral(": none") : QString()) << "\n";
        for (const auto& [name, value] : entries)
            s << "    " << (name.isEmpty() ? QStringLiteral("(empty)") : name).leftJustified(40) << " " << format(value)
              << "\n";
    };
    section(QStringLiteral("provider_mix (published runs)"), k.providerMix, percent);
    section(QStringLiteral("top_failure_reasons"), k.topFailureReasons, [](int n) { return QString::number(n); });
    section(QStringLiteral("cost_by_provider"), k.costByProvider, usdText);
    s.flush();
}

int runMetrics(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("KPIs of the runs in a runs folder."));
    addCommonOptions(parser);
    addFilterOptions(parser);
    addLoadOptions(parser);
    addDbOption(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print one JSON object: every KPI plus problems.") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    if (!parser.positionalArguments().isEmpty()) {
        err() << "djp metrics: unexpected argument '" << parser.positionalArguments().first() << "'\n";
        err().flush();
        return Usage;
    }
    RunFilter filter;
    QString error;
    if (!filterFromOptions(parser, filter, &error)) {
        err() << "djp metrics: " << error << "\n";
        err().flush();
        return Usage;
    }

    // The same figures from either source: the folder's records or the team database's SQL aggregates.
    Kpis k;
    std::vector<Problem> problems;
    size_t loaded = 0, matched = 0;
    QString source;
    if (dbRequested(parser)) {
        std::optional<PgConnection> conn = openDbOrReport(QStringLiteral("djp metrics"), dbUrl(parser), &code);
        if (!conn)
            return code;
        KpiAggregates a;
        qint64 total = 0;
        DbError e;
        if (!teamKpiAggregates(*conn, filter, Clock::nowMs(), &a, &total, &e))
            return reportDbError(QStringLiteral("djp metrics"), e);
        k = kpisFromAggregates(a);
        // The cost details, priced by the server at the rates of the same pricing table as the folder's.
        const PricingTable pricing = PricingTable::load();
        CostDetailAggregates details;
        qint64 withoutDetails = 0;
        if (!teamCostDetails(*conn, filter, Clock::nowMs(), pricing, &details, &withoutDetails, &e))
            return reportDbError(QStringLiteral("djp metrics"), e);
        applyCostDetails(k, details);
        if (withoutDetails > 0) {
            const int runs = static_cast<int>(std::min<qint64>(withoutDetails, std::numeric_limits<int>::max()));
            err() << "djp metrics: "
                  << QCoreApplication::translate("djp::cli::metrics",
                         "%n run(s) in the team history have no cost details yet (pushed by an older djp); run: djp "
                         "team init --db URL",
                         nullptr, runs)
                  << "\n";
            err().flush();
        }
        loaded = static_cast<size_t>(total);
        matched = static_cast<size_t>(a.totalRuns);
        source = QStringLiteral("Team history: ") + conn->redactedUrl();
    } else {
        if (!readableRunsDir(parser, QStringLiteral("djp metrics")))
            return Usage;
        const LoadResult runs = loadRunsFromOptions(parser);
        const std::vector<int> indices = filterRuns(runs.records, filter, Clock::nowMs());
        const PricingTable pricing = PricingTable::load();
        k = computeKpis(runs.records, indices, &pricing);
        problems = runs.problems;
        loaded = runs.records.size();
        matched = indices.size();
        source = QStringLiteral("Runs folder: ") + QDir::toNativeSeparators(runsDir(parser));
    }

    if (parser.isSet(QStringLiteral("json"))) {
        OrderedJson j = kpisToOrderedJson(k);
        OrderedJson problemList = OrderedJson::array();
        for (const Problem& p : problems)
            problemList.push_back({ { "path", ss(p.path) }, { "code", ss(p.code) }, { "detail", ss(p.detail) } });
        j["problems"] = std::move(problemList);
        j["runs_loaded"] = loaded;
        j["runs_matched"] = matched;
        out() << qs(j.dump(2, ' ', false, OrderedJson::error_handler_t::replace)) << "\n";
        out().flush();
        return Ok;
    }
    reportProblems(QStringLiteral("djp metrics"), problems);
    out() << source << "\n";
    printTable(k, loaded, problems.size(), matched, parser.value(QStringLiteral("since")));
    return Ok;
}

} // namespace

DJP_COMMAND("metrics", "KPIs of the runs in the runs folder (filters as in the dashboard)", runMetrics);
