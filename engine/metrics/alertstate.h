#pragma once
// Remembered alert state (SPEC §7.5: "an alert fires once per window and sends a resolved message
// when it clears"). Planning is pure (planAlertNotifications); loading and saving the JSON file are
// separate so a dry run can plan without writing, and the GUI can keep the state in memory.
#include "metrics/alerts.h"

#include <QString>
#include <map>
#include <optional>
#include <vector>

namespace djp {

struct AlertStateEntry
{
    qint64 sentAtMs = 0; // when the firing notification was last sent (UTC ms)
    AlertSeverity severity = AlertSeverity::Warning; // severity last sent
    double value = 0.0; // last evaluated value
    double threshold = 0.0;

    bool operator==(const AlertStateEntry&) const = default;
};

// Rules currently firing (keyed by alertRuleId); a rule not in the map is not firing.
struct AlertState
{
    std::map<QString, AlertStateEntry> firing;

    bool operator==(const AlertState&) const = default;
};

struct AlertPlan
{
    std::vector<AlertCheck> toSend; // newly firing, firing again after the window, or escalated to critical
    std::vector<AlertCheck> suppressed; // firing and already sent less than a window ago
    std::vector<AlertCheck> resolved; // were firing, evaluated now and no longer firing
    AlertState nextState; // the state to keep once the notification was delivered

    bool hasMessages() const { return !toSend.empty() || !resolved.empty(); }
};

// Decides what to notify. A firing rule is sent when it was not firing before, when at least
// `windowMs` has passed since it was last sent (nullopt = all time: never re-sent while firing),
// or when it escalated from warning to critical. A rule that was firing and is evaluated now
// without firing is resolved (sent once, then forgotten). Rules not evaluated now (too few runs in
// the window, or no grounded runs) keep their state unchanged: missing data is not a resolution.
AlertPlan planAlertNotifications(
    const AlertEvaluation& evaluation, const AlertState& previous, qint64 nowMs, std::optional<qint64> windowMs);

// djp::configDir() + "/alert-state.json".
QString defaultAlertStatePath();
// A missing file is an empty state; an unreadable or malformed one is an error (nullopt).
std::optional<AlertState> loadAlertState(const QString& path, QString* error = nullptr);
// Atomic write (QSaveFile); creates the folder.
bool saveAlertState(const QString& path, const AlertState& state, QString* error = nullptr);

Json alertStateToJson(const AlertState& state);
std::optional<AlertState> alertStateFromJson(const Json& j, QString* error = nullptr);

} // namespace djp
