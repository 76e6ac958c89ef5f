#pragma once
// The Alerts tab (docs/metrics.md and docs/gui.md): thresholds of the five rules, the window, the minimum number of
// runs, the webhook URL (masked once entered), "Evaluate now", the results of the last evaluation
// and the notification history. The rules, their evaluation and what to notify are AlertMonitor's
// (ui/models/alertmonitor.h); this page edits its configuration and shows what it reports.
//
// When an alert is raised the page shows a banner at its top, and install() also wires a status
// bar message, the tab's title ("Alerts (2)") and a desktop notification through the system tray
// when one is available (offscreen there is none: banner and status bar only).
//
// Thread contract: GUI thread only; nothing here touches disk or network (the monitor does that
// off the GUI thread; the settings store is QSettings, written lazily).
#include <QWidget>
#include <map>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QSystemTrayIcon;
class QTableView;
class QTimer;

namespace djp {

class AlertMonitor;
class MainWindow;
class MessageBar;
class RunSession;
class SecretStore;
class Settings;
struct AlertConfig;
enum class AlertRule;

class AlertsPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kConfigDebounceMs = 600;

    // `settings` is not owned and must outlive the page. The configuration is read from it and
    // written back when edited. The webhook URL lives in `secrets` (default: a SecretStore of the
    // page's own); a URL still in the settings (0.1 kept it there, base64) is moved out at once.
    AlertsPage(RunSession* session, Settings* settings, QWidget* parent = nullptr, SecretStore* secrets = nullptr);
    ~AlertsPage() override;

    // Creates the page for `window`, hands it to MainWindow::setAlertsPage(), and connects the
    // window-wide parts: status bar message, tab title, Ctrl+Shift+E from any tab.
    static AlertsPage* install(MainWindow* window);

    AlertMonitor* monitor() const { return m_monitor; }
    SecretStore* secrets() const { return m_secrets; }
    // The stored webhook URL is known (read from the secret store, or entered).
    bool webhookLoaded() const { return m_webhookLoaded; }

    static QString webhookSecretKey() { return QStringLiteral("alerts/webhook"); }
    MessageBar* banner() const { return m_banner; }
    QAction* evaluateAction() const { return m_evaluateAction; }

public Q_SLOTS:
    void evaluateNow();

Q_SIGNALS:
    // The user clicked the desktop notification or asked to see the alerts.
    void showRequested();

private:
    void buildUi();
    void loadConfigIntoWidgets();
    void onConfigEdited();
    void resetToDefaults();
    AlertConfig configFromWidgets() const;
    void updateRuleTooltips();
    void updateScope();
    // The Source column only when the history mixes sources; else the title names the one source.
    void updateHistorySource();
    void updateStatus();
    void showStoredWebhook();
    void loadStoredWebhook();
    void applyStoredWebhook(const QString& url);
    void startChangingWebhook();
    void commitWebhook();
    void removeWebhook();
    void onAlertsRaised(const QString& text, bool critical);
    void refreshBanner();
    void notifyDesktop(const QString& text, bool critical);
    bool eventFilter(QObject* watched, QEvent* event) override;

    RunSession* m_session;
    Settings* m_settings;
    SecretStore* m_secrets = nullptr;
    QString m_webhookUrl; // the secret itself: never shown, logged or written to the settings
    bool m_webhookLoaded = false;
    AlertMonitor* m_monitor;
    MessageBar* m_banner = nullptr;
    std::map<AlertRule, QDoubleSpinBox*> m_thresholds;
    QComboBox* m_window = nullptr;
    QLabel* m_windowHint = nullptr;
    QSpinBox* m_minRuns = nullptr;
    QLineEdit* m_webhookEdit = nullptr;
    QPushButton* m_webhookChange = nullptr;
    QPushButton* m_webhookRemove = nullptr;
    QLabel* m_webhookHint = nullptr;
    QPushButton* m_evaluateButton = nullptr;
    QAction* m_evaluateAction = nullptr;
    QLabel* m_scope = nullptr;
    QLabel* m_status = nullptr;
    QTableView* m_resultsView = nullptr;
    QTableView* m_historyView = nullptr;
    QLabel* m_historyTitle = nullptr;
    QTimer* m_configDebounce = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    bool m_loadingWidgets = false;
    QString m_deliveryText; // last delivery outcome, for the status line
};

} // namespace djp
