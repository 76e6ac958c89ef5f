// djp metrics (SPEC §10): KPIs of §7.2 over the runs that pass the §7.3 filters, as a table or as
// one JSON object (every KPI key plus "problems", "runs_loaded", "runs_matched").
#include "cli.h"
#include "core/clock.h"
#include "filteroptions.h"

#include "core/strings.h"
#include "metrics/kpis.h"

#include <QDateTime>
#include <QDir>

using namespace djp;
using namespace djp::cli;

namespace {

QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}
QString usd(double v)
{
    return QLatin1Char('$') + QString::number(v, 'f', 6);
}
QString seconds(double v)
{
    return QString::number(v, 'f', 2) + QStringLiteral(" s");
}

void printTable(const Kpis& k, const LoadResult& loaded, size_t matched, const QString& since)
{
    QTextStream& s = out();
    const auto row = [&](const QString& name, const QString& value) {
        s << "  " << name.leftJustified(28) << " " << value << "\n";
    };
    row(QStringLiteral("window"),
        since == QLatin1String("all") ? QStringLiteral("all time") : QStringLiteral("last ") + since);
    row(QStringLiteral("runs loaded"), QString::number(loaded.records.size()));
    row(QStringLiteral("runs matched"), QString::number(matched));
    row(QStringLiteral("problems"), QString::number(loaded.problems.size()));
    s << "\n";
    row(QStringLiteral("total_runs"), QString::number(k.totalRuns));
    row(QStringLiteral("published_runs"), QString::number(k.publishedRuns));
    row(QStringLiteral("advisory_runs"), QString::number(k.advisoryRuns));
    row(QStringLiteral("failed_runs"), QString::number(k.failedRuns));
    row(QStringLiteral("publish_rate"), percent(k.publishRate));
    row(QStringLiteral("advisory_rate"), percent(k.advisoryRate));
    row(QStringLiteral("failure_rate"), percent(k.failureRate));
    row(QStringLiteral("avg_cost"), usd(k.avgCost));
    row(QStringLiteral("avg_tokens"), QString::number(k.avgTokens, 'f', 1));
    row(QStringLiteral("avg_duration"), seconds(k.avgDuration));
    row(QStringLiteral("citations_compliance_rate"), percent(k.citationsComplianceRate));
    row(QStringLiteral("total_cost"),
        usd(k.totalCost) + (k.costComplete ? QString() : QStringLiteral(" (incomplete: unpriced calls)")));
    row(QStringLiteral("p50_duration"), seconds(k.p50Duration));
    row(QStringLiteral("p95_duration"), seconds(k.p95Duration));
    row(QStringLiteral("grounded_rate"), percent(k.groundedRate));
    row(QStringLiteral("redacted_rate"), percent(k.redactedRate));
    row(QStringLiteral("simulated_runs"), QString::number(k.simulatedRuns));
    const auto section = [&](const QString& title, const auto& entries, const auto& format) {
        s << "\n  " << title << (entries.empty() ? QStringLiteral(": none") : QString()) << "\n";
        for (const auto& [name, value] : entries)
            s << "    " << (name.isEmpty() ? QStringLiteral("(empty)") : name).leftJustified(40) << " " << format(value)
              << "\n";
    };
    section(QStringLiteral("provider_mix (published runs)"), k.providerMix, percent);
    section(QStringLiteral("top_failure_reasons"), k.topFailureReasons, [](int n) { return QString::number(n); });
    section(QStringLiteral("cost_by_provider"), k.costByProvider, usd);
    s.flush();
}

int runMetrics(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("KPIs of the runs in a runs folder (SPEC §7.2)."));
    addCommonOptions(parser);
    addFilterOptions(parser);
    addLoadOptions(parser);
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

    if (!readableRunsDir(parser, QStringLiteral("djp metrics")))
        return Usage;
    const LoadResult loaded = loadRunsFromOptions(parser);
    const std::vector<int> matched = filterRuns(loaded.records, filter, Clock::nowMs());
    const Kpis k = computeKpis(loaded.records, matched);

    if (parser.isSet(QStringLiteral("json"))) {
        OrderedJson j = kpisToOrderedJson(k);
        OrderedJson problems = OrderedJson::array();
        for (const Problem& p : loaded.problems)
            problems.push_back({ { "path", ss(p.path) }, { "code", ss(p.code) }, { "detail", ss(p.detail) } });
        j["problems"] = std::move(problems);
        j["runs_loaded"] = loaded.records.size();
        j["runs_matched"] = matched.size();
        out() << qs(j.dump(2, ' ', false, OrderedJson::error_handler_t::replace)) << "\n";
        out().flush();
        return Ok;
    }
    reportProblems(QStringLiteral("djp metrics"), loaded.problems);
    out() << "Runs folder: " << QDir::toNativeSeparators(runsDir(parser)) << "\n";
    printTable(k, loaded, matched.size(), parser.value(QStringLiteral("since")));
    return Ok;
}

} // namespace

DJP_COMMAND("metrics", "KPIs of the runs in the runs folder (filters as in the dashboard)", runMetrics);
