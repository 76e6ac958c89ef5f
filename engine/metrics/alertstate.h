#pragma once
// Remembered alert state (docs/metrics.md: "an alert fires once per window and sends a resolved message
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
// One scope's state as a file of its own (version 1 layout, {"firing": {...}}). A missing file is
// an empty state; an unreadable or malformed one is an error (nullopt).
std::optional<AlertState> loadAlertState(const QString& path, QString* error = nullptr);
// Atomic write (QSaveFile); creates the folder.
bool saveAlertState(const QString& path, const AlertState& state, QString* error = nullptr);

// What an alert state is about: the runs it was evaluated over and the window. The same rule in
// another runs folder (or another window) is another alert: it never resolves this one.
struct AlertScope
{
    QString source; // "folder:<canonical absolute path>" or "db:<user>@<host>:<port>/<dbname>"
    QString window; // "all", or the window length in ms ("86400000")

    bool operator==(const AlertScope&) const = default;
    bool operator<(const AlertScope& o) const { return source != o.source ? source < o.source : window < o.window; }
};
AlertScope alertScopeForFolder(const QString& runsDir, std::optional<qint64> windowMs);
// A team database: `identity` is PgConnection::identity() ("user@host:port/dbname", no password).
AlertScope alertScopeForDatabase(const QString& identity, std::optional<qint64> windowMs);
// The source for people: the folder's path, or "team database user@host:port/dbname".
QString alertSourceDisplayText(const QString& source);

// The shared state file (version 2: {"version": 2, "scopes": [{source, window, firing}]}), used by
// `djp alerts` and the desktop application at once. Every write is a merge under a lock file
// (<path>.lock, QLockFile with stale-lock detection): the file is re-read, only the rules this
// writer changed (from `before` to `after`) are applied to its scope, and the result is written
// atomically. So two writers never undo each other, whatever folder or window they work on. A
// version 1 file (one unscoped state) is read as empty: it did not say which folder it was about.
class AlertStateFile
{
public:
    explicit AlertStateFile(QString path);
    QString path() const { return m_path; }

    // The scope's state (empty when absent); nullopt when the file is unreadable or malformed.
    std::optional<AlertState> load(const AlertScope& scope, QString* error = nullptr) const;
    // Applies the change from `before` to `after` to the scope, rule by rule. An unreadable file is
    // replaced (and said so in *error, with true returned) rather than blocking alerting forever.
    bool merge(
        const AlertScope& scope, const AlertState& before, const AlertState& after, QString* error = nullptr) const;
    // Every scope (tests, diagnostics).
    std::optional<std::map<AlertScope, AlertState>> loadAll(QString* error = nullptr) const;

private:
    QString m_path;
};

Json alertStateToJson(const AlertState& state);
std::optional<AlertState> alertStateFromJson(const Json& j, QString* error = nullptr);

} // namespace djp
