#pragma once
// The main window (docs/gui.md): filter sidebar, tabs Dashboard / Runs / Inspector / Launch / Alerts,
// an inline message bar, and a status bar with run count, problems, load time and runs folder.
// It wires the data session (RunSession) to the pages; it computes nothing itself.
//
// Plugging pages in: the Dashboard (DashboardPage::setData on every new view) and Inspector
// (InspectorPage::showArtifact on inspectorRequested) pages are created here. The Launch and Alerts
// pages are handed in with setLaunchPage() / setAlertsPage() (the window takes ownership and
// replaces the placeholder in the same tab position); they reach the data through session().
#include <QMainWindow>
#include <QPointer>
#include <optional>

class QAction;
class QDialog;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace djp {

class CompareDialog;
class FilterSidebar;
class MessageBar;
class ProblemsDialog;
class RunSession;
class RunsPage;
class SecretStore;
class Settings;
class DashboardPage;
class InspectorPage;
struct LoadStats;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Tab
    {
        Dashboard,
        Runs,
        Inspector,
        Launch,
        Alerts
    };
    static QString tabName(Tab tab); // "dashboard", "runs", "inspector", "launch", "alerts"
    static std::optional<Tab> tabFromName(const QString& name);

    // `settings` is not owned and must outlive the window. Restores geometry, filters and last tab;
    // does not open a folder (call openFolder() after show(), so the window appears at once).
    explicit MainWindow(Settings* settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    RunSession* session() const { return m_session; }
    Settings* settings() const { return m_settings; }
    FilterSidebar* filterSidebar() const { return m_sidebar; }
    RunsPage* runsPage() const { return m_runsPage; }
    MessageBar* messageBar() const { return m_messageBar; }
    QTabWidget* tabs() const { return m_tabs; }
    DashboardPage* dashboardPage() const { return m_dashboardPage; }
    InspectorPage* inspectorPage() const { return m_inspectorPage; }

    void openFolder(const QString& dir); // remembers it as the last and a recent folder
    // Shows a team history (docs/team-history.md, "The desktop app"). `password` (optional) is used
    // for this connection and, with `rememberPassword`, kept in the SecretStore under the URL without
    // its password; without one, a remembered password or libpq's password file is used. Only the
    // URL without its password reaches the settings. Connecting happens off the GUI thread.
    void openTeamHistory(const QString& url, const QString& password = {}, bool rememberPassword = false);
    // Where passwords are kept; default: a SecretStore of the window's own. Not owned.
    void setSecretStore(SecretStore* store) { m_secrets = store; }
    SecretStore* secretStore();
    void showTab(Tab tab);
    Tab currentTab() const;
    QWidget* page(Tab tab) const;
    void setLaunchPage(QWidget* page);
    void setAlertsPage(QWidget* page);

    // Opens a run's artifact in the Inspector tab and switches to it.
    void inspectRun(const QString& artifactPath);
    // Shows the newest run of the filtered set in the Inspector (without switching tabs); false if none.
    bool inspectNewestRun();
    QString inspectedPath() const { return m_inspectedPath; }

    // Exports exactly the filtered set to `path` (CSV) through the engine. No dialog; returns false
    // with *error (the OS reason) on failure. The File → Export action asks for a path, then calls this.
    // A team history is exported in the background: true means started; exportFinished() tells the end
    // (a folder's export emits it too, at once).
    bool exportCsv(const QString& path, QString* error = nullptr);

    // Where the Markdown guides are: the installed doc folder next to the program, else the source
    // tree's docs/ (a build run in place). Empty when neither exists.
    static QString documentationDir();
    QDialog* shortcutsDialog() const { return m_shortcutsDialog; } // null until shown once
    CompareDialog* lastCompareDialog() const; // the last Compare window opened, while it is open

public Q_SLOTS:
    void openFolderDialog();
    void openTeamHistoryDialog();
    void reload();
    void exportCsvDialog();
    void showProblems();
    void showAbout();
    void showShortcuts(); // a window listing every menu shortcut and the keys of the tables
    void openDocumentation();
    void cancelRun(); // the run shown on the Launch tab, if it is still going
    // Opens a Compare window for 2 to 4 artifacts (null otherwise); it reads them off the GUI thread.
    CompareDialog* compareRuns(const QStringList& artifactPaths);

Q_SIGNALS:
    void inspectorRequested(const QString& artifactPath);
    void exportFinished(bool ok, const QString& path, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void replacePage(Tab tab, QWidget* page);
    void restoreSettings();
    void saveSettings();
    void rebuildRecentMenu();
    void updateStatus();
    void updateMessageBar();
    void onLoadStarted(bool reload);
    void onLoadFinished(const djp::LoadStats& stats);
    void onFilteredChanged();
    void onMessageLink(const QString& link);
    void updateRunActions();
    void updateTitle();
    void onSourceChanged();
    void onExportFinished(bool ok, const QString& path, qint64 runs, const QString& error);

    Settings* m_settings;
    RunSession* m_session;
    FilterSidebar* m_sidebar;
    MessageBar* m_messageBar;
    QSplitter* m_splitter;
    QTabWidget* m_tabs;
    RunsPage* m_runsPage;
    DashboardPage* m_dashboardPage = nullptr;
    InspectorPage* m_inspectorPage = nullptr;
    QWidget* m_pages[5] = {};
    ProblemsDialog* m_problemsDialog = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_openTeamAction = nullptr;
    SecretStore* m_secrets = nullptr;
    quint64 m_teamOpenRequest = 0;
    QAction* m_reloadAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_cancelRunAction = nullptr;
    QAction* m_cancelLoadAction = nullptr;
    QDialog* m_shortcutsDialog = nullptr;
    QAction* m_compareAction = nullptr;
    QPointer<CompareDialog> m_lastCompare;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_runsLabel = nullptr;
    QLabel* m_problemsLabel = nullptr;
    QLabel* m_loadTimeLabel = nullptr;
    QLabel* m_folderLabel = nullptr;
    QLabel* m_teamPushLabel = nullptr; // the last launched run's push to the team history
    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancelButton = nullptr;

    QString m_inspectedPath;
    QString m_lastExportPath;
    int m_shownProblemCount = -1;
};

} // namespace djp
