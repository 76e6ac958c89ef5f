#include "session/alertmonitor.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/strings.h"
#include "metrics/alertsender.h"
#include "metrics/runfilter.h"
#include "session/runsession.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QSaveFile>
#include <QtConcurrent>
#include <type_traits>

namespace djp {

namespace {

// The alert state's scope of what was evaluated: a runs folder, or "db:" + a team database's identity.
AlertScope alertScopeFor(const QString& source, std::optional<qint64> windowMs)
{
    if (source.startsWith(QLatin1String("db:")))
        return alertScopeForDatabase(source.mid(3), windowMs);
    return alertScopeForFolder(source, windowMs);
}

constexpr int kDefaultPeriodMs = 5 * 60 * 1000;

struct StoredState
{
    std::map<QString, AlertState> shown; // by runs folder
    std::vector<AlertHistoryEntry> history; // newest first
};

// nullopt with an empty *error when the file does not exist (a first start).
std::optional<Json> readJsonFile(const QString& path, QString* error)
{
    error->clear();
    QFile file(path);
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return std::nullopt;
    }
    return parseJson(file.readAll(), error);
}

StoredState readStoredState(const AlertMonitor::Paths& paths)
{
    StoredState s;
    QString error;
    if (auto shown = readJsonFile(paths.shownState, &error)) {
        const Json& folders = (*shown)["folders"];
        for (auto it = folders.begin(); folders.is_object() && it != folders.end(); ++it) {
            if (auto state = alertStateFromJson(it.value(), &error))
                s.shown[qs(it.key())] = std::move(*state);
        }
    } else if (!error.isEmpty()) {
        logger("alerts")->warn("ignoring unreadable alert state {}: {}", ss(paths.shownState), ss(error));
    }
    error.clear();
    std::optional<std::vector<AlertHistoryEntry>> entries;
    if (auto json = readJsonFile(paths.history, &error))
        entries = historyFromJson(*json, &error);
    if (entries)
        s.history = std::move(*entries);
    else if (!error.isEmpty())
        logger("alerts")->warn("ignoring unreadable alert history {}: {}", ss(paths.history), ss(error));
    return s;
}

void writeJsonFile(const QString& path, const Json& json)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    const std::string text = json.dump(1, ' ', false, Json::error_handler_t::replace);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) < 0
        || !file.commit())
        logger("alerts")->warn("could not save {}: {}", ss(path), ss(file.errorString()));
}

QString resolvedText(const AlertCheck& c)
{
    return QObject::tr("%1 is back within its threshold: %2 (threshold %3).")
        .arg(alertRuleTitle(c.rule), formatAlertValue(c.rule, c.value), formatAlertValue(c.rule, c.threshold));
}

} // namespace

AlertMonitor::Paths AlertMonitor::defaultPaths()
{
    const QString dir = configDir();
    return { defaultAlertStatePath(), dir + QStringLiteral("/alert-state-studio.json"),
        dir + QStringLiteral("/alert-history.json") };
}

AlertMonitor::AlertMonitor(RunSession* session, QObject* parent)
    : AlertMonitor(session, defaultPaths(), parent)
{ }

AlertMonitor::AlertMonitor(RunSession* session, const Paths& paths, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_paths(paths)
    , m_results(new AlertResultsModel(this))
    , m_history(new AlertHistoryModel(this))
    , m_sender(new WebhookSender(nullptr, this))
{
    m_evalPool.setMaxThreadCount(1);
    m_ioPool.setMaxThreadCount(1);
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(0);
    connect(&m_coalesce, &QTimer::timeout, this, &AlertMonitor::runEvaluation);
    m_periodic.setInterval(kDefaultPeriodMs);
    connect(&m_periodic, &QTimer::timeout, this, &AlertMonitor::scheduleEvaluation);
    m_periodic.start();
    connect(m_sender, &WebhookSender::finished, this, &AlertMonitor::onDelivered);
    // Every finished (re)load ends with the consolidated records replaced; during a load the
    // records are partial, so wait for its end.
    connect(m_session, &RunSession::recordsChanged, this, [this] {
        if (!m_session->isLoading())
            scheduleEvaluation();
    });
    m_results->setRows(alertRows(std::nullopt, m_config.thresholds, tr("not evaluated yet")));
    startReadingState();
}

AlertMonitor::~AlertMonitor()
{
    // Pending writes and a running evaluation finish first (small); their results are then dropped.
    m_ioPool.waitForDone();
    m_evalPool.waitForDone();
}

void AlertMonitor::startReadingState()
{
    auto* watcher = new QFutureWatcher<StoredState>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        StoredState s = watcher->result();
        m_shownByFolder = std::move(s.shown);
        m_history->setEntries(std::move(s.history));
        m_stateReady = true;
        if (m_evaluationPending) {
            m_evaluationPending = false;
            runEvaluation();
        }
    });
    watcher->setFuture(QtConcurrent::run(&m_ioPool, [paths = m_paths] { return readStoredState(paths); }));
}

bool AlertMonitor::setConfig(const AlertConfig& config, QString* error)
{
    bool all = false;
    QString why;
    if (!parseSinceWindow(config.window, &all, &why) && !all) {
        if (error)
            *error = why;
        return false;
    }
    m_config = config;
    m_config.window = config.window.trimmed().toLower();
    return true;
}

void AlertMonitor::setWebhookUrl(const QUrl& url)
{
    const QUrl next = isWebhookUrl(url) ? url : QUrl();
    if (next == m_webhookUrl)
        return;
    m_webhookUrl = next;
    // A newly configured hook has not been told about what is firing: tell it now.
    planWebhook();
}

void AlertMonitor::setRetryPolicy(const RetryPolicy& policy)
{
    m_sender->setRetryPolicy(policy);
}

void AlertMonitor::setPeriodicIntervalMs(int ms)
{
    if (ms <= 0) {
        m_periodic.stop();
        return;
    }
    m_periodic.start(ms);
}

bool AlertMonitor::isSending() const
{
    return m_sender->isBusy();
}

std::optional<qint64> AlertMonitor::windowMs() const
{
    bool all = false;
    const std::optional<qint64> ms = parseSinceWindow(m_config.window, &all);
    return all ? std::nullopt : ms;
}

void AlertMonitor::evaluateNow()
{
    scheduleEvaluation();
}

void AlertMonitor::scheduleEvaluation()
{
    m_coalesce.start();
}

void AlertMonitor::showNotEvaluated(const QString& why)
{
    m_latest.dropAll(); // drops an evaluation of the previous source still running
    m_evaluating = false;
    m_last.reset();
    m_results->setRows(alertRows(std::nullopt, m_config.thresholds, why));
    Q_EMIT evaluated();
    Q_EMIT firingChanged(0, false);
}

// Runs `work` on the evaluation pool and hands its result to `apply` on this thread, unless a newer
// evaluation (or showNotEvaluated) superseded it meanwhile.
template <typename Work, typename Apply> void AlertMonitor::evaluateOffThread(Work work, Apply apply)
{
    using Result = std::invoke_result_t<Work>;
    const LatestRequest::Ticket ticket = m_latest.next();
    m_evaluating = true;
    Q_EMIT evaluationStarted();
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, ticket, apply = std::move(apply)] {
        watcher->deleteLater();
        if (!ticket.isLatest())
            return; // superseded by a newer request
        m_evaluating = false;
        apply(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_evalPool, std::move(work)));
}

void AlertMonitor::runEvaluation()
{
    if (!m_stateReady) {
        m_evaluationPending = true;
        return;
    }
    if (m_session->isTeamHistory()) {
        runTeamEvaluation();
        return;
    }
    const RecordChunk records = m_session->records();
    if (!records) {
        showNotEvaluated(
            m_session->runsDir().isEmpty() ? tr("no runs folder is open") : tr("the runs folder is still loading"));
        return;
    }
    const qint64 now = Clock::nowMs();
    evaluateOffThread(
        [records, window = windowMs(), now, thresholds = m_config.thresholds] {
            return evaluateAlertsInWindow(*records, window, now, thresholds);
        },
        [this, now, folder = m_session->runsDir()](const AlertEvaluation& e) { onEvaluated(e, now, folder); });
}

void AlertMonitor::runTeamEvaluation()
{
    // The same rules over the server's aggregates of the window (as `djp alerts --db` evaluates them).
    // Alert state is keyed "db:" + the database identity, as `djp alerts --db` keys it, so the team
    // history's alerts never resolve a folder's.
    if (m_session->isLoading() || !m_session->teamError().isEmpty()) {
        showNotEvaluated(m_session->isLoading() ? tr("the team history is still connecting") : m_session->teamError());
        return;
    }
    const qint64 now = Clock::nowMs();
    struct Outcome
    {
        std::optional<AlertEvaluation> evaluation;
        QString error;
        QString identity;
    };
    evaluateOffThread(
        [evaluate = m_session->teamAlertEvaluator(), window = windowMs(), now, thresholds = m_config.thresholds] {
            Outcome o;
            o.evaluation = evaluate(window, now, thresholds, &o.error, &o.identity);
            return o;
        },
        [this, now](const Outcome& o) {
            if (o.evaluation) {
                onEvaluated(*o.evaluation, now, QStringLiteral("db:") + o.identity);
                return;
            }
            m_results->setRows(alertRows(std::nullopt, m_config.thresholds, o.error));
            Q_EMIT evaluated();
        });
}

void AlertMonitor::onEvaluated(const AlertEvaluation& evaluation, qint64 nowMs, const QString& folder)
{
    m_last = evaluation;
    m_lastEvaluatedMs = nowMs;
    m_lastFolder = folder;
    m_results->setRows(alertRows(evaluation, m_config.thresholds, {}));

    AlertState& shownState = m_shownByFolder[folder];
    const AlertPlan shown = planAlertNotifications(evaluation, shownState, nowMs, windowMs());
    std::vector<AlertHistoryEntry> entries;
    const QString source = alertScopeFor(folder, windowMs()).source;
    bool critical = false;
    for (const AlertCheck& c : shown.toSend) {
        critical = critical || c.severity == AlertSeverity::Critical;
        entries.push_back({ nowMs, AlertHistoryEntry::Kind::Fired, alertRuleId(c.rule), vocabularyId(c.severity),
            alertMessage(c), source });
    }
    for (const AlertCheck& c : shown.resolved)
        entries.push_back(
            { nowMs, AlertHistoryEntry::Kind::Resolved, alertRuleId(c.rule), {}, resolvedText(c), source });
    if (shown.nextState != shownState) {
        shownState = shown.nextState;
        saveShownStates();
    }
    addHistory(std::move(entries));

    Q_EMIT evaluated();
    Q_EMIT firingChanged(static_cast<int>(evaluation.firing().size()), evaluation.hasCritical());
    if (!shown.toSend.empty())
        Q_EMIT alertsRaised(alertBannerText(shown.toSend), critical);
    planWebhook();
}

void AlertMonitor::planWebhook()
{
    if (!hasWebhook() || !m_last || !m_stateReady)
        return;
    if (m_sender->isBusy() || m_webhookLoading) {
        m_webhookReplan = true;
        return;
    }
    // What this folder's hook was told is read afresh from the shared file (off the GUI thread):
    // `djp alerts` may have sent something since, and another folder's state is not ours.
    m_webhookLoading = true;
    const AlertScope scope = alertScopeFor(m_lastFolder, windowMs());
    auto* watcher = new QFutureWatcher<AlertState>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, scope] {
        watcher->deleteLater();
        m_webhookLoading = false;
        const bool current = m_last && hasWebhook() && alertScopeFor(m_lastFolder, windowMs()) == scope;
        if (current && !m_webhookReplan)
            deliverWebhook(scope, watcher->result());
        else if (current || m_webhookReplan) {
            m_webhookReplan = false;
            planWebhook();
        }
    });
    watcher->setFuture(QtConcurrent::run(&m_ioPool, [file = AlertStateFile(m_paths.webhookState), scope] {
        QString error;
        std::optional<AlertState> state = file.load(scope, &error);
        if (!state)
            logger("alerts")->warn("ignoring unreadable alert state: {}", ss(error));
        return state.value_or(AlertState {});
    }));
}

void AlertMonitor::deliverWebhook(const AlertScope& scope, const AlertState& told)
{
    const AlertPlan plan = planAlertNotifications(*m_last, told, m_lastEvaluatedMs, windowMs());
    if (!plan.hasMessages()) {
        if (plan.nextState != told)
            mergeWebhookState(scope, told, plan.nextState);
        Q_EMIT webhookUpToDate();
        return;
    }
    bool all = false;
    parseSinceWindow(m_config.window, &all);
    const AlertPayloadContext context { all ? QStringLiteral("all") : m_config.window, m_last->runs,
        m_lastEvaluatedMs };
    const Json payload = buildAlertPayload(plan.toSend, plan.resolved, context);
    m_inFlight = plan;
    m_inFlightScope = scope;
    m_inFlightBefore = told;
    Q_EMIT deliveryStarted();
    m_sender->post(
        m_webhookUrl, QByteArray::fromStdString(payload.dump(-1, ' ', false, Json::error_handler_t::replace)));
}

void AlertMonitor::mergeWebhookState(const AlertScope& scope, const AlertState& before, const AlertState& after)
{
    m_ioPool.start([file = AlertStateFile(m_paths.webhookState), scope, before, after] {
        QString error;
        if (!file.merge(scope, before, after, &error) || !error.isEmpty())
            logger("alerts")->warn("alert state: {}", ss(error));
    });
}

void AlertMonitor::onDelivered(const WebhookResult& result)
{
    const qint64 now = Clock::nowMs();
    const QString host = m_webhookUrl.isValid() ? m_webhookUrl.host() : tr("the webhook");
    const int alerts = static_cast<int>(m_inFlight.toSend.size());
    const int resolved = static_cast<int>(m_inFlight.resolved.size());
    const int attempts = static_cast<int>(result.attempts);
    const QString alertsText = tr("%n alert(s)", nullptr, alerts);
    const QString resolvedText = tr("%n resolved message(s)", nullptr, resolved);
    if (result.ok) {
        mergeWebhookState(m_inFlightScope, m_inFlightBefore, m_inFlight.nextState);
        addHistory({ { now, AlertHistoryEntry::Kind::Sent, {}, {},
            tr("%1 and %2 delivered to %3.").arg(alertsText, resolvedText, host), m_inFlightScope.source } });
    } else {
        logger("alerts")->warn(
            "webhook delivery to {} failed after {} attempt(s): {}", ss(host), result.attempts, ss(result.error));
        addHistory({ { now, AlertHistoryEntry::Kind::Failed, {}, {},
            tr("%1 and %2 not delivered to %3 after %n attempt(s): %4. They are sent again at the next evaluation.",
                nullptr, attempts)
                .arg(alertsText, resolvedText, host, result.error.isEmpty() ? tr("unknown error") : result.error),
            m_inFlightScope.source } });
    }
    m_inFlight = {};
    Q_EMIT deliveryFinished(result.ok, result.error);
    if (m_webhookReplan) {
        m_webhookReplan = false;
        planWebhook();
    }
}

void AlertMonitor::addHistory(std::vector<AlertHistoryEntry> entries)
{
    if (entries.empty())
        return;
    m_history->addEntries(entries);
    m_ioPool.start([path = m_paths.history, json = historyToJson(m_history->entries())] { writeJsonFile(path, json); });
}

void AlertMonitor::saveShownStates()
{
    Json folders = Json::object();
    for (const auto& [folder, state] : m_shownByFolder) {
        if (!state.firing.empty())
            folders[ss(folder)] = alertStateToJson(state);
    }
    m_ioPool.start([path = m_paths.shownState, json = Json { { "version", 1 }, { "folders", folders } }] {
        writeJsonFile(path, json);
    });
}

} // namespace djp
