#include "metrics/alerts.h"

#include "core/strings.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"

namespace djp {

namespace {

constexpr double kCriticalFactor = 1.5;

bool firesBelow(AlertRule rule)
{
    return rule == AlertRule::GroundedCitationSuccess;
}

AlertCheck makeCheck(AlertRule rule, double value, double threshold, int sampleRuns)
{
    AlertCheck c;
    c.rule = rule;
    c.value = value;
    c.threshold = threshold;
    c.sampleRuns = sampleRuns;
    // A tiny tolerance so that e.g. 3/20 counts as >= 1.5 x 0.10 despite binary rounding.
    constexpr double eps = 1e-12;
    if (firesBelow(rule)) {
        c.firing = value < threshold - eps;
        c.severity = value <= threshold / kCriticalFactor + eps ? AlertSeverity::Critical : AlertSeverity::Warning;
    } else {
        c.firing = value > threshold + eps;
        c.severity = value >= threshold * kCriticalFactor - eps ? AlertSeverity::Critical : AlertSeverity::Warning;
    }
    if (rule == AlertRule::FailureRate)
        c.severity = AlertSeverity::Critical;
    if (!c.firing)
        c.severity = AlertSeverity::Warning;
    return c;
}

QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}

const char* colourFor(const AlertCheck& c, bool resolved)
{
    if (resolved)
        return "#28a745";
    return c.severity == AlertSeverity::Critical ? "#dc3545" : "#ffc107";
}

Json attachment(const AlertCheck& c, bool resolved, qint64 nowMs)
{
    const QString tag = resolved
        ? QStringLiteral("RESOLVED")
        : (c.severity == AlertSeverity::Critical ? QStringLiteral("CRITICAL") : QStringLiteral("WARNING"));
    const QString text = resolved
        ? QStringLiteral("%1 is back within its threshold: %2 (threshold %3).")
              .arg(alertRuleTitle(c.rule), formatAlertValue(c.rule, c.value), formatAlertValue(c.rule, c.threshold))
        : alertMessage(c);
    Json a = {
        { "color", colourFor(c, resolved) },
        { "title", ss(QStringLiteral("[%1] %2").arg(tag, alertRuleTitle(c.rule))) },
        { "text", ss(text) },
        { "fields",
            Json::array({
                { { "title", "Current" }, { "value", ss(formatAlertValue(c.rule, c.value)) }, { "short", true } },
                { { "title", "Threshold" }, { "value", ss(formatAlertValue(c.rule, c.threshold)) }, { "short", true } },
            }) },
    };
    if (nowMs > 0)
        a["ts"] = nowMs / 1000;
    return a;
}

} // namespace

QString alertRuleId(AlertRule rule)
{
    switch (rule) {
    case AlertRule::AdvisoryRate:
        return QStringLiteral("advisory_rate");
    case AlertRule::AvgCost:
        return QStringLiteral("avg_cost");
    case AlertRule::FailureRate:
        return QStringLiteral("failure_rate");
    case AlertRule::RedactedRate:
        return QStringLiteral("redacted_rate");
    case AlertRule::GroundedCitationSuccess:
        return QStringLiteral("grounded_citation_success");
    }
    return {};
}

std::optional<AlertRule> alertRuleFromId(const QString& id)
{
    for (AlertRule r : kAllAlertRules) {
        if (alertRuleId(r) == id)
            return r;
    }
    return std::nullopt;
}

QString alertRuleTitle(AlertRule rule)
{
    switch (rule) {
    case AlertRule::AdvisoryRate:
        return QStringLiteral("Advisory rate");
    case AlertRule::AvgCost:
        return QStringLiteral("Average cost");
    case AlertRule::FailureRate:
        return QStringLiteral("Failure rate");
    case AlertRule::RedactedRate:
        return QStringLiteral("Redacted rate");
    case AlertRule::GroundedCitationSuccess:
        return QStringLiteral("Grounded-citation success");
    }
    return {};
}

QString formatAlertValue(AlertRule rule, double value)
{
    if (rule == AlertRule::AvgCost)
        return QLatin1Char('$') + QString::number(value, 'f', 4);
    return percent(value);
}

QString alertMessage(const AlertCheck& c)
{
    const bool below = firesBelow(c.rule);
    const QString runs = c.rule == AlertRule::GroundedCitationSuccess
        ? QStringLiteral("%1 grounded runs").arg(c.sampleRuns)
        : QStringLiteral("%1 runs").arg(c.sampleRuns);
    return QStringLiteral("%1 is %2, %3 the %4 threshold (%5).")
        .arg(alertRuleTitle(c.rule), formatAlertValue(c.rule, c.value),
            below ? QStringLiteral("below") : QStringLiteral("above"), formatAlertValue(c.rule, c.threshold), runs);
}

std::vector<AlertCheck> AlertEvaluation::firing() const
{
    std::vector<AlertCheck> result;
    for (const AlertCheck& c : checks) {
        if (c.firing)
            result.push_back(c);
    }
    return result;
}

bool AlertEvaluation::hasCritical() const
{
    for (const AlertCheck& c : checks) {
        if (c.firing && c.severity == AlertSeverity::Critical)
            return true;
    }
    return false;
}

const AlertCheck* AlertEvaluation::check(AlertRule rule) const
{
    for (const AlertCheck& c : checks) {
        if (c.rule == rule)
            return &c;
    }
    return nullptr;
}

std::optional<double> groundedCitationSuccess(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, int* groundedRuns)
{
    int grounded = 0, ok = 0;
    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (!r.grounded)
            continue;
        ++grounded;
        ok += r.citationsCount >= r.groundedRequired ? 1 : 0;
    }
    if (groundedRuns)
        *groundedRuns = grounded;
    if (grounded == 0)
        return std::nullopt;
    return static_cast<double>(ok) / grounded;
}

AlertEvaluation evaluateAlerts(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const AlertThresholds& t)
{
    return evaluateAlertsFromAggregates(aggregateKpis(records, indices), t);
}

AlertEvaluation evaluateAlertsFromAggregates(const KpiAggregates& a, const AlertThresholds& t)
{
    AlertEvaluation e;
    e.runs = static_cast<int>(a.totalRuns);
    e.minRuns = t.minRuns;
    e.groundedRuns = static_cast<int>(a.groundedRuns);
    e.enoughRuns = e.runs >= t.minRuns && e.runs > 0;
    if (!e.enoughRuns)
        return e;
    const Kpis k = kpisFromAggregates(a);
    e.checks.push_back(makeCheck(AlertRule::AdvisoryRate, k.advisoryRate, t.advisoryRate, e.runs));
    e.checks.push_back(makeCheck(AlertRule::AvgCost, k.avgCost, t.avgCost, e.runs));
    e.checks.push_back(makeCheck(AlertRule::FailureRate, k.failureRate, t.failureRate, e.runs));
    e.checks.push_back(makeCheck(AlertRule::RedactedRate, k.redactedRate, t.redactedRate, e.runs));
    if (a.groundedRuns > 0) {
        // Same arithmetic as groundedCitationSuccess().
        const double grounded = static_cast<double>(static_cast<int>(a.groundedCitationOkRuns)) / e.groundedRuns;
        e.checks.push_back(makeCheck(AlertRule::GroundedCitationSuccess, grounded, t.groundedSuccess, e.groundedRuns));
    }
    return e;
}

AlertEvaluation evaluateAlertsInWindow(const std::vector<RunRecord>& records, std::optional<qint64> windowMs,
    qint64 nowMs, const AlertThresholds& thresholds)
{
    RunFilter f;
    f.lastMs = windowMs;
    return evaluateAlerts(records, filterRuns(records, f, nowMs), thresholds);
}

Json buildAlertPayload(
    const std::vector<AlertCheck>& firing, const std::vector<AlertCheck>& resolved, const AlertPayloadContext& ctx)
{
    int critical = 0;
    for (const AlertCheck& c : firing)
        critical += c.severity == AlertSeverity::Critical ? 1 : 0;
    const QString window = ctx.windowLabel == QLatin1String("all") ? QStringLiteral("all time")
                                                                   : QStringLiteral("the last %1").arg(ctx.windowLabel);
    QStringList parts;
    if (!firing.empty())
        parts << QStringLiteral("%1 alert(s) firing (%2 critical)").arg(firing.size()).arg(critical);
    if (!resolved.empty())
        parts << QStringLiteral("%1 resolved").arg(resolved.size());
    if (parts.isEmpty())
        parts << QStringLiteral("no alerts");
    const QString summary = QStringLiteral("DJP Studio alerts: %1 over %2 (%3 runs)")
                                .arg(parts.join(QStringLiteral(", ")), window)
                                .arg(ctx.runs);
    Json attachments = Json::array();
    for (const AlertCheck& c : firing)
        attachments.push_back(attachment(c, false, ctx.nowMs));
    for (const AlertCheck& c : resolved)
        attachments.push_back(attachment(c, true, ctx.nowMs));
    return Json { { "text", ss(summary) }, { "attachments", attachments } };
}

} // namespace djp
