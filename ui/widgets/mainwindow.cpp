#include "mainwindow.h"

#include "aboutdialog.h"
#include "comparedialog.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/strings.h"
#include "dashboardpage.h"
#include "display/displayformat.h"
#include "filtersidebar.h"
#include "inspectorpage.h"
#include "launchpage.h"
#include "messagebar.h"
#include "models/problemsmodel.h"
#include "models/runtablemodel.h"
#include "problemsdialog.h"
#include "runprogresswidget.h"
#include "runspage.h"
#include "session/launchcontroller.h"
#include "session/runsession.h"
#include "session/secretstore.h"
#include "session/settings.h"
#include "session/teamhistory.h"
#include "team/pgconnection.h"
#include "teamhistorydialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

namespace djp {

namespace {

constexpr int kTabCount = 5;

int tabIndex(MainWindow::Tab tab)
{
    return static_cast<int>(tab);
}

// Temporary page for a tab whose real page is built elsewhere and plugged in later.
QWidget* makePlaceholder(const QString& objectName, const QString& text)
{
    auto* page = new QWidget;
    page->setObjectName(objectName);
    auto* label = new QLabel(text, page);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(label);
    return page;
}

} // namespace

QString MainWindow::tabName(Tab tab)
{
    switch (tab) {
    case Tab::Dashboard:
        return QStringLiteral("dashboard");
    case Tab::Runs:
        return QStringLiteral("runs");
    case Tab::Inspector:
        return QStringLiteral("inspector");
    case Tab::Launch:
        return QStringLiteral("launch");
    case Tab::Alerts:
        return QStringLiteral("alerts");
    }
    return QStringLiteral("dashboard");
}

std::optional<MainWindow::Tab> MainWindow::tabFromName(const QString& name)
{
    for (Tab t : { Tab::Dashboard, Tab::Runs, Tab::Inspector, Tab::Launch, Tab::Alerts })
        if (tabName(t) == name.trimmed().toLower())
            return t;
    return std::nullopt;
}

MainWindow::MainWindow(Settings* settings, QWidget* parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_session(new RunSession(this))
    , m_sidebar(new FilterSidebar)
    , m_messageBar(new MessageBar)
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_tabs(new QTabWidget)
    , m_runsPage(new RunsPage(m_session->runsModel()))
{
    setObjectName(QStringLiteral("mainWindow"));
    updateTitle();

    m_dashboardPage = new DashboardPage;
    m_pages[tabIndex(Tab::Dashboard)] = m_dashboardPage;
    m_pages[tabIndex(Tab::Runs)] = m_runsPage;
    m_inspectorPage = new InspectorPage;
    m_pages[tabIndex(Tab::Inspector)] = m_inspectorPage;
    m_pages[tabIndex(Tab::Launch)]
        = makePlaceholder(QStringLiteral("launchPlaceholder"), tr("The Launch form will be here."));
    m_pages[tabIndex(Tab::Alerts)]
        = makePlaceholder(QStringLiteral("alertsPlaceholder"), tr("Alert rules and history will be here."));

    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pages[0], tr("&Dashboard"));
    m_tabs->addTab(m_pages[1], tr("R&uns"));
    m_tabs->addTab(m_pages[2], tr("&Inspector"));
    m_tabs->addTab(m_pages[3], tr("&Launch"));
    m_tabs->addTab(m_pages[4], tr("&Alerts"));
    m_tabs->setTabToolTip(0, tr("KPIs and charts of the filtered runs"));
    m_tabs->setTabToolTip(1, tr("Every filtered run in a sortable table"));
    m_tabs->setTabToolTip(2, tr("One run's artifact in detail"));
    m_tabs->setTabToolTip(3, tr("Start a new run (Ctrl+R)"));
    m_tabs->setTabToolTip(4, tr("Alert rules over recent runs"));

    auto* sideScroll = new QScrollArea;
    sideScroll->setObjectName(QStringLiteral("filterScroll"));
    sideScroll->setWidget(m_sidebar);
    sideScroll->setWidgetResizable(true);
    sideScroll->setFrameShape(QFrame::NoFrame);
    sideScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sideScroll->setMinimumWidth(m_sidebar->sizeHint().width() + 16);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(4);
    rightLayout->addWidget(m_messageBar);
    rightLayout->addWidget(m_tabs, 1);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(sideScroll);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setCollapsible(1, false);
    m_splitter->setSizes({ 240, 1160 });
    setCentralWidget(m_splitter);

    createActions();
    createStatusBar();

    connect(m_sidebar, &FilterSidebar::filterChanged, this, [this](const FilterState& state) {
        m_settings->setFilters(state);
        m_session->setFilter(state);
    });
    connect(m_session, &RunSession::loadStarted, this, &MainWindow::onLoadStarted);
    connect(m_session, &RunSession::loadProgress, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
        m_progress->setValue(static_cast<int>(done));
    });
    connect(m_session, &RunSession::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_session, &RunSession::rowsAppended, this, &MainWindow::updateStatus);
    connect(m_session, &RunSession::problemsChanged, this, &MainWindow::updateStatus);
    connect(m_session, &RunSession::filteredChanged, this, &MainWindow::onFilteredChanged);
    connect(m_session, &RunSession::runsDirChanged, this, [this](const QString& dir) {
        if (m_problemsDialog)
            m_problemsDialog->setRunsDir(dir);
    });
    connect(m_session, &RunSession::sourceChanged, this, &MainWindow::onSourceChanged);
    connect(m_session, &RunSession::teamHistoryFailed, this, [this](const QString& message) {
        m_messageBar->showMessage(
            tr("Team history %1: %2 <a href=\"reload\">Try again</a> or <a href=\"openTeam\">open "
               "another</a>.")
                .arg(m_session->teamHistoryLabel().toHtmlEscaped(), message.toHtmlEscaped()),
            MessageBar::Level::Error);
        updateStatus();
    });
    connect(m_session, &RunSession::teamWatchingChanged, this, [this] { updateStatus(); });
    connect(m_session, &RunSession::exportFinished, this, &MainWindow::onExportFinished);
    connect(m_runsPage, &RunsPage::runActivated, this, &MainWindow::inspectRun);
    connect(m_runsPage, &RunsPage::compareRequested, this, &MainWindow::compareRuns);
    // Column choices are kept at once, not only at close: a crash must not forget them.
    connect(m_runsPage, &RunsPage::headerStateChanged, this, [this] {
        m_settings->setRunsHeaderState(m_runsPage->saveHeaderState());
        m_settings->sync();
    });
    connect(m_messageBar, &MessageBar::linkActivated, this, &MainWindow::onMessageLink);
    connect(this, &MainWindow::inspectorRequested, m_inspectorPage, &InspectorPage::showArtifact);
    connect(m_dashboardPage, &DashboardPage::launchRequested, this, [this] { showTab(Tab::Launch); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index >= 0 && index < kTabCount)
            m_settings->setLastTab(tabName(static_cast<Tab>(index)));
    });

    restoreSettings();
    onFilteredChanged();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_openAction = file->addAction(tr("&Open Runs Folder…"), this, &MainWindow::openFolderDialog);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Choose the folder whose run artifacts are shown"));
    m_openTeamAction = file->addAction(tr("Open &Team History…"), this, &MainWindow::openTeamHistoryDialog);
    m_openTeamAction->setObjectName(QStringLiteral("openTeamHistoryAction"));
    m_openTeamAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openTeamAction->setToolTip(tr("Show the runs a team shares in a PostgreSQL database"));
    m_recentMenu = file->addMenu(tr("Recent &Folders"));
    m_reloadAction = file->addAction(tr("&Reload"), this, &MainWindow::reload);
    m_reloadAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_reloadAction->setToolTip(tr("Read the runs folder again (unchanged files come from the index)"));
    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export CSV…"), this, &MainWindow::exportCsvDialog);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Save the filtered runs as CSV"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* find = edit->addAction(tr("&Find Runs"), m_sidebar, &FilterSidebar::focusSearch);
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    find->setToolTip(tr("Search the task and trace name of the runs"));
    QAction* resetFilters = edit->addAction(tr("&Reset Filters"), m_sidebar, &FilterSidebar::reset);
    resetFilters->setToolTip(tr("Back to the last 7 days with no other filter"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QString names[kTabCount] = { tr("&Dashboard"), tr("R&uns"), tr("&Inspector"), tr("&Launch"), tr("&Alerts") };
    for (int i = 0; i < kTabCount; ++i) {
        QAction* a = view->addAction(names[i], this, [this, i] { showTab(static_cast<Tab>(i)); });
        a->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QAction* launch = run->addAction(tr("&New Run…"), this, [this] {
        // Elsewhere Ctrl+R opens the Launch tab with the cursor in the Task box (typing must never land
        // in the sidebar's search); on the Launch tab it starts the run.
        auto* page = qobject_cast<LaunchPage*>(m_pages[tabIndex(Tab::Launch)]);
        if (page && currentTab() == Tab::Launch && !page->launch().isEmpty())
            return;
        showTab(Tab::Launch);
        if (page)
            page->focusTask();
    });
    launch->setObjectName(QStringLiteral("newRunAction"));
    launch->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    launch->setToolTip(tr("Go to the Launch tab with the cursor in the Task box; on that tab, start the run"));
    m_cancelRunAction = run->addAction(tr("&Cancel Run"), this, &MainWindow::cancelRun);
    m_cancelRunAction->setObjectName(QStringLiteral("cancelRunAction"));
    m_cancelRunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelRunAction->setToolTip(tr("Stop the run shown on the Launch tab (calls in flight are aborted)"));
    m_cancelLoadAction = run->addAction(tr("Stop &Loading"), m_session, &RunSession::cancelLoad);
    m_cancelLoadAction->setObjectName(QStringLiteral("cancelLoadAction"));
    m_cancelLoadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_cancelLoadAction->setEnabled(false);
    run->addSeparator();
    m_compareAction = run->addAction(tr("Co&mpare Selected Runs"), this, [this] {
        if (m_runsPage->canCompare())
            compareRuns(m_runsPage->selectedPaths());
    });
    m_compareAction->setObjectName(QStringLiteral("compareAction"));
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_compareAction->setToolTip(tr("Select 2 to 4 runs in the Runs table (Ctrl+click) to see them side by side"));
    m_compareAction->setEnabled(false);
    connect(m_runsPage, &RunsPage::selectionCountChanged, this,
        [this](int n) { m_compareAction->setEnabled(n >= 2 && n <= 4 && !m_session->isTeamHistory()); });
    connect(run, &QMenu::aboutToShow, this, &MainWindow::updateRunActions);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    keys->setShortcut(QKeySequence::HelpContents);
    QAction* docs = help->addAction(tr("Open &Documentation Folder"), this, &MainWindow::openDocumentation);
    docs->setObjectName(QStringLiteral("docsAction"));
    docs->setToolTip(tr("The Markdown guides to the dashboard, launch, alerts, metrics and artifact format"));
    help->addSeparator();
    QAction* about = help->addAction(tr("&About DJP Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);

    rebuildRecentMenu();
}

void MainWindow::createStatusBar()
{
    auto makeLabel = [this](const QString& name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        return l;
    };
    m_runsLabel = makeLabel(QStringLiteral("statusRuns"));
    m_problemsLabel = makeLabel(QStringLiteral("statusProblems"));
    m_loadTimeLabel = makeLabel(QStringLiteral("statusLoadTime"));
    m_folderLabel = makeLabel(QStringLiteral("statusFolder"));
    m_teamPushLabel = makeLabel(QStringLiteral("statusTeamPush"));
    m_teamPushLabel->hide();
    m_runsLabel->setToolTip(tr("Runs matching the filters / runs loaded"));
    m_problemsLabel->setToolTip(tr("Files in the runs folder that could not be read (click for details)"));
    m_loadTimeLabel->setToolTip(tr("How long the last load of the runs folder took"));
    m_problemsLabel->setTextFormat(Qt::RichText);
    connect(m_problemsLabel, &QLabel::linkActivated, this, &MainWindow::showProblems);
    m_folderLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderLabel->setMinimumWidth(80);
    m_folderLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setMaximumWidth(200);
    m_progress->setTextVisible(false);
    m_progress->setToolTip(tr("Reading the runs folder"));
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setObjectName(QStringLiteral("cancelLoad"));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setAccessibleName(tr("Cancel loading"));
    m_cancelButton->setToolTip(tr("Stop loading; the runs read so far stay shown"));
    connect(m_cancelButton, &QToolButton::clicked, m_session, &RunSession::cancelLoad);
    m_progress->hide();
    m_cancelButton->hide();

    statusBar()->addWidget(m_runsLabel);
    statusBar()->addWidget(m_problemsLabel);
    statusBar()->addWidget(m_loadTimeLabel);
    statusBar()->addWidget(m_progress);
    statusBar()->addWidget(m_cancelButton);
    statusBar()->addWidget(m_teamPushLabel);
    statusBar()->addPermanentWidget(m_folderLabel, 1);
    updateStatus();
}

void MainWindow::replacePage(Tab tab, QWidget* page)
{
    const int i = tabIndex(tab);
    QWidget* old = m_pages[i];
    const bool wasCurrent = m_tabs->currentIndex() == i;
    const QString label = m_tabs->tabText(i);
    const QString tip = m_tabs->tabToolTip(i);
    {
        const QSignalBlocker block(m_tabs);
        m_tabs->removeTab(i);
        m_tabs->insertTab(i, page, label);
        m_tabs->setTabToolTip(i, tip);
        if (wasCurrent)
            m_tabs->setCurrentIndex(i);
    }
    m_pages[i] = page;
    delete old;
}

void MainWindow::setLaunchPage(QWidget* page)
{
    replacePage(Tab::Launch, page);
    auto* launch = qobject_cast<LaunchPage*>(page);
    if (!launch)
        return;
    connect(launch, &LaunchPage::openArtifactRequested, this, &MainWindow::inspectRun);
    connect(launch->controller(), &LaunchController::teamPushFinished, this,
        [this](const QString&, bool ok, int artifacts, const QString& message) {
            if (ok) {
                // English singular: "Run pushed to the team history" (no count).
                m_teamPushLabel->setText(tr("%Ln run(s) pushed to the team history", nullptr, artifacts));
                m_teamPushLabel->setToolTip(QString());
            } else {
                m_teamPushLabel->setText(tr("Run saved locally; the team history was not updated"));
                m_teamPushLabel->setToolTip(
                    tr("%1\nIt is pushed with the next run, or run: djp team push").arg(message));
            }
            m_teamPushLabel->show();
        });
}
void MainWindow::setAlertsPage(QWidget* page)
{
    replacePage(Tab::Alerts, page);
}

QWidget* MainWindow::page(Tab tab) const
{
    return m_pages[tabIndex(tab)];
}

void MainWindow::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tabIndex(tab));
}

MainWindow::Tab MainWindow::currentTab() const
{
    const int i = m_tabs->currentIndex();
    return i >= 0 && i < kTabCount ? static_cast<Tab>(i) : Tab::Dashboard;
}

void MainWindow::restoreSettings()
{
    const QByteArray geometry = m_settings->windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1400, 900);
    restoreState(m_settings->windowState());
    const QByteArray splitter = m_settings->splitterState();
    if (!splitter.isEmpty())
        m_splitter->restoreState(splitter);
    m_runsPage->restoreHeaderState(m_settings->runsHeaderState());
    const FilterState filters = m_settings->filters();
    m_sidebar->setState(filters);
    m_session->setFilter(filters);
    if (const auto tab = tabFromName(m_settings->lastTab()))
        showTab(*tab);
}

void MainWindow::saveSettings()
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setSplitterState(m_splitter->saveState());
    m_settings->setRunsHeaderState(m_runsPage->saveHeaderState());
    m_settings->setFilters(m_sidebar->state());
    m_settings->setLastTab(tabName(currentTab()));
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    m_session->cancelLoad();
    QMainWindow::closeEvent(event);
}

void MainWindow::openFolder(const QString& dir)
{
    ++m_teamOpenRequest; // a team history still reading its password is not opened any more
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
    m_settings->setLastFolder(clean);
    m_settings->addRecentFolder(clean);
    rebuildRecentMenu();
    m_inspectedPath.clear();
    m_inspectorPage->clear();
    m_shownProblemCount = -1;
    m_messageBar->hide();
    m_session->openFolder(clean);
}

SecretStore* MainWindow::secretStore()
{
    if (!m_secrets)
        m_secrets = new SecretStore(this);
    return m_secrets;
}

void MainWindow::openTeamHistory(const QString& url, const QString& password, bool rememberPassword)
{
    const QString redacted = redactDbUrl(url);
    m_settings->setLastTeamHistory(redacted);
    m_settings->sync();
    m_inspectedPath.clear();
    m_inspectorPage->clear();
    m_shownProblemCount = -1;
    m_messageBar->hide();
    const quint64 request = ++m_teamOpenRequest;
    const QString key = QStringLiteral("team-history-password:") + redacted;
    if (!password.isEmpty()) {
        if (rememberPassword)
            secretStore()->write(key, password, [this](bool ok, const QString& error) {
                if (!ok)
                    logger("ui")->warn("the team history password could not be remembered: {}", ss(error));
            });
        m_session->openTeamHistory(teamUrlWithPassword(url, password));
        return;
    }
    if (dbUrlHasPassword(url)) {
        m_session->openTeamHistory(url);
        return;
    }
    // A remembered password, else none (libpq's password file, or a server that needs none). The
    // keyring answers asynchronously: show the connection as under way already.
    m_progress->setRange(0, 0);
    m_progress->show();
    m_runsLabel->setText(tr("Connecting…"));
    QPointer<MainWindow> self(this);
    secretStore()->read(key, [self, url, request](std::optional<QString> value, const QString&) {
        if (!self || request != self->m_teamOpenRequest)
            return;
        self->m_session->openTeamHistory(teamUrlWithPassword(url, value.value_or(QString())));
    });
}

void MainWindow::openTeamHistoryDialog()
{
    TeamHistoryDialog dialog(m_settings->lastTeamHistory(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    openTeamHistory(dialog.url(), dialog.password(), dialog.rememberPassword());
}

void MainWindow::onSourceChanged()
{
    const bool team = m_session->isTeamHistory();
    updateTitle();
    m_dashboardPage->scrollToTop(); // a new source is a new page: start at its top
    m_folderLabel->setText(m_session->sourceLabel());
    m_folderLabel->setToolTip(team ? tr("The runs shown come from this team history (PostgreSQL)")
                                   : tr("Runs folder: %1").arg(m_session->sourceLabel()));
    m_inspectorPage->setArtifactFetcher(m_session->teamArtifactFetcher());
    m_runsPage->setServerOrdered(team);
    m_progress->setToolTip(team ? tr("Connecting to the team history") : tr("Reading the runs folder"));
    m_reloadAction->setToolTip(team ? tr("Read the team history again")
                                    : tr("Read the runs folder again (unchanged files come from the index)"));
}

void MainWindow::openFolderDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Runs Folder"), m_session->runsDir());
    if (!dir.isEmpty())
        openFolder(dir);
}

void MainWindow::reload()
{
    m_session->reload();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_settings->recentFolders();
    for (const QString& dir : recent) {
        QAction* a = m_recentMenu->addAction(QDir::toNativeSeparators(dir), this, [this, dir] { openFolder(dir); });
        a->setToolTip(tr("Open %1").arg(QDir::toNativeSeparators(dir)));
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear List"), this, [this] {
            m_settings->clearRecentFolders();
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::onLoadStarted(bool reload)
{
    if (!reload) {
        m_progress->setRange(0, 0); // busy until the scan knows the file count
        m_progress->show();
        m_cancelButton->show();
    }
    m_cancelLoadAction->setEnabled(true);
    m_exportAction->setEnabled(false);
    updateStatus();
}

void MainWindow::onLoadFinished(const LoadStats& stats)
{
    m_progress->hide();
    m_cancelButton->hide();
    m_cancelLoadAction->setEnabled(false);
    m_exportAction->setEnabled(true);
    if (m_session->isTeamHistory()) {
        m_loadTimeLabel->setText(stats.cancelled ? tr("Connecting cancelled")
                : m_session->teamError().isEmpty()
                ? tr("Connected in %1")
                      .arg(formatDurationSeconds(static_cast<double>(m_session->lastLoadWallMs()) / 1000.0))
                : tr("Not connected"));
        m_loadTimeLabel->setToolTip(tr("Time to the first dashboard of the team history"));
        updateStatus();
        updateMessageBar();
        return;
    }
    m_loadTimeLabel->setText(stats.cancelled
            ? tr("Load cancelled")
            : tr("Loaded in %1").arg(formatDurationSeconds(static_cast<double>(m_session->lastLoadWallMs()) / 1000.0)));
    const int filesSeen = static_cast<int>(std::min<qint64>(stats.filesSeen, std::numeric_limits<int>::max()));
    m_loadTimeLabel->setToolTip(tr("%Ln file(s): %1 parsed, %2 from the index", nullptr, filesSeen)
                                    .arg(formatCount(stats.parsedFiles), formatCount(stats.indexedFiles)));
    updateStatus();
    updateMessageBar();
}

void MainWindow::onFilteredChanged()
{
    if (m_session->isTeamHistory() && m_session->teamError().isEmpty() && m_messageBar->isVisible()
        && m_messageBar->level() == MessageBar::Level::Error)
        m_messageBar->hide(); // the team history answers again
    const std::shared_ptr<const RunView> view = m_session->view();
    if (view) {
        m_sidebar->setFacets(view->facets);
        m_runsPage->setEmptyText(view->records->empty()
                ? tr("No runs loaded. Open a runs folder (Ctrl+O) or launch a first run (Ctrl+R).")
                : tr("No runs match the filters. Widen the time range or reset the filters."));
        m_dashboardPage->setData(view->dashboard);
    }
    updateStatus();
}

void MainWindow::updateStatus()
{
    const qint64 shown = m_session->matchedCount();
    const int total = m_session->totalLoaded();
    if (m_session->isTeamHistory() && m_session->isLoading())
        m_runsLabel->setText(tr("Connecting…"));
    else if (m_session->isLoading())
        m_runsLabel->setText(tr("Loading… %Ln run(s)", nullptr, total));
    else
        m_runsLabel->setText(tr("%1 of %Ln run(s)", nullptr, total).arg(formatCount(shown)));
    if (m_session->isTeamHistory())
        m_folderLabel->setText(m_session->sourceLabel()
            + (m_session->isTeamWatching()             ? tr(" (live)")
                    : m_session->teamError().isEmpty() ? QString()
                                                       : tr(" (not connected)")));
    const int problems = m_session->problemCount();
    m_problemsLabel->setText(
        problems == 0 ? tr("No problems") : tr("<a href=\"problems\">%Ln problem(s)</a>", nullptr, problems));
}

void MainWindow::updateMessageBar()
{
    if (m_session->isTeamHistory()) {
        if (m_session->teamError().isEmpty() && !m_session->isLoading())
            m_messageBar->hide();
        return; // failures are shown as they happen (teamHistoryFailed)
    }
    const int problems = m_session->problemCount();
    const int runs = m_session->totalLoaded();
    const LoadStats stats = m_session->lastLoadStats();
    if (stats.cancelled) {
        m_messageBar->showMessage(
            tr("Loading was cancelled after %Ln run(s). <a href=\"reload\">Load again</a>", nullptr, runs),
            MessageBar::Level::Info);
        return;
    }
    if (problems > 0) {
        // Only re-show when the count changed, so a live reload does not re-open a bar the user closed.
        if (problems != m_shownProblemCount)
            m_messageBar->showMessage(
                tr("Loaded %Ln run(s); %1 could not be read — <a href=\"problems\">Show details</a>", nullptr, runs)
                    .arg(tr("%Ln file(s)", nullptr, problems)),
                MessageBar::Level::Warning);
        m_shownProblemCount = problems;
        return;
    }
    m_shownProblemCount = 0;
    if (runs == 0 && !QFileInfo(m_session->runsDir()).isDir()) {
        m_messageBar->showMessage(tr("The runs folder %1 does not exist yet. <a href=\"launch\">Launch a first run</a> "
                                     "or <a href=\"open\">open another folder</a>.")
                                      .arg(QDir::toNativeSeparators(m_session->runsDir()).toHtmlEscaped()),
            MessageBar::Level::Info);
        return;
    }
    m_messageBar->hide();
}

void MainWindow::onMessageLink(const QString& link)
{
    if (link == QLatin1String("problems"))
        showProblems();
    else if (link == QLatin1String("reload"))
        reload();
    else if (link == QLatin1String("launch"))
        showTab(Tab::Launch);
    else if (link == QLatin1String("open"))
        openFolderDialog();
    else if (link == QLatin1String("openTeam"))
        openTeamHistoryDialog();
    else if (link == QLatin1String("exportFolder") && !m_lastExportPath.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_lastExportPath).absolutePath()));
}

void MainWindow::showProblems()
{
    if (!m_problemsDialog)
        m_problemsDialog = new ProblemsDialog(m_session->problemsModel(), m_session->runsDir(), this);
    m_problemsDialog->show();
    m_problemsDialog->raise();
    m_problemsDialog->activateWindow();
}

CompareDialog* MainWindow::lastCompareDialog() const
{
    return m_lastCompare.data();
}

CompareDialog* MainWindow::compareRuns(const QStringList& artifactPaths)
{
    if (artifactPaths.size() < 2 || artifactPaths.size() > 4)
        return nullptr;
    auto* dialog = new CompareDialog(artifactPaths, this);
    m_lastCompare = dialog;
    dialog->show();
    return dialog;
}

void MainWindow::updateTitle()
{
    // The platform appends the application's display name ("… — DJP Studio") to every title, so the
    // title itself names only the folder; with no folder it is the display name alone.
    const QString dir = m_session->runsDir();
    if (m_session->isTeamHistory())
        setWindowTitle(m_session->sourceLabel());
    else
        setWindowTitle(dir.isEmpty() ? QGuiApplication::applicationDisplayName() : QDir::toNativeSeparators(dir));
}

void MainWindow::updateRunActions()
{
    auto* page = qobject_cast<LaunchPage*>(m_pages[tabIndex(Tab::Launch)]);
    m_cancelRunAction->setEnabled(
        page && page->progressWidget()->cancelButton()->isEnabled() && !page->progressWidget()->runId().isEmpty());
    m_cancelLoadAction->setEnabled(m_session->isLoading());
}

void MainWindow::cancelRun()
{
    auto* page = qobject_cast<LaunchPage*>(m_pages[tabIndex(Tab::Launch)]);
    if (!page)
        return;
    QPushButton* cancel = page->progressWidget()->cancelButton();
    if (cancel->isEnabled() && !page->progressWidget()->runId().isEmpty()) {
        cancel->click();
        showTab(Tab::Launch); // show what the cancel did
    }
}

QString MainWindow::documentationDir()
{
    const QString appDir = QCoreApplication::applicationDirPath();
    QStringList candidates { appDir + QStringLiteral("/../share/doc/djp-studio") };
#ifdef DJP_SOURCE_DOCS_DIR
    candidates << QStringLiteral(DJP_SOURCE_DOCS_DIR);
#endif
    for (const QString& c : candidates)
        if (QFileInfo(c + QStringLiteral("/gui.md")).isFile())
            return QDir::cleanPath(c);
    return {};
}

void MainWindow::openDocumentation()
{
    const QString dir = documentationDir();
    if (dir.isEmpty()) {
        m_messageBar->showMessage(tr("The documentation folder was not found next to the program. The guides are in "
                                     "the docs/ folder of the source tree."),
            MessageBar::Level::Info);
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(dir));
}

void MainWindow::showShortcuts()
{
    if (!m_shortcutsDialog) {
        auto* dialog = new QDialog(this);
        dialog->setObjectName(QStringLiteral("shortcutsDialog"));
        dialog->setWindowTitle(tr("Keyboard Shortcuts"));
        auto* table = new QTableWidget(dialog);
        table->setObjectName(QStringLiteral("shortcutsTable"));
        table->setAccessibleName(tr("Keyboard shortcuts"));
        table->setColumnCount(2);
        table->setHorizontalHeaderLabels({ tr("Keys"), tr("Action") });
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        QList<std::pair<QString, QString>> rows;
        const auto plain = [](QString text) {
            text.remove(u'&');
            text.remove(u'…');
            return text.trimmed();
        };
        for (QAction* menuAction : menuBar()->actions()) {
            QMenu* menu = menuAction->menu();
            if (!menu)
                continue;
            rows.append({ QKeySequence(QKeySequence::mnemonic(menuAction->text())).toString(QKeySequence::NativeText),
                tr("Open the %1 menu").arg(plain(menuAction->text())) });
            for (QAction* a : menu->actions())
                if (!a->shortcut().isEmpty())
                    rows.append({ a->shortcut().toString(QKeySequence::NativeText),
                        plain(menuAction->text()) + QStringLiteral(" › ") + plain(a->text()) });
        }
        rows.append({ tr("Enter or double-click"), tr("Runs table: open the run in the Inspector") });
        rows.append({ tr("Right-click the header"), tr("Runs table: choose the columns") });
        rows.append({ tr("Context menu on a chart"), tr("Dashboard: show or copy the chart's data, save it as PNG") });
        table->setRowCount(static_cast<int>(rows.size()));
        for (int r = 0; r < rows.size(); ++r) {
            table->setItem(r, 0, new QTableWidgetItem(rows.at(r).first));
            table->setItem(r, 1, new QTableWidgetItem(rows.at(r).second));
        }
        table->resizeColumnsToContents();
        table->horizontalHeader()->setStretchLastSection(true);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        auto* layout = new QVBoxLayout(dialog);
        layout->addWidget(table);
        layout->addWidget(buttons);
        dialog->resize(560, 480);
        m_shortcutsDialog = dialog;
    }
    m_shortcutsDialog->show();
    m_shortcutsDialog->raise();
    m_shortcutsDialog->activateWindow();
}

void MainWindow::showAbout()
{
    AboutDialog dialog(m_session->runsDir(), this);
    dialog.exec();
}

void MainWindow::inspectRun(const QString& artifactPath)
{
    if (artifactPath.isEmpty())
        return;
    m_inspectedPath = artifactPath;
    Q_EMIT inspectorRequested(artifactPath);
    showTab(Tab::Inspector);
}

bool MainWindow::inspectNewestRun()
{
    const RunRecord* newest = m_session->newestRun();
    if (!newest)
        return false;
    m_inspectedPath = newest->artifactFile;
    Q_EMIT inspectorRequested(m_inspectedPath);
    return true;
}

bool MainWindow::exportCsv(const QString& path, QString* error)
{
    if (m_session->isTeamHistory()) {
        // The filtered set lives on the server: a worker fetches and writes it (onExportFinished).
        m_session->exportFilteredAsync(path, QStringLiteral("csv"));
        if (error)
            error->clear();
        return true;
    }
    QString why;
    const bool ok = m_session->exportFiltered(path, QStringLiteral("csv"), &why);
    const auto view = m_session->view();
    onExportFinished(ok, path, ok && view ? static_cast<qint64>(view->indices.size()) : 0, why);
    if (error)
        *error = why;
    return ok;
}

void MainWindow::onExportFinished(bool ok, const QString& path, qint64 n, const QString& why)
{
    if (ok) {
        // In the message bar, not statusBar()->showMessage(): that hid the run and problem counters.
        m_settings->setLastExportFolder(QFileInfo(path).absolutePath());
        m_messageBar->showMessage(tr("Exported %Ln run(s) to %1.", nullptr, static_cast<int>(n))
                                      .arg(QDir::toNativeSeparators(path).toHtmlEscaped())
                + QStringLiteral(" <a href=\"exportFolder\">%1</a>").arg(tr("Open folder")),
            MessageBar::Level::Info);
        m_lastExportPath = path;
    } else {
        logger("ui")->warn("export to {} failed: {}", ss(path), ss(why));
        if (m_session->isTeamHistory())
            m_messageBar->showMessage(tr("The runs could not be exported to %1: %2")
                                          .arg(QDir::toNativeSeparators(path).toHtmlEscaped(), why.toHtmlEscaped()),
                MessageBar::Level::Error);
    }
    Q_EMIT exportFinished(ok, path, why);
}

void MainWindow::exportCsvDialog()
{
    if (m_session->isLoading())
        return;
    QString dir = m_settings->lastExportFolder();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = dir + QLatin1Char('/')
        + QStringLiteral("djp-runs-%1.csv").arg(Clock::nowLocal().toString(QStringLiteral("yyyyMMdd-HHmm")));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Filtered Runs"), suggested, tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::critical(this, tr("Export failed"),
            tr("The runs could not be written to %1.\n\n%2\n\nChoose another location and try again.")
                .arg(QDir::toNativeSeparators(path), error));
}

} // namespace djp
