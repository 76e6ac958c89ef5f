// The analyst's experience in the real main window (Launch and Alerts pages installed as djp-studio
// does), offscreen, settings in a temp INI: the Runs table's Task / Trace columns, column chooser and
// money column; Ctrl+R into the Task box; Alt+E / Alt+R open the menus; Cancel and Help menu items;
// an accessible name on every interactive widget of every tab; the window title; export confirmation
// and folder; the dashboard's scroll reset on a folder switch; the Launch tab's layout at 1024x700.
#include "models/alertmonitor.h"
#include "models/launchmodels.h"
#include "models/runsession.h"
#include "models/runtablemodel.h"
#include "models/settings.h"
#include "runfixtures.h"
#include "testclock.h"
#include "testpaths.h"
#include "widgets/alertspage.h"
#include "widgets/charts/chartwidget.h"
#include "widgets/dashboardpage.h"
#include "widgets/filtersidebar.h"
#include "widgets/kpicard.h"
#include "widgets/launchpage.h"
#include "widgets/mainwindow.h"
#include "widgets/messagebar.h"
#include "widgets/palettes.h"
#include "widgets/projectionpanel.h"
#include "widgets/runspage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QStyleFactory>
#include <QStyleOptionButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QtTest>
#include <memory>

using namespace djp;

namespace {

constexpr qint64 kHour = 3600ll * 1000;

struct Studio
{
    std::unique_ptr<QSettings> store;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<MainWindow> window;
    LaunchPage* launch = nullptr;

    Studio(const QTemporaryDir& tmp, const QString& name, QSize size = QSize(1400, 900))
    {
        store = std::make_unique<QSettings>(tmp.filePath(name + QStringLiteral(".ini")), QSettings::IniFormat);
        settings = std::make_unique<Settings>(store.get());
        window = std::make_unique<MainWindow>(settings.get());
        launch = new LaunchPage(window->session());
        launch->setMessageBar(window->messageBar());
        window->setLaunchPage(launch);
        AlertsPage::install(window.get());
        window->resize(size);
        window->show();
    }
    bool open(const QString& runs) const
    {
        window->openFolder(runs);
        RunSession* s = window->session();
        return QTest::qWaitFor([s] { return !s->isLoading() && s->isSettled(); }, 15000);
    }
    QMenu* menu(const QString& title) const
    {
        for (QAction* a : window->menuBar()->actions())
            if (a->menu() && a->text() == title)
                return a->menu();
        return nullptr;
    }
};

QString writeRuns(const QTemporaryDir& tmp, const QString& name)
{
    const QString dir = tmp.filePath(name);
    const qint64 now = Clock::nowMs();
    const struct
    {
        double cost;
        const char* task;
        const char* provider;
    } runs[] = {
        { 0.07, "Compare three caching strategies", "anthropic/claude-3-5-sonnet-20241022" },
        { 0.026, "Summarise the quarterly report", "openai/gpt-4o" },
        { 0.009245, "Draft a release note", "openai/gpt-4o-mini" },
    };
    int i = 0;
    for (const auto& r : runs) {
        test::FixtureRun run;
        run.timestampMs = now - (++i) * kHour;
        run.cost = r.cost;
        run.task = QString::fromLatin1(r.task);
        run.provider = QString::fromLatin1(r.provider);
        if (test::writeFixtureRun(dir, run).isEmpty())
            return {};
    }
    return dir;
}

int sourceRowOfTask(const QAbstractItemModel* m, const QString& task)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, RunTableModel::Task).data().toString() == task)
            return r;
    return -1;
}

// Interactive widgets a screen reader must be able to name. Parts of composite widgets (a spin box's
// line edit, header views, a tab bar's scroll arrows, a line edit's clear button) are named by their
// owner and skipped.
bool isInteractive(QWidget* w)
{
    for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        if (qobject_cast<QAbstractSpinBox*>(p) || qobject_cast<QComboBox*>(p) || qobject_cast<QTabBar*>(p)
            || qobject_cast<QLineEdit*>(p) || qobject_cast<QAbstractItemView*>(p))
            return false;
    if (qobject_cast<QHeaderView*>(w) || qobject_cast<QTabBar*>(w))
        return false;
    return qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) || qobject_cast<QLineEdit*>(w)
        || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QAbstractItemView*>(w) || qobject_cast<QPlainTextEdit*>(w)
        || qobject_cast<QTextEdit*>(w);
}

QString nameOf(QWidget* w, const QList<QLabel*>& labels)
{
    if (!w->accessibleName().trimmed().isEmpty())
        return w->accessibleName();
    if (auto* b = qobject_cast<QAbstractButton*>(w); b && !b->text().remove(u'&').trimmed().isEmpty())
        return b->text();
    for (QLabel* l : labels)
        if (l->buddy() == w && !l->text().trimmed().isEmpty())
            return l->text();
    return {};
}

// Mnemonic letters live while the window shows `tab`: visible labels with a buddy, visible buttons.
QMap<QChar, QStringList> liveMnemonics(MainWindow* window)
{
    QMap<QChar, QStringList> out;
    const auto add = [&out](const QString& text, const QString& who) {
        const QKeySequence k = QKeySequence::mnemonic(text);
        if (!k.isEmpty())
            out[QChar(k[0].key())].append(who);
    };
    for (QLabel* l : window->findChildren<QLabel*>())
        if (l->buddy() && l->isVisibleTo(window))
            add(l->text(), QStringLiteral("label ") + l->text());
    for (QAbstractButton* b : window->findChildren<QAbstractButton*>())
        if (b->isVisibleTo(window))
            add(b->text(), QStringLiteral("button ") + b->text());
    for (int i = 0; i < window->tabs()->count(); ++i)
        add(window->tabs()->tabText(i), QStringLiteral("tab ") + window->tabs()->tabText(i));
    for (QAction* a : window->menuBar()->actions())
        add(a->text(), QStringLiteral("menu ") + a->text());
    return out;
}

} // namespace

class TestAnalystUx : public QObject
{
    Q_OBJECT
private:
    test::PinnedClock m_clock; // fixtures and time windows agree, whatever the day and zone
    QTemporaryDir m_tmp;
    QString m_runs;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("DJP_CONFIG_DIR", m_tmp.filePath(QStringLiteral("config")).toUtf8());
        QGuiApplication::setApplicationDisplayName(QStringLiteral("DJP Studio"));
        m_runs = writeRuns(m_tmp, QStringLiteral("runs"));
        QVERIFY(!m_runs.isEmpty());
    }

    void runsTableShowsTaskAndTrace()
    {
        Studio studio(m_tmp, QStringLiteral("columns"));
        QVERIFY(studio.open(m_runs));
        QTableView* table = studio.window->runsPage()->view();
        QHeaderView* header = table->horizontalHeader();
        QCOMPARE(table->model()->headerData(RunTableModel::Task, Qt::Horizontal).toString(), QStringLiteral("Task"));
        QCOMPARE(table->model()->headerData(RunTableModel::TraceName, Qt::Horizontal).toString(),
            QStringLiteral("Trace name"));
        QCOMPARE(header->visualIndex(RunTableModel::Task), 1); // right after Time
        QVERIFY(!header->isSectionHidden(RunTableModel::Task));
        QVERIFY(sourceRowOfTask(table->model(), QStringLiteral("Draft a release note")) >= 0);

        // Provider is not cut when there is room: the column is at least as wide as its longest name.
        studio.window->showTab(MainWindow::Tab::Runs);
        const int needed
            = table->fontMetrics().horizontalAdvance(QStringLiteral("anthropic/claude-3-5-sonnet-20241022"));
        QVERIFY2(header->sectionSize(RunTableModel::Provider) >= needed,
            qPrintable(QStringLiteral("%1 < %2").arg(header->sectionSize(RunTableModel::Provider)).arg(needed)));
    }

    void runsTableShowsProviderAt1024x700()
    {
        Studio studio(m_tmp, QStringLiteral("narrow-runs"), QSize(1024, 700));
        QVERIFY(studio.open(m_runs));
        studio.window->showTab(MainWindow::Tab::Runs);
        QApplication::processEvents();
        QTableView* table = studio.window->runsPage()->view();
        QHeaderView* header = table->horizontalHeader();
        QCOMPARE(studio.window->size(), QSize(1024, 700));
        QCOMPARE(table->horizontalScrollBar()->value(), 0);
        // Time, Task, Status and Provider (fitted to the longest name) in view without scrolling.
        for (int column : { int(RunTableModel::Time), int(RunTableModel::Task), int(RunTableModel::Status),
                 int(RunTableModel::Provider) }) {
            const int right = header->sectionViewportPosition(column) + header->sectionSize(column);
            QVERIFY2(right <= table->viewport()->width(),
                qPrintable(QStringLiteral("column %1 ends at %2, viewport %3")
                               .arg(column)
                               .arg(right)
                               .arg(table->viewport()->width())));
        }
        const int needed
            = table->fontMetrics().horizontalAdvance(QStringLiteral("anthropic/claude-3-5-sonnet-20241022"));
        QVERIFY(header->sectionSize(RunTableModel::Provider) >= needed);
    }

    void checkBoxesStandOutInBothPalettes_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void checkBoxesStandOutInBothPalettes()
    {
        QFETCH(bool, dark);
        const QPalette palette = dark ? darkPalette() : lightPalette();
        // The border of an unchecked box against the window, as drawn: at least 3:1 (WCAG non-text contrast).
        const auto borderContrast = [&palette](QStyle* style) {
            QWidget host;
            host.setStyle(style);
            host.setPalette(palette);
            host.setAutoFillBackground(true);
            auto* box = new QCheckBox(QStringLiteral("Grounded runs only"), &host);
            box->setStyle(style);
            box->setPalette(palette);
            box->adjustSize();
            host.resize(box->size() + QSize(8, 8));
            box->move(4, 4);
            const QImage image = host.grab().toImage();
            QStyleOptionButton opt;
            opt.initFrom(box);
            const QRect indicator
                = style->subElementRect(QStyle::SE_CheckBoxIndicator, &opt, box).translated(box->pos());
            const QColor window = palette.color(QPalette::Window);
            double best = 1.0; // the most visible pixel of the left edge, as an eye would find it
            for (int y = indicator.top() + 2; y < indicator.bottom() - 1; ++y)
                best = std::max(best, contrastRatio(image.pixelColor(indicator.left(), y), window));
            return best;
        };
        std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
        std::unique_ptr<QStyle> ours(createPaletteStyle());
        const double plain = borderContrast(fusion.get());
        const double fixed = borderContrast(ours.get());
        QVERIFY2(fixed >= 3.0, qPrintable(QStringLiteral("%1:1").arg(fixed)));
        if (dark) // what was wrong: Fusion's own border is nearly the window colour on a dark window
            QVERIFY2(plain < 3.0, qPrintable(QStringLiteral("%1:1").arg(plain)));
    }

    void columnChooserIsRemembered()
    {
        const QString ini = QStringLiteral("chooser");
        {
            Studio studio(m_tmp, ini);
            QVERIFY(studio.open(m_runs));
            RunsPage* page = studio.window->runsPage();
            std::unique_ptr<QMenu> menu(page->createColumnMenu(nullptr));
            QAction* reason = nullptr;
            for (QAction* a : menu->actions())
                if (a->text() == QStringLiteral("Reason"))
                    reason = a;
            QVERIFY(reason && reason->isCheckable() && reason->isChecked());
            reason->trigger(); // unchecks: hides the column
            QVERIFY(page->view()->horizontalHeader()->isSectionHidden(RunTableModel::Reason));
            // Saved at once, before any close.
            QSettings check(m_tmp.filePath(ini + QStringLiteral(".ini")), QSettings::IniFormat);
            QVERIFY(!check.value(QStringLiteral("window/runsHeader2")).toByteArray().isEmpty());
        }
        {
            Studio studio(m_tmp, ini);
            QVERIFY(studio.window->runsPage()->view()->horizontalHeader()->isSectionHidden(RunTableModel::Reason));
            std::unique_ptr<QMenu> menu(studio.window->runsPage()->createColumnMenu(nullptr));
            QAction* reset = menu->findChild<QAction*>(QStringLiteral("resetColumns"));
            QVERIFY(reset);
            reset->trigger();
            QVERIFY(!studio.window->runsPage()->view()->horizontalHeader()->isSectionHidden(RunTableModel::Reason));
        }
        // The last shown column cannot be hidden.
        Studio studio(m_tmp, QStringLiteral("chooser-last"));
        RunsPage* page = studio.window->runsPage();
        for (int c = 0; c < RunTableModel::ColumnCount; ++c)
            page->setColumnShown(c, false);
        QHeaderView* header = page->view()->horizontalHeader();
        QCOMPARE(header->count() - header->hiddenSectionCount(), 1);
    }

    void costColumnHasOneFormat()
    {
        Studio studio(m_tmp, QStringLiteral("money"));
        QVERIFY(studio.open(m_runs));
        const QAbstractItemModel* m = studio.window->runsPage()->view()->model();
        const auto cost = [m](const char* task) {
            return m->index(sourceRowOfTask(m, QString::fromLatin1(task)), RunTableModel::Cost);
        };
        QCOMPARE(cost("Compare three caching strategies").data().toString(), QStringLiteral("$0.0700"));
        QCOMPARE(cost("Summarise the quarterly report").data().toString(), QStringLiteral("$0.0260"));
        QCOMPARE(cost("Draft a release note").data().toString(), QStringLiteral("$0.0092"));
        QCOMPARE(cost("Draft a release note").data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
            Qt::AlignRight | Qt::AlignVCenter);
        QVERIFY(cost("Draft a release note").data(Qt::ToolTipRole).toString().contains(QStringLiteral("0.009245")));
    }

    void ctrlRPutsTheCursorInTheTaskBox()
    {
        Studio studio(m_tmp, QStringLiteral("ctrlr"));
        QVERIFY(QTest::qWaitForWindowExposed(studio.window.get()));
        QVERIFY(studio.open(m_runs));
        studio.window->showTab(MainWindow::Tab::Dashboard);
        studio.window->activateWindow();
        auto* search = studio.window->filterSidebar()->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        search->setFocus();
        QTRY_VERIFY(search->hasFocus());

        QTest::keyClick(studio.window.get(), Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(studio.window->currentTab(), MainWindow::Tab::Launch);
        auto* task = studio.launch->findChild<QPlainTextEdit*>(QStringLiteral("taskEdit"));
        QTRY_VERIFY(task->hasFocus());
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Hello task"));
        QCOMPARE(task->toPlainText(), QStringLiteral("Hello task"));
        QVERIFY(search->text().isEmpty());
        // Space types a space, it does not switch tabs.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QCOMPARE(studio.window->currentTab(), MainWindow::Tab::Launch);
        QCOMPARE(task->toPlainText(), QStringLiteral("Hello task "));
    }

    void altLettersOpenTheMenus_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<QString>("menu");
        QTest::newRow("Alt+E") << int(Qt::Key_E) << QStringLiteral("&Edit");
        QTest::newRow("Alt+R") << int(Qt::Key_R) << QStringLiteral("&Run");
        QTest::newRow("Alt+H") << int(Qt::Key_H) << QStringLiteral("&Help");
    }

    void altLettersOpenTheMenus()
    {
        QFETCH(int, key);
        QFETCH(QString, menu);
        Studio studio(m_tmp, QStringLiteral("alt"));
        QVERIFY(QTest::qWaitForWindowExposed(studio.window.get()));
        studio.window->activateWindow();
        for (MainWindow::Tab tab : { MainWindow::Tab::Dashboard, MainWindow::Tab::Launch, MainWindow::Tab::Alerts }) {
            studio.window->showTab(tab);
            auto* search = studio.window->filterSidebar()->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
            search->setFocus();
            QTest::keyClick(studio.window.get(), static_cast<Qt::Key>(key), Qt::AltModifier);
            QTRY_VERIFY(QApplication::activePopupWidget() != nullptr);
            QCOMPARE(QApplication::activePopupWidget(), studio.menu(menu));
            studio.menu(menu)->close();
            QTRY_VERIFY(QApplication::activePopupWidget() == nullptr);
        }
    }

    void mnemonicsNeverCollide()
    {
        Studio studio(m_tmp, QStringLiteral("mnemonics"));
        for (MainWindow::Tab tab : { MainWindow::Tab::Dashboard, MainWindow::Tab::Runs, MainWindow::Tab::Inspector,
                 MainWindow::Tab::Launch, MainWindow::Tab::Alerts }) {
            studio.window->showTab(tab);
            const auto live = liveMnemonics(studio.window.get());
            for (auto it = live.begin(); it != live.end(); ++it)
                QVERIFY2(it.value().size() == 1,
                    qPrintable(MainWindow::tabName(tab) + QStringLiteral(": Alt+%1 is ").arg(it.key())
                        + it.value().join(QStringLiteral(" and "))));
        }
    }

    void runAndHelpMenus()
    {
        Studio studio(m_tmp, QStringLiteral("menus"));
        QMenu* run = studio.menu(QStringLiteral("&Run"));
        QVERIFY(run);
        auto* cancel = studio.window->findChild<QAction*>(QStringLiteral("cancelRunAction"));
        QVERIFY(cancel && run->actions().contains(cancel));
        QVERIFY(!cancel->shortcut().isEmpty());
        Q_EMIT run->aboutToShow();
        QVERIFY(!cancel->isEnabled()); // nothing runs

        QMenu* help = studio.menu(QStringLiteral("&Help"));
        QVERIFY(help);
        QVERIFY(help->actions().size() >= 3);
        auto* keys = studio.window->findChild<QAction*>(QStringLiteral("shortcutsAction"));
        QVERIFY(keys && help->actions().contains(keys));
        keys->trigger();
        QVERIFY(studio.window->shortcutsDialog() && studio.window->shortcutsDialog()->isVisible());
        auto* table = studio.window->shortcutsDialog()->findChild<QTableWidget*>(QStringLiteral("shortcutsTable"));
        QVERIFY(table);
        QStringList keysListed;
        for (int r = 0; r < table->rowCount(); ++r)
            keysListed << table->item(r, 0)->text() + QStringLiteral(" = ") + table->item(r, 1)->text();
        const QString all = keysListed.join(u'\n');
        for (const QKeySequence& k : { QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_E),
                 QKeySequence(Qt::CTRL | Qt::Key_F), cancel->shortcut() })
            QVERIFY2(all.contains(k.toString(QKeySequence::NativeText)), qPrintable(all));
        QVERIFY(studio.window->findChild<QAction*>(QStringLiteral("docsAction")));
        // This build runs in place: the docs folder of the source tree is found.
        QVERIFY(QFileInfo(MainWindow::documentationDir() + QStringLiteral("/gui.md")).isFile());
    }

    void everyInteractiveWidgetHasAName()
    {
        Studio studio(m_tmp, QStringLiteral("a11y"));
        QVERIFY(studio.open(m_runs));
        studio.window->inspectNewestRun();
        QStringList unnamed;
        for (MainWindow::Tab tab : { MainWindow::Tab::Dashboard, MainWindow::Tab::Runs, MainWindow::Tab::Inspector,
                 MainWindow::Tab::Launch, MainWindow::Tab::Alerts }) {
            studio.window->showTab(tab);
            QApplication::processEvents();
            const QList<QLabel*> labels = studio.window->findChildren<QLabel*>();
            for (QWidget* w : studio.window->findChildren<QWidget*>()) {
                if (!w->isVisibleTo(studio.window.get()) || !isInteractive(w))
                    continue;
                if (nameOf(w, labels).isEmpty())
                    unnamed << QStringLiteral("%1: %2 \"%3\"")
                                   .arg(MainWindow::tabName(tab), QString::fromLatin1(w->metaObject()->className()),
                                       w->objectName());
            }
        }
        unnamed.removeDuplicates();
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u'\n')));

        // Dropdowns are named by their label, not by the value they show.
        auto* provider = studio.window->filterSidebar()->findChild<QComboBox*>(QStringLiteral("providerCombo"));
        QVERIFY(provider->accessibleName().startsWith(QStringLiteral("Published by")));
        // Charts: named, with their values in the description, and a named "Show data" button.
        for (int i = 0; i < DashboardPage::ChartCount; ++i) {
            ChartWidget* chart = studio.window->dashboardPage()->chart(i);
            QVERIFY(!chart->accessibleName().isEmpty());
            QVERIFY(!chart->accessibleDescription().isEmpty());
        }
    }

    void providerFilterSaysPublishedByAndMatchesAnyCall()
    {
        // The KPI fixture: gpt-4o published 3 runs and was the only priced call of a fourth (failed)
        // run; Claude published 2 and debated in one more.
        const QString runs = m_tmp.filePath(QStringLiteral("kpi-runs"));
        QDirIterator it(test::dataDir() + QStringLiteral("/kpi-fixture"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString src = it.next();
            const QString dst
                = runs + u'/' + QDir(test::dataDir() + QStringLiteral("/kpi-fixture")).relativeFilePath(src);
            QDir().mkpath(QFileInfo(dst).absolutePath());
            QVERIFY(QFile::copy(src, dst));
        }
        Studio studio(m_tmp, QStringLiteral("providermatch"));
        QVERIFY(studio.open(runs));
        FilterSidebar* sidebar = studio.window->filterSidebar();
        auto* provider = sidebar->findChild<QComboBox*>(QStringLiteral("providerCombo"));
        auto* match = sidebar->findChild<QComboBox*>(QStringLiteral("providerMatchCombo"));
        QVERIFY(provider && match);
        QVERIFY(match->isVisibleTo(studio.window.get()));
        // The UI says what the filter means.
        QVERIFY(provider->accessibleName().contains(QStringLiteral("Published by")));
        QVERIFY(provider->toolTip().contains(QStringLiteral("published")));
        QCOMPARE(match->currentText(), QStringLiteral("Published the answer"));
        QVERIFY(match->toolTip().contains(QStringLiteral("any model with a priced call")));

        RunSession* s = studio.window->session();
        const auto matched = [s] { return s->view() ? int(s->view()->indices.size()) : -1; };
        const auto settle = [s] { return QTest::qWaitFor([s] { return s->isSettled(); }, 15000); };
        const auto choose = [](QComboBox* combo, const QString& value) {
            const int i = combo->findData(value);
            if (i >= 0)
                combo->setCurrentIndex(i);
            return i >= 0;
        };
        sidebar->findChild<QComboBox*>(QStringLiteral("rangeCombo"))->setCurrentIndex(4); // all time
        QVERIFY(settle());
        // In "published by" mode the list holds publishers only: Claude yes, a model that never
        // published (none here besides them) would be missing; in "any call" mode every priced model.
        QVERIFY(choose(provider, QStringLiteral("openai/gpt-4o")));
        QVERIFY(settle());
        QCOMPARE(matched(), 3);
        match->setCurrentIndex(1);
        QVERIFY(settle());
        QCOMPARE(s->filter().providerAnyCall, true);
        QCOMPARE(provider->currentData().toString(), QStringLiteral("openai/gpt-4o")); // kept across modes
        QCOMPARE(provider->itemText(0), QStringLiteral("Any model"));
        QCOMPARE(matched(), 4);
        QVERIFY(choose(provider, QStringLiteral("anthropic/claude-3-5-sonnet-20240620")));
        QVERIFY(settle());
        QCOMPARE(matched(), 3);
        match->setCurrentIndex(0);
        QVERIFY(settle());
        QCOMPARE(matched(), 2);
        // The mode is remembered with the other filters.
        match->setCurrentIndex(1);
        QVERIFY(settle());
        QVERIFY(studio.settings->filters().providerAnyCall);
    }

    void cancelledRunsHaveTheirOwnSlice()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("cancel-runs"));
        const qint64 now = Clock::nowMs();
        test::FixtureRun run;
        run.timestampMs = now - kHour;
        QVERIFY(!test::writeFixtureRun(runs, run).isEmpty());
        run.status = QStringLiteral("none");
        run.provider.clear();
        run.timestampMs = now - 2 * kHour;
        run.reason = QStringLiteral("all_drafts_failed");
        QVERIFY(!test::writeFixtureRun(runs, run).isEmpty());
        run.reason = QStringLiteral("cancelled");
        for (int i = 3; i <= 4; ++i) {
            run.timestampMs = now - i * kHour;
            QVERIFY(!test::writeFixtureRun(runs, run).isEmpty());
        }
        Studio studio(m_tmp, QStringLiteral("cancelled"));
        QVERIFY(studio.open(runs));
        QApplication::processEvents();
        ChartWidget* status = studio.window->dashboardPage()->chart(DashboardPage::StatusChart);
        const QString described = status->accessibleDescription();
        QVERIFY2(described.contains(QStringLiteral("Cancelled: 2 runs (50.0%)")), qPrintable(described));
        QVERIFY2(described.contains(QStringLiteral("None (failed): 1 run")), qPrintable(described));
        // The failure-rate card counts the one real failure only.
        auto* card = studio.window->dashboardPage()->findChild<KpiCard*>(QStringLiteral("kpi_failure_rate"));
        QVERIFY(card);
        QCOMPARE(card->valueText(), QStringLiteral("25.0%"));
    }

    void windowTitleNamesTheFolderOnce()
    {
        Studio studio(m_tmp, QStringLiteral("title"));
        QCOMPARE(studio.window->windowTitle(), QStringLiteral("DJP Studio"));
        QVERIFY(studio.open(m_runs));
        // The platform appends " — DJP Studio" itself; the title must not say it a second time.
        QCOMPARE(studio.window->windowTitle(), QDir::toNativeSeparators(m_runs));
    }

    void exportConfirmsAndKeepsCounters()
    {
        Studio studio(m_tmp, QStringLiteral("export"));
        QVERIFY(studio.open(m_runs));
        auto* runsLabel = studio.window->statusBar()->findChild<QLabel*>(QStringLiteral("statusRuns"));
        QVERIFY(runsLabel && runsLabel->isVisible());
        QDir().mkpath(m_tmp.filePath(QStringLiteral("exports")));
        const QString path = m_tmp.filePath(QStringLiteral("exports/runs.csv"));
        QString error;
        QVERIFY2(studio.window->exportCsv(path, &error), qPrintable(error));
        QVERIFY(studio.window->messageBar()->isVisible());
        QVERIFY2(studio.window->messageBar()->text().contains(QStringLiteral("Exported 3 runs")),
            qPrintable(studio.window->messageBar()->text()));
        QVERIFY(runsLabel->isVisible()); // the counters stay
        QVERIFY(studio.window->statusBar()->currentMessage().isEmpty());
        QCOMPARE(studio.settings->lastExportFolder(), QFileInfo(path).absolutePath());
    }

    void dashboardScrollResetsOnFolderSwitch()
    {
        Studio studio(m_tmp, QStringLiteral("scroll"), QSize(1024, 700));
        QVERIFY(studio.open(m_runs));
        studio.window->showTab(MainWindow::Tab::Dashboard);
        DashboardPage* dash = studio.window->dashboardPage();
        auto* scroll = dash->findChild<QScrollArea*>(QStringLiteral("dashboardScroll"));
        QTRY_VERIFY(scroll->verticalScrollBar()->maximum() > 0);
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
        QVERIFY(dash->scrollPosition() > 0);
        const QString other = writeRuns(m_tmp, QStringLiteral("runs-other"));
        QVERIFY(studio.open(other));
        QCOMPARE(dash->scrollPosition(), 0);
    }

    void customRangeEndingBeforeItStartsIsRefused()
    {
        FilterSidebar sidebar;
        QSignalSpy changed(&sidebar, &FilterSidebar::filterChanged);
        auto* range = sidebar.findChild<QComboBox*>(QStringLiteral("rangeCombo"));
        auto* from = sidebar.findChild<QDateTimeEdit*>(QStringLiteral("customFrom"));
        auto* to = sidebar.findChild<QDateTimeEdit*>(QStringLiteral("customTo"));
        range->setCurrentIndex(range->findData(timeRangeKey(TimeRange::Custom)));
        QCOMPARE(changed.count(), 1);
        QVERIFY(sidebar.rangeError().isEmpty());
        const QDateTime start = from->dateTime();
        to->setDateTime(start.addDays(-1)); // emits synchronously when accepted
        QCOMPARE(changed.count(), 1);
        QVERIFY(sidebar.rangeError().contains(QStringLiteral("To")));
        auto* message = sidebar.findChild<QLabel*>(QStringLiteral("rangeError"));
        QVERIFY(message && !message->isHidden());
        to->setDateTime(start.addDays(2));
        QCOMPARE(changed.count(), 2);
        QVERIFY(sidebar.rangeError().isEmpty());
        QCOMPARE(changed.last().at(0).value<FilterState>().customTo, start.addDays(2));
    }

    void alertBannerFollowsTheResults()
    {
        // 8 runs: 3 advisory (37.5%, warning) and 3 failed (37.5%, critical): two alerts, one critical.
        const QString dir = m_tmp.filePath(QStringLiteral("runs-alerts"));
        const qint64 now = Clock::nowMs();
        for (int i = 0; i < 8; ++i) {
            test::FixtureRun run;
            run.timestampMs = now - (i + 1) * kHour;
            run.status = i < 2 ? QStringLiteral("published")
                : i < 5        ? QStringLiteral("advisory_only")
                               : QStringLiteral("none");
            run.reason = i < 2 ? QString() : QStringLiteral("low_margin");
            QVERIFY(!test::writeFixtureRun(dir, run).isEmpty());
        }
        Studio studio(m_tmp, QStringLiteral("alerts"));
        auto* page = qobject_cast<AlertsPage*>(studio.window->page(MainWindow::Tab::Alerts));
        QVERIFY(page);
        studio.window->showTab(MainWindow::Tab::Alerts);
        QVERIFY(studio.open(dir));
        MessageBar* banner = page->banner();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QTRY_VERIFY2(banner->text().contains(QStringLiteral("Failure rate")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("Advisory rate")));
        QCOMPARE(banner->level(), MessageBar::Level::Error);

        // The failure rule resolves: the banner now says what still fires, as a warning.
        QSignalSpy evaluated(page->monitor(), &AlertMonitor::evaluated);
        page->findChild<QDoubleSpinBox*>(QStringLiteral("alertThreshold_failure_rate"))->setValue(50.0);
        page->evaluateNow();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->text().contains(QStringLiteral("Failure rate")), 10000);
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("1 alert firing")), qPrintable(banner->text()));
        QVERIFY(banner->text().contains(QStringLiteral("Advisory rate 37.5%")));
        QCOMPARE(banner->level(), MessageBar::Level::Warning);

        // Evaluate now again: still the current state, not an older message.
        const int before = evaluated.count();
        page->evaluateAction()->trigger();
        QTRY_VERIFY(evaluated.count() > before);
        QVERIFY(banner->text().contains(QStringLiteral("1 alert firing")));
        // Nothing fires any more: the banner goes.
        page->findChild<QDoubleSpinBox*>(QStringLiteral("alertThreshold_advisory_rate"))->setValue(50.0);
        page->evaluateNow();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10000);
    }

    void launchFitsAt1024x700()
    {
        Studio studio(m_tmp, QStringLiteral("launch-small"), QSize(1024, 700));
        QVERIFY(QTest::qWaitForWindowExposed(studio.window.get()));
        QVERIFY(studio.open(m_runs));
        studio.window->showTab(MainWindow::Tab::Launch);
        QApplication::processEvents();
        QWidget* win = studio.window.get();
        QCOMPARE(win->size(), QSize(1024, 700));
        const auto fullyShown = [win](QWidget* w, const char* what) {
            QVERIFY2(w && w->isVisible(), what);
            const QRect inWindow(w->mapTo(win, QPoint(0, 0)), w->size());
            QVERIFY2(win->rect().contains(inWindow),
                qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 is outside the window")
                               .arg(QLatin1String(what))
                               .arg(inWindow.x())
                               .arg(inWindow.y())
                               .arg(inWindow.width())
                               .arg(inWindow.height())));
            // Not scrolled or clipped away: what the widget shows is all of it.
            QCOMPARE(w->visibleRegion().boundingRect().size(), w->size());
        };
        fullyShown(studio.launch->findChild<QPlainTextEdit*>(QStringLiteral("taskEdit")), "Task box");
        fullyShown(studio.launch->findChild<QLineEdit*>(QStringLiteral("budgetUsdEdit")), "Budget USD");
        fullyShown(studio.launch->findChild<QPushButton*>(QStringLiteral("launchButton")), "Launch button");
        auto* models = studio.launch->findChild<QTableView*>(QStringLiteral("modelsView"));
        fullyShown(models, "models list");
        QVERIFY(models->viewport()->height() >= 4 * models->verticalHeader()->defaultSectionSize());
        // The projection's money columns are in view, not scrolled away behind long model labels.
        auto* stages = studio.launch->findChild<QTableView*>(QStringLiteral("stagesView"));
        QVERIFY(stages);
        const int worstRight = stages->columnViewportPosition(ProjectionModel::WorstUsd)
            + stages->horizontalHeader()->sectionSize(ProjectionModel::WorstUsd);
        QVERIFY2(worstRight <= stages->viewport()->width(),
            qPrintable(QStringLiteral("Worst ends at %1 of %2").arg(worstRight).arg(stages->viewport()->width())));
        ProjectionPanel* projection = studio.launch->projectionPanel();
        QVERIFY(projection->isVisible());
        const QRect shown = projection->visibleRegion().boundingRect();
        QVERIFY2(shown.height() >= 200 && shown.width() >= 300,
            qPrintable(QStringLiteral("projection shows %1x%2").arg(shown.width()).arg(shown.height())));
    }
};

QTEST_MAIN(TestAnalystUx)
#include "tst_analystux.moc"
