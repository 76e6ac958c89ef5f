#pragma once
// Evaluates the alert rules of docs/metrics.md for the desktop application and decides what to tell the
// user and the webhook. The Alerts tab shows its models and reacts to its signals.
//
// - Evaluation runs over every record of the session's runs folder within the alert window (not the
//   sidebar filters), off the GUI thread, whenever the session finishes a (re)load, when asked
//   (evaluateNow) and every few minutes (runs age out of a relative window). Latest request wins.
// - "Shown" state: planAlertNotifications() against what the user was already told decides when
//   alertsRaised() fires (newly firing, firing again after a window, escalated), so a reload does not
//   raise the same alert again. Kept per runs folder (another folder's alerts are its own) in
//   <config>/alert-state-studio.json.
// - Webhook state: with a webhook URL, planAlertNotifications() against what the webhook was told
//   about this runs folder and window decides what to POST. That state is the CLI's file,
//   <config>/alert-state.json (AlertStateFile: scoped by folder and window, merged under a lock),
//   read afresh before each plan and merged only after a successful delivery (as `djp alerts`
//   does), so the two never post the same alert twice, never undo each other's writes, and
//   switching folders never "resolves" the other folder's alerts. A failed delivery is kept in the
//   history and tried again next time.
// - History (fired / resolved / sent / failed, with times) in <config>/alert-history.json.
// Files are read and written on a one-thread pool (in order), never on the GUI thread.
//
// Threading: lives on the GUI thread and is used from it; workers get immutable inputs.
#include "core/retrypolicy.h"
#include "metrics/alertstate.h"
#include "models/alertmodels.h"
#include "models/runtablemodel.h"
#include "session/latestrequest.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>
#include <map>
#include <optional>

namespace djp {

class RunSession;
class WebhookSender;
struct WebhookResult;

class AlertMonitor : public QObject
{
    Q_OBJECT
public:
    struct Paths
    {
        QString webhookState; // shared with `djp alerts`
        QString shownState;
        QString history;
    };
    static Paths defaultPaths(); // in djp::configDir(), read when the monitor is created

    // Starts reading the state files at once; evaluations wait for them.
    explicit AlertMonitor(RunSession* session, QObject* parent = nullptr);
    AlertMonitor(RunSession* session, const Paths& paths, QObject* parent = nullptr);
    ~AlertMonitor() override;

    AlertResultsModel* resultsModel() const { return m_results; }
    AlertHistoryModel* historyModel() const { return m_history; }

    AlertConfig config() const { return m_config; }
    // Applies at the next evaluation. False (and nothing changes) when the window does not parse.
    bool setConfig(const AlertConfig& config, QString* error = nullptr);
    // Empty or invalid = no webhook. Never logged; only its host appears in the history.
    void setWebhookUrl(const QUrl& url);
    bool hasWebhook() const { return m_webhookUrl.isValid(); }
    void setRetryPolicy(const RetryPolicy& policy);
    void setPeriodicIntervalMs(int ms); // default 5 minutes; 0 turns the timer off

    // Re-evaluates now (coalesced with other requests in the same event-loop turn).
    void evaluateNow();

    std::optional<AlertEvaluation> lastEvaluation() const { return m_last; }
    qint64 lastEvaluatedMs() const { return m_lastEvaluatedMs; }
    bool isEvaluating() const { return m_evaluating; }
    bool isSending() const;
    // Reading the webhook state or delivering: the hook's view is not settled yet.
    bool isWebhookBusy() const { return m_webhookLoading || isSending(); }
    // Rules firing in the last evaluation.
    std::vector<AlertCheck> firing() const { return m_last ? m_last->firing() : std::vector<AlertCheck> {}; }

Q_SIGNALS:
    void evaluationStarted();
    // The results model holds a new evaluation (or the reason none was possible).
    void evaluated();
    // Rules newly firing per planAlertNotifications() (see above): show a banner, notify the desktop.
    // `text` is plain text for one line; `critical` when any of them is critical.
    void alertsRaised(const QString& text, bool critical);
    // After every evaluation: how many rules are firing now (0 = all clear or not evaluated).
    void firingChanged(int count, bool critical);
    // The webhook plan of an evaluation was made and nothing needed sending (deliveryStarted() is
    // emitted instead when something does): lets tests and the UI know the hook is up to date.
    void webhookUpToDate();
    void deliveryStarted();
    void deliveryFinished(bool ok, const QString& error);

private:
    // No evaluation for the current source (`why` fills the rows): drops any running one.
    void showNotEvaluated(const QString& why);
    void startReadingState();
    void scheduleEvaluation();
    void runEvaluation();
    void runTeamEvaluation();
    template <typename Work, typename Apply> void evaluateOffThread(Work work, Apply apply);
    void onEvaluated(const AlertEvaluation& evaluation, qint64 nowMs, const QString& folder);
    void planWebhook();
    void deliverWebhook(const AlertScope& scope, const AlertState& told);
    void mergeWebhookState(const AlertScope& scope, const AlertState& before, const AlertState& after);
    void onDelivered(const WebhookResult& result);
    void addHistory(std::vector<AlertHistoryEntry> entries);
    void saveShownStates();
    std::optional<qint64> windowMs() const;

    RunSession* m_session;
    Paths m_paths;
    AlertResultsModel* m_results;
    AlertHistoryModel* m_history;
    WebhookSender* m_sender;
    QThreadPool m_evalPool;
    QThreadPool m_ioPool; // one thread: writes happen in the order they were asked for
    QTimer m_coalesce;
    QTimer m_periodic;

    AlertConfig m_config;
    QUrl m_webhookUrl;
    bool m_stateReady = false;
    bool m_evaluating = false;
    bool m_evaluationPending = false;
    LatestRequest m_latest; // evaluations: the latest request wins
    std::optional<AlertEvaluation> m_last;
    qint64 m_lastEvaluatedMs = 0;

    std::map<QString, AlertState> m_shownByFolder; // runs folder -> what the user was shown
    QString m_lastFolder; // the runs folder of m_last
    bool m_webhookLoading = false; // the scope's state is being read
    AlertPlan m_inFlight; // the webhook plan being delivered
    AlertScope m_inFlightScope;
    AlertState m_inFlightBefore; // what the hook had been told when m_inFlight was planned
    bool m_webhookReplan = false; // an evaluation arrived while a delivery was running
};

} // namespace djp
