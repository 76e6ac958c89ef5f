// The Launch tab offscreen: live projection and budget gate, a simulated run with live progress that
// reaches the Runs table through the folder watcher, Cancel, the first-run demo offer, and
// `djp-studio --demo`.
#include "core/jsonutil.h"
#include "isolatedenv.h"
#include "models/activerunsmodel.h"
#include "models/livecallsmodel.h"
#include "models/modelchoicemodel.h"
#include "models/runtablemodel.h"
#include "pricing/money.h"
#include "runfixtures.h"
#include "session/demoruns.h"
#include "session/launchcontroller.h"
#include "session/runsession.h"
#include "session/settings.h"
#include "widgets/dashboardpage.h"
#include "widgets/launchpage.h"
#include "widgets/mainwindow.h"
#include "widgets/messagebar.h"
#include "widgets/projectionpanel.h"
#include "widgets/runprogresswidget.h"
#include "widgets/runspage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {

using test::artifactsIn;

bool isSimulatedArtifact(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const Json doc = Json::parse(f.readAll().toStdString(), nullptr, false);
    return doc.is_object() && doc.value("simulated", false);
}

template <typename T> T* child(QObject* parent, const char* name)
{
    T* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qWarning("missing child %s", name);
    return w;
}

EngineOptions engineWithLatency(int ms)
{
    EngineOptions o;
    o.hub.simulator.latencyMs = ms;
    o.hub.loadDotEnv = false;
    return o;
}

// A budget text that the gate reads as exactly `usd`.
QString usdText(double usd)
{
    return QString::number(usd, 'f', 10);
}

} // namespace

class TestLaunchPage : public QObject
{
    Q_OBJECT
private:
    test::IsolatedEnvironment m_env;

    // The page inside a real main window, as djp-studio builds it; the page owns `controller`.
    LaunchPage* installPage(MainWindow& window, LaunchController* controller = nullptr)
    {
        auto* page = new LaunchPage(window.session(), controller);
        if (controller)
            controller->setParent(page);
        page->setMessageBar(window.messageBar());
        window.setLaunchPage(page);
        return page;
    }

    // Shows `window` on `runs` (created empty) and waits until its session has read the folder.
    static bool showOnEmptyFolder(MainWindow& window, const QString& runs)
    {
        if (!QDir().mkpath(runs))
            return false;
        window.resize(1400, 900);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        window.session()->setWatchDebounceMs(100);
        window.openFolder(runs);
        return QTest::qWaitFor([&] { return !window.session()->isLoading() && window.session()->isSettled(); }, 10000);
    }

private Q_SLOTS:
    void groundedNoteCountsSourcesInTheSingularForOne()
    {
        const std::pair<int, const char*> cases[] = { { 1, "(1 required source);" }, { 2, "(2 required sources);" } };
        for (const auto& [required, words] : cases) {
            ProjectionPanel panel;
            auto plan = std::make_shared<RunPlan>();
            plan->config.groundedCorpus = QStringLiteral("corpus-dir");
            plan->config.groundedRequired = required;
            panel.setPlan(plan);
            const QString notes = child<QLabel>(&panel, "projectionNotes")->text();
            QVERIFY2(notes.contains(QLatin1String(words)), qPrintable(notes));
        }
    }

    void initTestCase()
    {
        QVERIFY(m_env.isValid());
        m_env.apply();
        qputenv("DJP_SIM_LATENCY_MS", "20");
    }

    void projectionFollowsTheForm()
    {
        RunSession session;
        LaunchPage page(&session);
        page.resize(1200, 800);
        page.show();
        auto* task = child<QPlainTextEdit>(&page, "taskEdit");
        auto* maxTokens = child<QSpinBox>(&page, "maxTokensSpin");
        auto* launch = child<QPushButton>(&page, "launchButton");
        auto* reason = child<QLabel>(&page, "launchReason");
        auto* total = child<QLabel>(&page, "projectionTotal");
        auto* budget = child<QLineEdit>(&page, "budgetUsdEdit");
        auto* models = child<QTableView>(&page, "modelsView");
        QVERIFY(task && maxTokens && launch && reason && total && budget && models);

        // Empty task: a projection is shown, Launch is disabled with the reason.
        QVERIFY(!launch->isEnabled());
        QVERIFY(reason->text().contains(QStringLiteral("Enter a task")));
        QVERIFY(total->text().contains(QLatin1Char('$')));
        // Tokens counted as a plural ("N tokens expected, M worst"; docs/architecture.md, "Plurals").
        QVERIFY2(QRegularExpression(QStringLiteral(" · [0-9,.]+ tokens? expected, [0-9,.]+ worst$"))
                     .match(total->text())
                     .hasMatch(),
            qPrintable(total->text()));
        QVERIFY2(!total->text().contains(QStringLiteral("(s)")), qPrintable(total->text()));

        QSignalSpy updated(&page, &LaunchPage::projectionUpdated);
        task->setPlainText(QStringLiteral("Compare solar and wind power for a small town."));
        QTRY_VERIFY(updated.count() >= 1); // debounced, not immediate
        QVERIFY(launch->isEnabled());
        const QString before = total->text();
        const double worstBefore = page.currentPlan()->projection.total.worstUsd;

        // Max tokens changes the worst case (and the field becomes "yours").
        maxTokens->setValue(3000);
        QTRY_VERIFY(total->text() != before);
        QVERIFY(page.currentPlan()->projection.total.worstUsd > worstBefore);
        QCOMPARE(page.form().source(LaunchForm::Field::MaxTokens), LaunchForm::Source::User);
        QCOMPARE(child<QLabel>(&page, "source_max_tokens")->text(), QStringLiteral("yours"));

        // Unchecking models changes the roster and the total.
        const QString withFour = total->text();
        const int sonnet = page.modelChoices()->rowOf(QStringLiteral("anthropic/claude-3-5-sonnet-20240620"));
        const int gemini = page.modelChoices()->rowOf(QStringLiteral("google/gemini-1.5-pro"));
        models->model()->setData(models->model()->index(sonnet, 0), Qt::Unchecked, Qt::CheckStateRole);
        models->model()->setData(models->model()->index(gemini, 0), Qt::Unchecked, Qt::CheckStateRole);
        QTRY_VERIFY(total->text() != withFour);
        QCOMPARE(page.currentPlan()->config.debaters,
            (QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") }));

        // Preset: fields come from it until changed.
        auto* preset = child<QComboBox>(&page, "presetCombo");
        preset->setCurrentIndex(preset->findData(QStringLiteral("thorough")));
        QTRY_COMPARE(maxTokens->value(), 1500);
        QCOMPARE(child<QLabel>(&page, "source_max_tokens")->text(), QStringLiteral("thorough"));
        QCOMPARE(child<QSpinBox>(&page, "citationsSpin")->value(), 2);

        // A budget below the two-debater projection: the dearest debater is dropped, and the panel says why.
        page.refreshProjection();
        const double twoDebaters = page.currentPlan()->projection.total.expectedUsd;
        budget->setText(usdText(twoDebaters * 0.8));
        QTRY_COMPARE(page.currentPlan()->config.debaters, QStringList { QStringLiteral("openai/gpt-4o-mini") });
        QCOMPARE(page.currentPlan()->selection.dropped.size(), size_t(1));
        QVERIFY(
            child<QLabel>(&page, "projectionNotes")->text().contains(QStringLiteral("Dropped <b>openai/gpt-4o</b>")));
        QVERIFY(launch->isEnabled());

        // One debater (nothing left to drop): the gate blocks below the projection, with its own message.
        page.modelChoices()->setCheckedLabels({ QStringLiteral("openai/gpt-4o-mini") });
        budget->clear();
        page.refreshProjection();
        const double expected = page.currentPlan()->projection.total.expectedUsd;
        QVERIFY(expected > 0);
        budget->setText(usdText(expected / 1.5)); // 150 %
        QTRY_COMPARE(page.projectionPanel()->gaugeState(), QStringLiteral("blocked"));
        QVERIFY(!launch->isEnabled());
        const auto plan = page.currentPlan();
        QVERIFY(plan->blocked());
        QVERIFY(reason->text().contains(QStringLiteral("exceeds budget")));
        QVERIFY(reason->text().contains(gateRecordMessage(plan->gate.checks.front()).toHtmlEscaped()));
        QCOMPARE(page.projectionPanel()->usdGauge()->state(), QStringLiteral("blocked"));
        QVERIFY(page.launch().isEmpty()); // Launch does nothing while blocked
        QCOMPARE(page.controller()->runs()->rowCount(), 0);

        budget->setText(usdText(expected / 0.95)); // 95 %
        QTRY_COMPARE(page.projectionPanel()->gaugeState(), QStringLiteral("warning"));
        QVERIFY(launch->isEnabled());
        QVERIFY(reason->text().contains(QStringLiteral("95% of budget")));

        budget->setText(usdText(expected * 2)); // 50 %
        QTRY_COMPARE(page.projectionPanel()->gaugeState(), QStringLiteral("ok"));
        QVERIFY(launch->isEnabled());
        budget->clear();
        QTRY_COMPARE(page.projectionPanel()->gaugeState(), QStringLiteral("none"));

        // Budget 0 means no spending allowed.
        budget->setText(QStringLiteral("0"));
        QTRY_COMPARE(page.projectionPanel()->gaugeState(), QStringLiteral("blocked"));
        QVERIFY(!launch->isEnabled());

        // The live projection is cheap enough for the GUI thread.
        qInfo("planRun on the GUI thread: last %lld us, max %lld us", page.lastPlanMicros(), page.maxPlanMicros());
        QVERIFY(page.maxPlanMicros() < 50'000);
    }

    void simulatedRunEndToEnd()
    {
        QSettings store(m_env.path(QStringLiteral("e2e.ini")), QSettings::IniFormat);
        Settings settings(&store);
        MainWindow window(&settings);
        auto* controller = new LaunchController(engineWithLatency(250));
        LaunchPage* page = installPage(window, controller);
        QVERIFY(showOnEmptyFolder(window, m_env.path(QStringLiteral("runs-e2e"))));
        QCOMPARE(window.runsPage()->view()->model()->rowCount(), 0);

        window.showTab(MainWindow::Tab::Launch);
        child<QPlainTextEdit>(page, "taskEdit")->setPlainText(QStringLiteral("Name three uses of a heat pump."));
        child<QCheckBox>(page, "offlineCheck")->setChecked(true);
        QTRY_VERIFY(page->canLaunch());

        QStringList stages;
        connect(controller->runs(), &ActiveRunsModel::runChanged, this,
            [&] { stages << page->progressWidget()->stageText(); });
        QSignalSpy launched(page, &LaunchPage::runLaunched);
        // Ctrl+R on the Launch tab starts the run.
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QTRY_COMPARE(launched.count(), 1);
        const QString runId = launched.at(0).at(0).toString();
        QCOMPARE(page->progressWidget()->runId(), runId);

        QTableView* calls = page->progressWidget()->callsView();
        QTRY_VERIFY_WITH_TIMEOUT(calls->model()->rowCount() > 0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->progressWidget()->stageText().startsWith(QStringLiteral("Stage: debate")), 10000);
        page->grab().save(QStringLiteral("/tmp/launch-mid-run.png"));
        QTRY_VERIFY_WITH_TIMEOUT(page->progressWidget()->stageText().startsWith(QStringLiteral("Finished")), 20000);
        page->grab().save(QStringLiteral("/tmp/launch-after-run.png"));
        QVERIFY(stages.filter(QStringLiteral("Stage: debate")).size() > 0);
        QVERIFY(stages.filter(QStringLiteral("Stage: judge")).size() > 0);
        QVERIFY(calls->model()->rowCount() >= 3); // two debaters (quick-like roster cut) + judge at least
        for (int r = 0; r < calls->model()->rowCount(); ++r)
            QVERIFY(calls->model()->index(r, LiveCallsModel::Status).data().toString() != QStringLiteral("running"));

        const QString artifact = page->progressWidget()->artifactPath();
        QVERIFY(!artifact.isEmpty());
        QVERIFY(QFile::exists(artifact));
        QVERIFY(isSimulatedArtifact(artifact));
        QVERIFY(page->progressWidget()->outcomeText().contains(QDir::toNativeSeparators(artifact).toHtmlEscaped()));

        // The watcher brings it into the Runs table without any help from the page.
        QTRY_COMPARE_WITH_TIMEOUT(window.runsPage()->view()->model()->rowCount(), 1, 8000);

        // Open in Inspector.
        page->progressWidget()->openButton()->click();
        QCOMPARE(window.currentTab(), MainWindow::Tab::Inspector);
        QCOMPARE(window.inspectedPath(), artifact);
        window.grab().save(QStringLiteral("/tmp/launch-window-inspector.png"));
        window.showTab(MainWindow::Tab::Launch);
        window.grab().save(QStringLiteral("/tmp/launch-window.png"));

        // Ctrl+R on another tab only switches to the Launch tab.
        window.showTab(MainWindow::Tab::Runs);
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(window.currentTab(), MainWindow::Tab::Launch);
        QCOMPARE(launched.count(), 1);
    }

    void cancelSlowRun()
    {
        RunSession session;
        session.openFolder(m_env.path(QStringLiteral("runs-cancel")));
        auto* controller = new LaunchController(engineWithLatency(5000));
        LaunchPage page(&session, controller);
        controller->setParent(&page);
        page.resize(1200, 800);
        page.show();
        child<QPlainTextEdit>(&page, "taskEdit")->setPlainText(QStringLiteral("A slow one."));
        child<QCheckBox>(&page, "offlineCheck")->setChecked(true);
        page.refreshProjection();
        const QString id = page.launch();
        QVERIFY(!id.isEmpty());
        RunProgressWidget* progress = page.progressWidget();
        QTRY_VERIFY_WITH_TIMEOUT(progress->callsView()->model()->rowCount() > 0, 10000);
        QVERIFY(progress->cancelButton()->isEnabled());
        QElapsedTimer clock;
        clock.start();
        progress->cancelButton()->click();
        QVERIFY(!progress->cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(progress->stageText().startsWith(QStringLiteral("Finished")), 10000);
        QVERIFY(clock.elapsed() < 4000);
        QCOMPARE(progress->stageText(), QStringLiteral("Finished: cancelled"));
        QVERIFY(progress->outcomeText().contains(QStringLiteral("cancelled")));
        const RunProgress* run = controller->runs()->run(id);
        QVERIFY(run->outcome && run->outcome->cancelled);
        page.grab().save(QStringLiteral("/tmp/launch-cancelled.png"));
    }

    void firstRunDemoOffer()
    {
        const QString runs = m_env.path(QStringLiteral("runs-empty"));
        QSettings store(m_env.path(QStringLiteral("demo.ini")), QSettings::IniFormat);
        Settings settings(&store);
        MainWindow window(&settings);
        LaunchPage* page = installPage(window, new LaunchController(engineWithLatency(10)));
        QVERIFY(showOnEmptyFolder(window, runs));

        // The offer is where the user looks: the message bar and the Launch tab.
        QTRY_VERIFY(page->isDemoOfferVisible());
        QVERIFY(window.messageBar()->isVisible());
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("href=\"demo\"")));
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("OPENAI_API_KEY")));
        const QString offerText = child<QLabel>(page, "demoOfferText")->text();
        for (const char* needle : { "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", ".env",
                 "OPENAI_BASE_URL=http://localhost:11434/v1", "simulated" })
            QVERIFY2(offerText.contains(QLatin1String(needle)), needle);
        auto* dashboard = qobject_cast<DashboardPage*>(window.page(MainWindow::Tab::Dashboard));
        QVERIFY(dashboard);
        QVERIFY(dashboard->isShowingEmptyState());
        window.showTab(MainWindow::Tab::Launch);
        window.grab().save(QStringLiteral("/tmp/launch-demo-offer.png"));

        // Accepting it (the message bar link) creates simulated runs through the engine.
        QSignalSpy demoDone(page->demoRunner(), &DemoRunner::finished);
        Q_EMIT window.messageBar()->linkActivated(QStringLiteral("demo"));
        QVERIFY(page->demoRunner()->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(demoDone.count(), 1, 60000);
        const QStringList files = artifactsIn(runs);
        QCOMPARE(files.size(), 6);
        for (const QString& f : files)
            QVERIFY2(isSimulatedArtifact(f), qPrintable(f));
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->totalLoaded(), 6, 10000);
        QTRY_VERIFY(!dashboard->isShowingEmptyState());
        QTRY_VERIFY(!page->isDemoOfferVisible());
        QTRY_VERIFY(window.messageBar()->text().contains(QStringLiteral("demo runs")));
        window.grab().save(QStringLiteral("/tmp/launch-demo-done.png"));
        window.showTab(MainWindow::Tab::Dashboard);
        window.grab().save(QStringLiteral("/tmp/launch-demo-dashboard.png"));

        // A folder with runs never gets the offer, not even while it is being read.
        QSignalSpy loaded(window.session(), &RunSession::loadFinished);
        window.openFolder(runs);
        QVERIFY(!page->isDemoOfferVisible());
        QVERIFY(!window.messageBar()->isVisible()
            || !window.messageBar()->text().contains(QStringLiteral("href=\"demo\"")));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QVERIFY(!page->isDemoOfferVisible());
        QVERIFY(!window.messageBar()->isVisible()
            || !window.messageBar()->text().contains(QStringLiteral("href=\"demo\"")));
    }

    void studioDemoOption()
    {
#ifdef DJP_STUDIO_PATH
        const QString runs = m_env.path(QStringLiteral("runs-cli-demo"));
        QProcess studio;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("DJP_SIM_LATENCY_MS"), QStringLiteral("10"));
        studio.setProcessEnvironment(env);
        studio.start(QStringLiteral(DJP_STUDIO_PATH),
            { QStringLiteral("--runs-dir"), runs, QStringLiteral("--demo"), QStringLiteral("--settings"),
                m_env.path(QStringLiteral("cli-demo.ini")) });
        QVERIFY(studio.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(artifactsIn(runs).size() == 6, 60000);
        for (const QString& f : artifactsIn(runs))
            QVERIFY2(isSimulatedArtifact(f), qPrintable(f));
        QCOMPARE(studio.state(), QProcess::Running); // it stays open for the user
        studio.kill();
        studio.waitForFinished(5000);
#else
        QFAIL("djp-studio is not built");
#endif
    }
};

QTEST_MAIN(TestLaunchPage)
#include "tst_launchpage.moc"
