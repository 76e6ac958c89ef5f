// djp alerts (docs/cli.md and docs/metrics.md, legacy flags): evaluates the alert rules over a window, prints them,
// and posts new and resolved alerts to a Slack-compatible webhook once per window. Exit code 1 when
// any alert is critical (also when the webhook fails: that is reported on stderr), else 0.
#include "cli.h"
#include "core/clock.h"
#include "dboptions.h"
#include "filteroptions.h"

#include "core/strings.h"
#include "metrics/alerts.h"
#include "metrics/alertsender.h"
#include "metrics/alertstate.h"
#include "metrics/kpis.h"
#include "team/teamquery.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QUrl>
#include <cmath>

using namespace djp;
using namespace djp::cli;

namespace {

struct ThresholdOption
{
    const char* name;
    double AlertThresholds::*field;
    const char* help;
};

const ThresholdOption kThresholds[] = {
    { "threshold-advisory", &AlertThresholds::advisoryRate,
        "Alert when the advisory rate is above RATE (default 0.30)." },
    { "threshold-cost", &AlertThresholds::avgCost, "Alert when the average cost per run is above USD (default 0.01)." },
    { "threshold-failure", &AlertThresholds::failureRate, "Alert when the failure rate is above RATE (default 0.20)." },
    { "threshold-grounded", &AlertThresholds::groundedSuccess,
        "Alert when grounded-citation success is below RATE (default 0.60)." },
    { "threshold-redacted", &AlertThresholds::redactedRate,
        "Alert when the redacted rate is above RATE (default 0.10)." },
};

void printChecks(QTextStream& s, const AlertEvaluation& e, const QString& windowText)
{
    s << "Alerts over " << windowText << ": " << e.runs << " runs (" << e.groundedRuns << " grounded)\n";
    if (!e.enoughRuns) {
        s << "  Not enough runs to evaluate: " << e.runs << " in the window, at least " << std::max(1, e.minRuns)
          << " needed.\n";
        return;
    }
    for (const AlertCheck& c : e.checks) {
        const QString tag = !c.firing
            ? QStringLiteral("ok")
            : (c.severity == AlertSeverity::Critical ? QStringLiteral("CRITICAL") : QStringLiteral("WARNING"));
        const QString text = c.firing ? alertMessage(c)
                                      : QStringLiteral("%1 is %2 (threshold %3).")
                                            .arg(alertRuleTitle(c.rule), formatAlertValue(c.rule, c.value),
                                                formatAlertValue(c.rule, c.threshold));
        s << "  " << tag.leftJustified(9) << alertRuleId(c.rule).leftJustified(26) << text << "\n";
    }
    if (!e.check(AlertRule::GroundedCitationSuccess))
        s << "  " << QStringLiteral("-").leftJustified(9)
          << alertRuleId(AlertRule::GroundedCitationSuccess).leftJustified(26)
          << "not evaluated: no grounded runs in the window.\n";
}

int runAlerts(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Evaluate the alert rules over a window and notify a webhook."));
    addCommonOptions(parser);
    addSinceOption(parser);
    addLoadOptions(parser);
    addDbOption(parser);
    for (const ThresholdOption& t : kThresholds)
        parser.addOption({ QString::fromLatin1(t.name), QString::fromLatin1(t.help), QStringLiteral("VALUE") });
    parser.addOption({ QStringLiteral("min-runs"),
        QStringLiteral("Evaluate only when the window has at least N runs (default 5)."), QStringLiteral("N") });
    parser.addOption({ QStringLiteral("webhook-url"),
        QStringLiteral("Slack-compatible webhook to notify (default: $WEBHOOK_URL)."), QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("dry-run"),
        QStringLiteral("Print the payload of every current alert; send nothing, change no state.") });
    parser.addOption({ QStringLiteral("state-file"),
        QStringLiteral("Where firing alerts are remembered (default: <config dir>/alert-state.json)."),
        QStringLiteral("FILE") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;
    const auto usage = [](const QString& message) {
        err() << "djp alerts: " << message << "\n";
        err().flush();
        return Usage;
    };
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    std::optional<qint64> window;
    QString error;
    if (!sinceFromOptions(parser, window, &error))
        return usage(error);
    AlertThresholds thresholds;
    for (const ThresholdOption& t : kThresholds) {
        const QString name = QString::fromLatin1(t.name);
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const double v = parser.value(name).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0)
            return usage(QStringLiteral("invalid --%1 '%2': expected a number >= 0").arg(name, parser.value(name)));
        thresholds.*(t.field) = v;
    }
    if (parser.isSet(QStringLiteral("min-runs"))) {
        bool ok = false;
        thresholds.minRuns = parser.value(QStringLiteral("min-runs")).toInt(&ok);
        if (!ok || thresholds.minRuns < 0)
            return usage(QStringLiteral("invalid --min-runs '%1': expected a whole number >= 0")
                             .arg(parser.value(QStringLiteral("min-runs"))));
    }
    const QString urlText = parser.isSet(QStringLiteral("webhook-url")) ? parser.value(QStringLiteral("webhook-url"))
                                                                        : qEnvironmentVariable("WEBHOOK_URL");
    const QUrl url(urlText, QUrl::StrictMode);
    if (!urlText.isEmpty()
        && (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))))
        return usage(QStringLiteral("invalid webhook URL: expected http:// or https://"));
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    const QString statePath = parser.isSet(QStringLiteral("state-file")) ? parser.value(QStringLiteral("state-file"))
                                                                         : defaultAlertStatePath();

    const qint64 now = Clock::nowMs();
    AlertEvaluation evaluation;
    std::optional<AlertScope> dbScope;
    if (dbRequested(parser)) {
        // The window's aggregates come from the server; the rules are the same functions.
        const QString cmd = QStringLiteral("djp alerts");
        int openCode = Ok;
        std::optional<PgConnection> conn = openDbOrReport(cmd, dbUrl(parser), &openCode);
        if (!conn)
            return openCode;
        RunFilter f;
        f.lastMs = window;
        KpiAggregates a;
        DbError e;
        if (!teamKpiAggregates(*conn, f, now, &a, nullptr, &e))
            return reportDbError(cmd, e);
        evaluation = evaluateAlertsFromAggregates(a, thresholds);
        dbScope = alertScopeForDatabase(conn->identity(), window);
    } else {
        if (!readableRunsDir(parser, QStringLiteral("djp alerts")))
            return Usage;
        const LoadResult loaded = loadRunsFromOptions(parser);
        reportProblems(QStringLiteral("djp alerts"), loaded.problems);
        evaluation = evaluateAlertsInWindow(loaded.records, window, now, thresholds);
    }
    const QString since = parser.value(QStringLiteral("since")).trimmed().toLower();
    const QString windowText = window ? QStringLiteral("the last ") + since : QStringLiteral("all time");
    const int exitCode = evaluation.hasCritical() ? Failure : Ok;

    // The state is kept per source (runs folder or team database) and window: another source's
    // alerts never resolve these.
    const AlertStateFile stateFile(statePath);
    const AlertScope scope = dbScope ? *dbScope : alertScopeForFolder(runsDir(parser), window);
    std::optional<AlertState> state = stateFile.load(scope, &error);
    if (!state) {
        err() << "djp alerts: ignoring unreadable alert state: " << error << "\n";
        state = AlertState {};
    }
    const auto remember = [&](const AlertState& next) {
        QString why;
        const bool saved = stateFile.merge(scope, *state, next, &why);
        if (!why.isEmpty() || !saved) {
            err() << "djp alerts: " << why << "\n";
            err().flush();
        }
    };
    const AlertPlan plan = planAlertNotifications(evaluation, *state, now, window);
    const AlertPayloadContext context { window ? since : QStringLiteral("all"), evaluation.runs, now };

    if (dryRun) {
        // Everything firing now (ignoring once-per-window) plus what would be resolved; stdout is
        // the payload only, so it can be piped.
        printChecks(err(), evaluation, windowText);
        err().flush();
        const Json payload = buildAlertPayload(evaluation.firing(), plan.resolved, context);
        out() << qs(payload.dump(2, ' ', false, Json::error_handler_t::replace)) << "\n";
        out().flush();
        return exitCode;
    }

    printChecks(out(), evaluation, windowText);
    if (urlText.isEmpty()) {
        out() << "No webhook (--webhook-url or WEBHOOK_URL): nothing sent.\n";
        out().flush();
        return exitCode;
    }
    if (!plan.hasMessages()) {
        out() << "Webhook: nothing new to send";
        if (!plan.suppressed.empty()) {
            const int suppressed = static_cast<int>(plan.suppressed.size());
            out() << " ("
                  << QCoreApplication::translate(
                         "djp::cli::alerts", "%n alert(s) already sent within the window", nullptr, suppressed)
                  << ")";
        }
        out() << ".\n";
        out().flush();
        if (plan.nextState != *state)
            remember(plan.nextState);
        return exitCode;
    }
    const Json payload = buildAlertPayload(plan.toSend, plan.resolved, context);
    const WebhookResult sent = postWebhookBlocking(
        url, QByteArray::fromStdString(payload.dump(-1, ' ', false, Json::error_handler_t::replace)));
    out().flush();
    if (!sent.ok) {
        // Reported, state unchanged (the alerts are sent again next time); the exit code still
        // describes the alerts, not the delivery.
        err() << "djp alerts: webhook POST to " << url.host() << " failed after "
              << QCoreApplication::translate("djp::cli::alerts", "%n attempt(s)", nullptr, sent.attempts) << ": "
              << sent.error << "\n";
        err().flush();
        return exitCode;
    }
    const int alerts = static_cast<int>(plan.toSend.size());
    const int resolved = static_cast<int>(plan.resolved.size());
    out() << "Webhook: sent " << QCoreApplication::translate("djp::cli::alerts", "%n alert(s)", nullptr, alerts)
          << " and " << QCoreApplication::translate("djp::cli::alerts", "%n resolved message(s)", nullptr, resolved)
          << " to " << url.host() << ".\n";
    out().flush();
    remember(plan.nextState);
    return exitCode;
}

} // namespace

DJP_COMMAND("alerts", "Evaluate alert rules over a window and notify a webhook", runAlerts);
