// The main window on a fixture folder (good and bad files), offscreen, with settings in a temp INI:
// rows, time range changes, problems in the status and message bars, live update, export, inspect.
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "models/runtablemodel.h"
#include "runfixtures.h"
#include "session/runsession.h"
#include "session/settings.h"
#include "store/runstore.h"
#include "testclock.h"
#include "testpaths.h"
#include "widgets/filtersidebar.h"
#include "widgets/inspectorpage.h"
#include "widgets/mainwindow.h"
#include "widgets/messagebar.h"
#include "widgets/runspage.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace djp;

namespace {
constexpr qint64 kHour = 3600ll * 1000;
constexpr qint64 kDay = 24 * kHour;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_runs;
    int m_goodRuns = 0;
    int m_inLast7Days = 0;
    int m_inLast24Hours = 0;
    // Every "now" of the window and of the fixtures is this one instant.
    test::PinnedClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("DJP_CONFIG_DIR", m_tmp.filePath(QStringLiteral("config")).toUtf8());
        m_runs = m_tmp.filePath(QStringLiteral("runs"));
        const qint64 now = m_clock.nowMs();
        struct Spec
        {
            qint64 ago;
            bool legacy;
            const char* status;
            const char* preset;
        };
        const Spec specs[] = {
            { 1 * kHour, false, "published", "quick" },
            { 5 * kHour, false, "advisory_only", "deep" },
            { 2 * kDay, true, "published", "quick" },
            { 6 * kDay, false, "none", "quick" },
            { 12 * kDay, true, "published", "deep" },
            { 40 * kDay, true, "advisory_only", "quick" },
            { 200 * kDay, false, "published", "deep" },
        };
        for (const Spec& s : specs) {
            test::FixtureRun run;
            run.timestampMs = now - s.ago;
            run.legacy = s.legacy;
            run.status = QString::fromLatin1(s.status);
            run.preset = QString::fromLatin1(s.preset);
            if (run.status == QLatin1String("advisory_only"))
                run.reason = QStringLiteral("low_margin");
            QVERIFY(
                !test::writeFixtureRun(m_runs + (s.legacy ? QStringLiteral("/archive") : QString()), run).isEmpty());
            ++m_goodRuns;
            if (s.ago < 7 * kDay)
                ++m_inLast7Days;
            if (s.ago < kDay)
                ++m_inLast24Hours;
        }
        test::writeBrokenFiles(m_runs);
        // The shared fixtures carry fixed dates: whether they fall in a relative window depends on the
        // day the test runs, so the expected counts take their timestamps into account.
        const QDir shared(test::dataDir() + QStringLiteral("/artifacts"));
        LoadOptions sharedOnly;
        sharedOnly.runsDir = shared.path();
        sharedOnly.useIndex = false;
        const LoadResult sharedRuns = loadRuns(sharedOnly);
        QVERIFY(sharedRuns.problems.empty());
        QCOMPARE(
            int(sharedRuns.records.size()), int(shared.entryList({ QStringLiteral("*.json") }, QDir::Files).size()));
        for (const RunRecord& r : sharedRuns.records) {
            const QString name = QFileInfo(r.artifactFile).fileName();
            QVERIFY(QFile::copy(shared.filePath(name), m_runs + QStringLiteral("/shared-") + name));
            ++m_goodRuns;
            QVERIFY(r.hasTimestamp);
            const bool notFuture = r.timestampMs <= now;
            if (notFuture && r.timestampMs >= now - 7 * kDay)
                ++m_inLast7Days;
            if (notFuture && r.timestampMs >= now - kDay)
                ++m_inLast24Hours;
        }
    }

    void mainWindowEndToEnd()
    {
        QSettings store(m_tmp.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
        Settings settings(&store);
        MainWindow window(&settings);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunSession* session = window.session();
        session->setWatchDebounceMs(100);
        window.openFolder(m_runs);
        QTRY_VERIFY_WITH_TIMEOUT(!session->isLoading() && session->isSettled(), 15000);
        QCOMPARE(session->totalLoaded(), m_goodRuns);
        QVERIFY(window.windowTitle().contains(QDir::toNativeSeparators(m_runs)));

        // Default: last 7 days.
        QTableView* table = window.runsPage()->view();
        QCOMPARE(table->model()->rowCount(), m_inLast7Days);

        // Changing the time range in the sidebar changes the table.
        auto* range = window.filterSidebar()->findChild<QComboBox*>(QStringLiteral("rangeCombo"));
        QVERIFY(range);
        range->setCurrentIndex(range->findData(QStringLiteral("all")));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), m_goodRuns, 5000);
        range->setCurrentIndex(range->findData(QStringLiteral("24h")));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), m_inLast24Hours, 5000);
        QCOMPARE(settings.filters().range, TimeRange::Last24h); // remembered

        // Preset combo is filled from the data; search is debounced but applied.
        range->setCurrentIndex(range->findData(QStringLiteral("all")));
        auto* preset = window.filterSidebar()->findChild<QComboBox*>(QStringLiteral("presetCombo"));
        QTRY_VERIFY(preset->findData(QStringLiteral("deep")) > 0);
        preset->setCurrentIndex(preset->findData(QStringLiteral("deep")));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 3, 5000);
        auto* search = window.filterSidebar()->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        search->setText(QStringLiteral("no run has this text"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 0, 5000);
        window.filterSidebar()->reset();
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), m_inLast7Days, 5000);
        QCOMPARE(search->text(), QString());

        // Problems: counted in the status bar, summarised in the message bar.
        auto* problems = window.findChild<QLabel*>(QStringLiteral("statusProblems"));
        QVERIFY(problems->text().contains(QStringLiteral("3 problems")));
        QVERIFY(window.messageBar()->isVisible());
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("3 files could not be read")));
        auto* runsLabel = window.findChild<QLabel*>(QStringLiteral("statusRuns"));
        QCOMPARE(runsLabel->text(), QStringLiteral("%1 of %2 runs").arg(m_inLast7Days).arg(m_goodRuns));

        // Live update: a new artifact shows up within 2 s.
        test::FixtureRun fresh;
        fresh.timestampMs = m_clock.nowMs() - 60'000;
        fresh.task = QStringLiteral("Freshly written run");
        const QString freshPath = test::writeFixtureRun(m_runs, fresh);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), m_inLast7Days + 1, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(runsLabel->text().startsWith(QString::number(m_inLast7Days + 1)), 2000);

        // Export from the GUI equals the engine's export of the same filter, byte for byte.
        QTRY_VERIFY(session->isSettled());
        const QString guiCsv = m_tmp.filePath(QStringLiteral("gui.csv"));
        QString error;
        QVERIFY2(window.exportCsv(guiCsv, &error), qPrintable(error));
        LoadOptions lo;
        lo.runsDir = m_runs;
        lo.useIndex = false;
        const LoadResult loaded = loadRuns(lo);
        const auto view = session->view();
        const std::vector<int> indices = filterRuns(loaded.records, view->filter, view->nowMs);
        QCOMPARE(int(indices.size()), m_inLast7Days + 1);
        const QString engineCsv = m_tmp.filePath(QStringLiteral("engine.csv"));
        QVERIFY(exportRunsToFile(engineCsv, QStringLiteral("csv"), loaded.records, indices));
        QCOMPARE(readAll(guiCsv), readAll(engineCsv));
        QVERIFY(readAll(guiCsv).contains("Freshly written run"));
        QVERIFY(!window.exportCsv(m_tmp.filePath(QStringLiteral("missing/dir/x.csv")), &error));
        QVERIFY(!error.isEmpty());

        // Double-clicking a row opens that run in the Inspector tab.
        window.showTab(MainWindow::Tab::Runs);
        QTRY_VERIFY(table->isVisible());
        const QModelIndex first = table->model()->index(0, RunTableModel::Status);
        const QString firstPath = first.data(RunTableModel::ArtifactPathRole).toString();
        QCOMPARE(firstPath, freshPath); // newest first
        const QRect cell = table->visualRect(first);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(window.currentTab(), MainWindow::Tab::Inspector);
        QCOMPARE(window.inspectedPath(), firstPath);
        QCOMPARE(window.inspectorPage()->currentPath(), firstPath);
        QTRY_VERIFY_WITH_TIMEOUT(!window.inspectorPage()->isLoading(), 5000);
        QVERIFY(window.inspectorPage()->treeView()->model()->rowCount() > 0); // the artifact is shown

        // Enter on the Runs table does the same for the current row.
        window.showTab(MainWindow::Tab::Runs);
        table->setFocus();
        table->setCurrentIndex(table->model()->index(1, 0));
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(window.currentTab(), MainWindow::Tab::Inspector);
        QCOMPARE(window.inspectedPath(), table->model()->index(1, 0).data(RunTableModel::ArtifactPathRole).toString());

        // Ctrl+R goes to Launch; Ctrl+F focuses the search box.
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_R));
        QCOMPARE(window.currentTab(), MainWindow::Tab::Launch);
        QTest::keySequence(&window, QKeySequence(Qt::CTRL | Qt::Key_F));
        QTRY_VERIFY(search->hasFocus());

        // Closing saves the window state; a new window restores filters and tab.
        window.showTab(MainWindow::Tab::Runs);
        window.close();
        QVERIFY(!settings.windowGeometry().isEmpty());
        QCOMPARE(settings.lastTab(), QStringLiteral("runs"));
        QCOMPARE(settings.lastFolder(), QDir::cleanPath(m_runs));
        QCOMPARE(settings.recentFolders().value(0), QDir::cleanPath(m_runs));
    }

    void pluggedPagesReplacePlaceholders()
    {
        QSettings store(m_tmp.filePath(QStringLiteral("plug.ini")), QSettings::IniFormat);
        Settings settings(&store);
        MainWindow window(&settings);
        window.showTab(MainWindow::Tab::Alerts);
        auto* launch = new QWidget;
        auto* alerts = new QWidget;
        QPointer<QWidget> oldLaunch = window.page(MainWindow::Tab::Launch);
        window.setLaunchPage(launch);
        window.setAlertsPage(alerts);
        QVERIFY(oldLaunch.isNull());
        QCOMPARE(window.page(MainWindow::Tab::Launch), launch);
        QCOMPARE(window.tabs()->widget(3), launch);
        QCOMPARE(window.tabs()->widget(4), alerts);
        QCOMPARE(window.currentTab(), MainWindow::Tab::Alerts);
        QCOMPARE(MainWindow::tabFromName(QStringLiteral("Inspector")), std::optional(MainWindow::Tab::Inspector));
        QVERIFY(!MainWindow::tabFromName(QStringLiteral("settings")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
