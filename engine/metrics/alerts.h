#pragma once
// Alert rules of docs/metrics.md: pure evaluation over a set of run records and the Slack-compatible
// payload. No I/O here: state lives in alertstate.h, the webhook POST in alertsender.h, so the GUI
// can evaluate on every reload and decide itself when to notify.
#include "artifact/runrecord.h"
#include "core/jsonutil.h"
#include "core/vocabulary.h"

#include <QString>
#include <optional>
#include <vector>

namespace djp {

enum class AlertRule
{
    AdvisoryRate,
    AvgCost,
    FailureRate,
    RedactedRate,
    GroundedCitationSuccess
};
enum class AlertSeverity
{
    Warning,
    Critical
};

inline constexpr AlertRule kAllAlertRules[] = { AlertRule::AdvisoryRate, AlertRule::AvgCost, AlertRule::FailureRate,
    AlertRule::RedactedRate, AlertRule::GroundedCitationSuccess };

// Stable ids (state file, JSON): advisory_rate, avg_cost, failure_rate, redacted_rate, grounded_citation_success.
QString alertRuleId(AlertRule rule);
std::optional<AlertRule> alertRuleFromId(const QString& id);
// English title for messages ("Advisory rate", "Average cost", ...).
QString alertRuleTitle(AlertRule rule);
// parseVocabulary<AlertSeverity>() gives nullopt for an id this version does not know (the alert state then reads it as
// a warning).
template <>
inline constexpr std::array<VocabularyEntry<AlertSeverity>, 2> kVocabulary<AlertSeverity> { {
    { AlertSeverity::Warning, QLatin1String("warning") },
    { AlertSeverity::Critical, QLatin1String("critical") },
} };

// Legacy defaults. A rule fires when value > threshold, except grounded-citation success, which
// fires when value < threshold.
struct AlertThresholds
{
    double advisoryRate = 0.30;
    double avgCost = 0.01; // USD per run
    double failureRate = 0.20;
    double redactedRate = 0.10;
    double groundedSuccess = 0.60;
    int minRuns = 5;

    bool operator==(const AlertThresholds&) const = default;
};

// One evaluated rule.
struct AlertCheck
{
    AlertRule rule = AlertRule::AdvisoryRate;
    double value = 0.0;
    double threshold = 0.0;
    bool firing = false;
    AlertSeverity severity = AlertSeverity::Warning; // meaningful when firing
    int sampleRuns = 0; // runs the value was computed over (grounded runs for the grounded rule)
};

struct AlertEvaluation
{
    int runs = 0; // runs in the evaluated set
    int groundedRuns = 0; // of which grounded
    int minRuns = 0;
    bool enoughRuns = false; // runs >= minRuns; otherwise no rule was evaluated
    std::vector<AlertCheck> checks; // the rules evaluated, in kAllAlertRules order

    std::vector<AlertCheck> firing() const;
    bool hasCritical() const;
    const AlertCheck* check(AlertRule rule) const; // nullptr when the rule was not evaluated
};

// Grounded-citation success: among runs with grounded == true, the share whose citations_count >=
// grounded_required. nullopt when there are no grounded runs.
std::optional<double> groundedCitationSuccess(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, int* groundedRuns = nullptr);

// Evaluates every rule over exactly the given runs (the caller filters the window). Severity:
// critical when value >= 1.5 x threshold (for the "below" rule: value <= threshold / 1.5); a firing
// failure-rate alert is always critical; otherwise warning. Pure and thread-safe.
AlertEvaluation evaluateAlerts(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const AlertThresholds& thresholds);

// The same from the aggregates of the set (what the team database computes in SQL).
struct KpiAggregates;
AlertEvaluation evaluateAlertsFromAggregates(const KpiAggregates& a, const AlertThresholds& thresholds);

// Convenience: the runs of the last `windowMs` before nowMs (nullopt = all time), then evaluateAlerts().
AlertEvaluation evaluateAlertsInWindow(const std::vector<RunRecord>& records, std::optional<qint64> windowMs,
    qint64 nowMs, const AlertThresholds& thresholds);

// Human text for a check: "Failure rate is 40.0%, above the 20.0% threshold (10 runs)."
QString alertMessage(const AlertCheck& c);
// Display form of a rule's value: rates as "40.0%", cost as "$0.0123".
QString formatAlertValue(AlertRule rule, double value);

// Context of a notification for its summary line.
struct AlertPayloadContext
{
    QString windowLabel; // "7d", "24h", "all"
    int runs = 0;
    qint64 nowMs = 0; // "ts" of the attachments (seconds); 0 leaves "ts" out
};

// Slack-compatible payload: {"text": summary, "attachments": [{color, title, text, fields:
// [{title: "Current", value, short: true}, {title: "Threshold", value, short: true}], ts}]}.
// Colours: critical #dc3545, warning #ffc107, resolved #28a745. `resolved` are checks of rules that
// stopped firing (their current value, not firing).
Json buildAlertPayload(
    const std::vector<AlertCheck>& firing, const std::vector<AlertCheck>& resolved, const AlertPayloadContext& context);

} // namespace djp
