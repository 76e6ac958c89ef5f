#include "metrics/alertstate.h"

#include "core/paths.h"
#include "core/strings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace djp {

AlertPlan planAlertNotifications(
    const AlertEvaluation& evaluation, const AlertState& previous, qint64 nowMs, std::optional<qint64> windowMs)
{
    AlertPlan plan;
    plan.nextState = previous;
    for (const AlertCheck& c : evaluation.checks) {
        const QString id = alertRuleId(c.rule);
        const auto before = previous.firing.find(id);
        const bool wasFiring = before != previous.firing.end();
        if (!c.firing) {
            if (wasFiring) {
                plan.resolved.push_back(c);
                plan.nextState.firing.erase(id);
            }
            continue;
        }
        const bool windowPassed = wasFiring && windowMs && nowMs - before->second.sentAtMs >= *windowMs;
        const bool escalated
            = wasFiring && before->second.severity == AlertSeverity::Warning && c.severity == AlertSeverity::Critical;
        AlertStateEntry& entry = plan.nextState.firing[id];
        entry.value = c.value;
        entry.threshold = c.threshold;
        if (!wasFiring || windowPassed || escalated) {
            plan.toSend.push_back(c);
            entry.sentAtMs = nowMs;
            entry.severity = c.severity;
        } else {
            plan.suppressed.push_back(c);
        }
    }
    return plan;
}

QString defaultAlertStatePath()
{
    return configDir() + QStringLiteral("/alert-state.json");
}

Json alertStateToJson(const AlertState& state)
{
    Json firing = Json::object();
    for (const auto& [id, e] : state.firing) {
        firing[ss(id)] = {
            { "sent_at_ms", e.sentAtMs },
            { "severity", ss(alertSeverityName(e.severity)) },
            { "value", e.value },
            { "threshold", e.threshold },
        };
    }
    return Json { { "version", 1 }, { "firing", firing } };
}

std::optional<AlertState> alertStateFromJson(const Json& j, QString* error)
{
    const auto fail = [&](const QString& why) -> std::optional<AlertState> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!j.is_object() || !j.contains("firing") || !j["firing"].is_object())
        return fail(QStringLiteral("alert state: expected an object with a \"firing\" object"));
    AlertState state;
    for (const auto& [key, value] : j["firing"].items()) {
        const QString id = qs(key);
        if (!alertRuleFromId(id))
            continue; // a rule this version does not know: drop it
        if (!value.is_object() || !value.contains("sent_at_ms") || !value["sent_at_ms"].is_number_integer())
            return fail(QStringLiteral("alert state: entry %1 has no integer sent_at_ms").arg(id));
        AlertStateEntry e;
        e.sentAtMs = value["sent_at_ms"].get<qint64>();
        e.severity = jsonString(value, "severity") == QLatin1String("critical") ? AlertSeverity::Critical
                                                                                : AlertSeverity::Warning;
        e.value = jsonNumber(value, "value");
        e.threshold = jsonNumber(value, "threshold");
        state.firing[id] = e;
    }
    return state;
}

std::optional<AlertState> loadAlertState(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.exists())
        return AlertState {};
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QString parseError;
    const std::optional<Json> j = parseJson(f.readAll(), &parseError);
    if (!j) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, parseError);
        return std::nullopt;
    }
    return alertStateFromJson(*j, error);
}

bool saveAlertState(const QString& path, const AlertState& state, QString* error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    const QByteArray bytes = QByteArray::fromStdString(alertStateToJson(state).dump(2)) + '\n';
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace djp
