#include "metrics/alertstate.h"

#include "core/paths.h"
#include "core/strings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <mutex>

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
            { "severity", ss(vocabularyId(e.severity)) },
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
        e.severity = parseVocabulary<AlertSeverity>(jsonString(value, "severity")).value_or(AlertSeverity::Warning);
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

AlertScope alertScopeForFolder(const QString& runsDir, std::optional<qint64> windowMs)
{
    const QFileInfo info(runsDir);
    const QString canonical = info.canonicalFilePath();
    const QString folder = canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
    return { QStringLiteral("folder:") + folder, windowMs ? QString::number(*windowMs) : QStringLiteral("all") };
}

AlertScope alertScopeForDatabase(const QString& identity, std::optional<qint64> windowMs)
{
    return { QStringLiteral("db:") + identity, windowMs ? QString::number(*windowMs) : QStringLiteral("all") };
}

QString alertSourceDisplayText(const QString& source)
{
    if (source.startsWith(QLatin1String("folder:")))
        return QDir::toNativeSeparators(source.mid(7));
    if (source.startsWith(QLatin1String("db:")))
        return QStringLiteral("team database ") + source.mid(3);
    return source;
}

namespace {

constexpr int kLockWaitMs = 30000;
constexpr int kStaleLockMs = 30000; // a writer holds the lock for milliseconds

using ScopedStates = std::map<AlertScope, AlertState>;

std::optional<ScopedStates> readScopes(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.exists())
        return ScopedStates {};
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QString parseError;
    const std::optional<Json> j = parseJson(f.readAll(), &parseError);
    if (!j || !j->is_object()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, j ? QStringLiteral("not a JSON object") : parseError);
        return std::nullopt;
    }
    ScopedStates states;
    const auto scopes = j->find("scopes");
    if (scopes == j->end())
        return states; // version 1: one state without a source; see the header
    if (!scopes->is_array()) {
        if (error)
            *error = QStringLiteral("%1: \"scopes\" must be an array").arg(path);
        return std::nullopt;
    }
    for (const Json& entry : *scopes) {
        if (!entry.is_object())
            continue;
        const AlertScope scope { jsonString(entry, "source"), jsonString(entry, "window") };
        if (scope.source.isEmpty() || scope.window.isEmpty())
            continue;
        QString entryError;
        if (auto state = alertStateFromJson(entry, &entryError))
            states[scope] = std::move(*state);
    }
    return states;
}

bool writeScopes(const QString& path, const ScopedStates& states, QString* error)
{
    Json scopes = Json::array();
    for (const auto& [scope, state] : states) {
        if (state.firing.empty())
            continue;
        Json entry = alertStateToJson(state);
        entry.erase("version");
        entry["source"] = ss(scope.source);
        entry["window"] = ss(scope.window);
        scopes.push_back(std::move(entry));
    }
    QSaveFile f(path);
    const QByteArray bytes = QByteArray::fromStdString(Json { { "version", 2 }, { "scopes", scopes } }.dump(
                                 2, ' ', false, Json::error_handler_t::replace))
        + '\n';
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

AlertStateFile::AlertStateFile(QString path)
    : m_path(std::move(path))
{ }

std::optional<std::map<AlertScope, AlertState>> AlertStateFile::loadAll(QString* error) const
{
    return readScopes(m_path, error);
}

std::optional<AlertState> AlertStateFile::load(const AlertScope& scope, QString* error) const
{
    const auto states = readScopes(m_path, error);
    if (!states)
        return std::nullopt;
    const auto it = states->find(scope);
    return it == states->end() ? AlertState {} : it->second;
}

bool AlertStateFile::merge(
    const AlertScope& scope, const AlertState& before, const AlertState& after, QString* error) const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    // QLockFile serialises processes; threads of one process queue here first (QLockFile's polling
    // back-off can starve a thread for seconds when several in one process contend).
    static std::mutex inProcess;
    const std::lock_guard<std::mutex> guard(inProcess);
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(kStaleLockMs);
    if (!lock.tryLock(kLockWaitMs)) {
        if (error)
            *error = QStringLiteral("cannot lock %1 (another djp process holds it)").arg(m_path);
        return false;
    }
    QString readError;
    std::optional<ScopedStates> states = readScopes(m_path, &readError);
    if (!states) {
        states = ScopedStates {};
        if (error)
            *error = QStringLiteral("replaced unreadable alert state: ") + readError;
    }
    AlertState& current = (*states)[scope];
    for (const auto& [id, entry] : after.firing) {
        const auto was = before.firing.find(id);
        if (was == before.firing.end() || !(was->second == entry))
            current.firing[id] = entry;
    }
    for (const auto& [id, entry] : before.firing) {
        if (!after.firing.count(id))
            current.firing.erase(id);
    }
    return writeScopes(m_path, *states, error);
}

} // namespace djp
