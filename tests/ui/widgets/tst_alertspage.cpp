// The Alerts tab in the real main window, offscreen, with settings in a temp INI and a local
// webhook receiver: an advisory-heavy folder raises a critical alert (results, banner, tab title,
// one POST with attachments, not again, then the resolved message), too few runs are not evaluated,
// the webhook URL is masked everywhere, a failing webhook lands in the history, and a new artifact
// in the watched folder is evaluated by itself. Set DJP_SCREENSHOT_DIR to keep a PNG of the page.
#include "core/strings.h"
#include "models/alertmodels.h"
#include "models/runtablemodel.h"
#include "runfixtures.h"
#include "session/alertmonitor.h"
#include "session/runsession.h"
#include "session/secretstore.h"
#include "session/settings.h"
#include "testclock.h"
#include "webhookreceiver.h"
#include "widgets/alertspage.h"
#include "widgets/filtersidebar.h"
#include "widgets/mainwindow.h"
#include "widgets/messagebar.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <memory>
#include <sys/stat.h>

using namespace djp;

namespace {

void writeRuns(const QString& dir, int published, int advisory, qint64 newestAgoHours = 1)
{
    QVERIFY(test::writeHourlyRuns(dir, published, advisory, newestAgoHours));
}

// The webhook of these tests; its path plays a real webhook URL's secret.
struct Receiver : test::WebhookReceiver
{
    Receiver()
        : WebhookReceiver(QStringLiteral("/services/T0/B0/topsecrettoken"))
    { }
};

// One main window with the Alerts page installed, its own config dir and settings.
struct Studio
{
    std::unique_ptr<QSettings> store;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<MainWindow> window;
    AlertsPage* page = nullptr;

    Studio(const QTemporaryDir& tmp, const QString& name)
    {
        // The monitor reads its files from the config dir when it is created.
        qputenv("DJP_CONFIG_DIR", tmp.filePath(name + QStringLiteral("-config")).toUtf8());
        store = std::make_unique<QSettings>(tmp.filePath(name + QStringLiteral(".ini")), QSettings::IniFormat);
        settings = std::make_unique<Settings>(store.get());
        window = std::make_unique<MainWindow>(settings.get());
        page = AlertsPage::install(window.get());
        window->resize(1400, 900);
        window->show();
        window->showTab(MainWindow::Tab::Alerts);
        window->session()->setWatchDebounceMs(100);
        // The stored webhook URL is read asynchronously (keyring or secret file).
        if (!QTest::qWaitFor([this] { return page->webhookLoaded(); }, 10000))
            qWarning("the stored webhook URL was not read within 10 s");
    }

    // What the secret store's file holds (no keyring runs under the tests).
    static std::optional<QString> storedWebhook()
    {
        return readSecretFile(qEnvironmentVariable("DJP_CONFIG_DIR") + QStringLiteral("/secrets.json"),
            AlertsPage::webhookSecretKey(), nullptr);
    }

    template <typename T> T* find(const QString& name) const { return page->findChild<T*>(name); }
    AlertResultsModel* results() const { return page->monitor()->resultsModel(); }
    AlertHistoryModel* history() const { return page->monitor()->historyModel(); }
    QString status(AlertRule rule) const
    {
        const AlertRow* row = results()->row(rule);
        return row ? alertStatusId(row->status) : QString();
    }
    bool open(const QString& runs) const
    {
        window->openFolder(runs);
        RunSession* s = window->session();
        return QTest::qWaitFor([s] { return !s->isLoading() && s->isSettled(); }, 15000);
    }
    void setWebhook(const QString& url) const
    {
        auto* edit = find<QLineEdit>(QStringLiteral("alertWebhookUrl"));
        if (edit->isReadOnly())
            QTest::mouseClick(find<QPushButton>(QStringLiteral("alertWebhookChange")), Qt::LeftButton);
        edit->setFocus();
        QTest::keyClicks(edit, url);
        QTest::keyClick(edit, Qt::Key_Return);
    }
    int historyCount(const QString& kind) const
    {
        int n = 0;
        for (const AlertHistoryEntry& e : history()->entries())
            n += historyKindId(e.kind) == kind ? 1 : 0;
        return n;
    }
};

void saveScreenshot(const Studio& studio, const QString& name)
{
    const QByteArray dir = qgetenv("DJP_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(50); // let pending layouts and repaints run
    QVERIFY(studio.window->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + name));
}

} // namespace

class TestAlertsPage : public QObject
{
    Q_OBJECT
    // Fixtures and the product's time windows share one "now" (faketime may move it).
    test::PinnedClock m_clock;

private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
    }

    void advisoryAlertBannerWebhookOnceThenResolved()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-advisory"));
        writeRuns(runs, 2, 6); // 6 advisory_only of 8 in the last day: 75% > 30%, critical (>= 45%)
        Receiver hook;
        QVERIFY(hook.port != 0);
        Studio studio(m_tmp, QStringLiteral("advisory"));
        QVERIFY(QTest::qWaitForWindowExposed(studio.window.get()));

        // Defaults on screen.
        QCOMPARE(studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_advisory_rate"))->value(), 30.0);
        QCOMPARE(studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_avg_cost"))->value(), 0.01);
        QCOMPARE(studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_failure_rate"))->value(), 20.0);
        QCOMPARE(studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_redacted_rate"))->value(), 10.0);
        QCOMPARE(
            studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_grounded_citation_success"))->value(), 60.0);
        QCOMPARE(studio.find<QSpinBox>(QStringLiteral("alertMinRuns"))->value(), 5);
        QCOMPARE(studio.find<QComboBox>(QStringLiteral("alertWindow"))->currentText(), QStringLiteral("7d"));
        QVERIFY(studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_advisory_rate"))
                    ->toolTip()
                    .contains(QStringLiteral("45.0%")));
        QCOMPARE(studio.find<QLabel>(QStringLiteral("alertScope"))->text(), QStringLiteral("No runs folder is open."));

        studio.setWebhook(hook.url());
        QVERIFY(studio.open(runs));
        QVERIFY(studio.find<QLabel>(QStringLiteral("alertScope"))
                    ->text()
                    .contains(QStringLiteral("sidebar filters do not apply")));

        // The sidebar filters do not matter: narrow them to nothing, the alerts still see the folder.
        auto* search = studio.window->filterSidebar()->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        QVERIFY(search);
        search->setText(QStringLiteral("no run has this text"));
        QTRY_COMPARE_WITH_TIMEOUT(studio.window->session()->runsModel()->rowCount(), 0, 5000);

        // Evaluate now (the button).
        QTest::mouseClick(studio.find<QPushButton>(QStringLiteral("alertEvaluate")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(studio.status(AlertRule::AdvisoryRate), QStringLiteral("critical"), 5000);
        QCOMPARE(studio.results()->index(0, AlertResultsModel::Value).data().toString(), QStringLiteral("75.0%"));
        QCOMPARE(studio.page->monitor()->lastEvaluation()->runs, 8);
        QCOMPARE(studio.status(AlertRule::FailureRate), QStringLiteral("ok"));
        QCOMPARE(studio.status(AlertRule::GroundedCitationSuccess), QStringLiteral("not_evaluated"));

        // Banner, tab title, status bar.
        MessageBar* banner = studio.page->banner();
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("Advisory rate is 75.0%")), qPrintable(banner->text()));
        QCOMPARE(banner->level(), MessageBar::Level::Error);
        QTabWidget* tabs = studio.window->tabs();
        QCOMPARE(tabs->tabText(tabs->indexOf(studio.page)), QStringLiteral("&Alerts (1)"));
        auto* indicator = studio.window->statusBar()->findChild<QToolButton*>(QStringLiteral("statusAlerts"));
        QVERIFY(indicator && indicator->isVisible());
        QCOMPARE(indicator->text(), QStringLiteral("1 alert firing (critical)"));
        QVERIFY(indicator->toolTip().contains(QStringLiteral("Advisory rate is 75.0%")));

        // Exactly one POST, with the attachment.
        QTRY_COMPARE_WITH_TIMEOUT(hook.bodies.size(), 1, 10000);
        const Json first = Json::parse(hook.bodies.at(0).toStdString());
        QVERIFY(first.contains("attachments"));
        QCOMPARE(first["attachments"].size(), size_t(1));
        QCOMPARE(first["attachments"][0]["title"].get<std::string>(), std::string("[CRITICAL] Advisory rate"));
        QTRY_COMPARE(studio.historyCount(QStringLiteral("sent")), 1);
        QCOMPARE(studio.historyCount(QStringLiteral("fired")), 1);

        saveScreenshot(studio, QStringLiteral("alerts-page.png"));

        // Evaluating again (Ctrl+Shift+E this time) does not send again: once per window.
        QSignalSpy evaluated(studio.page->monitor(), &AlertMonitor::evaluated);
        QSignalSpy started(studio.page->monitor(), &AlertMonitor::deliveryStarted);
        QSignalSpy finished(studio.page->monitor(), &AlertMonitor::deliveryFinished);
        studio.page->evaluateAction()->trigger();
        QTRY_COMPARE(evaluated.count(), 1);
        // A delivery is planned in the same call that reports the evaluation: none was started.
        QCOMPARE(started.count(), 0);
        QCOMPARE(hook.bodies.size(), 1);

        // Raising the threshold clears the rule: one resolved message.
        auto* advisory = studio.find<QDoubleSpinBox>(QStringLiteral("alertThreshold_advisory_rate"));
        advisory->setValue(80.0);
        QTest::mouseClick(studio.find<QPushButton>(QStringLiteral("alertEvaluate")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(studio.status(AlertRule::AdvisoryRate), QStringLiteral("ok"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(hook.bodies.size(), 2, 10000);
        const Json second = Json::parse(hook.bodies.at(1).toStdString());
        QCOMPARE(second["attachments"][0]["title"].get<std::string>(), std::string("[RESOLVED] Advisory rate"));
        QCOMPARE(second["attachments"][0]["color"].get<std::string>(), std::string("#28a745"));
        QTRY_COMPARE(studio.historyCount(QStringLiteral("resolved")), 1);
        QTRY_VERIFY(!banner->isVisible()); // nothing firing any more
        QCOMPARE(tabs->tabText(tabs->indexOf(studio.page)), QStringLiteral("&Alerts"));
        QVERIFY(!indicator->isVisible());
        // Exactly one more delivery (the resolved message), and none planned after it: a re-plan
        // would start in the same call that reports the delivery.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(started.count(), 1);
        QCOMPARE(hook.bodies.size(), 2);
        // The threshold is remembered.
        QCOMPARE(loadAlertConfig(*studio.settings).thresholds.advisoryRate, 0.8);
    }

    void historySaysWhichFolderAndFitsAt1024()
    {
        const QString one = m_tmp.filePath(QStringLiteral("runs-source-one"));
        const QString two = m_tmp.filePath(QStringLiteral("runs-source-two"));
        writeRuns(one, 0, 6); // all advisory: critical
        writeRuns(two, 0, 6);
        Studio studio(m_tmp, QStringLiteral("sources"));
        studio.window->resize(1024, 700);
        QVERIFY(studio.open(one));
        QTRY_COMPARE_WITH_TIMEOUT(studio.history()->rowCount(), 1, 5000);
        auto* view = studio.find<QTableView>(QStringLiteral("alertHistory"));
        auto* title = studio.find<QLabel>(QStringLiteral("alertHistoryTitle"));
        // One source: no column repeating it, the title names it.
        QVERIFY(view->isColumnHidden(AlertHistoryModel::Source));
        QVERIFY2(title->text().contains(QStringLiteral("runs-source-one")), qPrintable(title->text()));
        QVERIFY(view->columnViewportPosition(AlertHistoryModel::Details) < view->viewport()->width());

        // A second folder's alert: the history now mixes them and says which line is which.
        QVERIFY(studio.open(two));
        QTRY_COMPARE_WITH_TIMEOUT(studio.history()->rowCount(), 2, 5000);
        QVERIFY(!view->isColumnHidden(AlertHistoryModel::Source));
        const QAbstractItemModel* m = view->model();
        QVERIFY(m->index(0, AlertHistoryModel::Source).data().toString().endsWith(QStringLiteral("runs-source-two")));
        QVERIFY(m->index(1, AlertHistoryModel::Source).data().toString().endsWith(QStringLiteral("runs-source-one")));
        QVERIFY(!title->text().contains(QStringLiteral("runs-source-")));

        // The results table keeps every column and row in view at 1024x700.
        QCOMPARE(studio.window->size(), QSize(1024, 700));
        auto* results = studio.find<QTableView>(QStringLiteral("alertResults"));
        QHeaderView* header = results->horizontalHeader();
        const int statusRight = header->sectionViewportPosition(AlertResultsModel::Status)
            + header->sectionSize(AlertResultsModel::Status);
        QVERIFY2(statusRight <= results->viewport()->width(),
            qPrintable(QStringLiteral("%1 > %2").arg(statusRight).arg(results->viewport()->width())));
        QVERIFY(!results->horizontalScrollBar()->isVisible());
    }

    void tooFewRunsAreNotEvaluated()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-few"));
        writeRuns(runs, 0, 3); // all advisory, but only 3 runs
        Studio studio(m_tmp, QStringLiteral("few"));
        QVERIFY(studio.open(runs));
        QTest::mouseClick(studio.find<QPushButton>(QStringLiteral("alertEvaluate")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(studio.page->monitor()->lastEvaluation().has_value(), 5000);
        QTRY_VERIFY(!studio.page->monitor()->isEvaluating());
        for (AlertRule rule : kAllAlertRules)
            QCOMPARE(studio.status(rule), QStringLiteral("not_evaluated"));
        const QString text = studio.results()->index(0, AlertResultsModel::Status).data().toString();
        QCOMPARE(text, QStringLiteral("Not evaluated: only 3 runs in the window, 5 needed"));
        QVERIFY(!studio.page->banner()->isVisible());
        QCOMPARE(studio.history()->rowCount(), 0);
        saveScreenshot(studio, QStringLiteral("alerts-few.png"));
        QVERIFY(studio.find<QLabel>(QStringLiteral("alertStatus"))->text().contains(QStringLiteral("not enough runs")));

        // A custom window is parsed; nonsense is refused and explained.
        auto* window = studio.find<QComboBox>(QStringLiteral("alertWindow"));
        window->setCurrentText(QStringLiteral("3w"));
        QCOMPARE(studio.page->monitor()->config().window, QStringLiteral("3w"));
        window->setCurrentText(QStringLiteral("soon"));
        QCOMPARE(studio.page->monitor()->config().window, QStringLiteral("3w"));
        QVERIFY(studio.find<QLabel>(QStringLiteral("alertWindowHint"))->isVisible());
        // Lowering the minimum evaluates the same runs.
        window->setCurrentText(QStringLiteral("7d"));
        studio.find<QSpinBox>(QStringLiteral("alertMinRuns"))->setValue(3);
        QTRY_COMPARE_WITH_TIMEOUT(studio.status(AlertRule::AdvisoryRate), QStringLiteral("critical"), 5000);
        QTRY_VERIFY(studio.page->banner()->isVisible());
    }

    void webhookUrlIsMasked()
    {
        Studio studio(m_tmp, QStringLiteral("masked"));
        const QString url = QStringLiteral("https://hooks.example.com/services/T0/B0/topsecrettoken");
        studio.setWebhook(QStringLiteral("ftp://nope"));
        auto* edit = studio.find<QLineEdit>(QStringLiteral("alertWebhookUrl"));
        QVERIFY(!edit->isReadOnly()); // refused
        QVERIFY(studio.find<QLabel>(QStringLiteral("alertWebhookHint"))->text().contains(QStringLiteral("Not a")));
        QVERIFY(!Studio::storedWebhook());
        edit->clear();

        studio.setWebhook(url);
        QCOMPARE(edit->text(), QStringLiteral("https://hooks.example.com/\u2022\u2022\u2022"));
        QVERIFY(edit->isReadOnly());
        QTRY_COMPARE(Studio::storedWebhook().value_or(QString()), url);
        QVERIFY(studio.page->monitor()->hasWebhook());
        // Undo cannot bring it back.
        edit->undo();
        QVERIFY(!edit->text().contains(QStringLiteral("topsecrettoken")));
        // Not in any label, tooltip or line edit of the window.
        for (QLabel* label : studio.window->findChildren<QLabel*>()) {
            QVERIFY2(!label->text().contains(QStringLiteral("topsecrettoken")), qPrintable(label->objectName()));
            QVERIFY(!label->toolTip().contains(QStringLiteral("topsecrettoken")));
        }
        for (QLineEdit* line : studio.window->findChildren<QLineEdit*>())
            QVERIFY(!line->text().contains(QStringLiteral("topsecrettoken")));
        for (QWidget* w : studio.window->findChildren<QWidget*>())
            QVERIFY(!w->toolTip().contains(QStringLiteral("topsecrettoken")));
        // Not in the settings file in any form.
        studio.settings->sync();
        QFile ini(m_tmp.filePath(QStringLiteral("masked.ini")));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray iniBytes = ini.readAll();
        QVERIFY(!iniBytes.contains("topsecrettoken"));
        QVERIFY(!iniBytes.contains(url.toUtf8().toBase64().left(20)));
        QVERIFY(!iniBytes.contains("webhook"));

        // Change… then Esc keeps the stored URL; Change… then a new URL replaces it.
        QTest::mouseClick(studio.find<QPushButton>(QStringLiteral("alertWebhookChange")), Qt::LeftButton);
        QVERIFY(!edit->isReadOnly());
        QCOMPARE(edit->text(), QString());
        QTest::keyClick(edit, Qt::Key_Escape);
        QVERIFY(edit->isReadOnly());
        QCOMPARE(Studio::storedWebhook().value_or(QString()), url);
        studio.setWebhook(QStringLiteral("https://other.example.org/x/y"));
        QCOMPARE(edit->text(), QStringLiteral("https://other.example.org/\u2022\u2022\u2022"));
        QTRY_COMPARE(Studio::storedWebhook().value_or(QString()), QStringLiteral("https://other.example.org/x/y"));

        // A new window shows it masked from the start; Remove forgets it.
        Studio again(m_tmp, QStringLiteral("masked"));
        auto* edit2 = again.find<QLineEdit>(QStringLiteral("alertWebhookUrl"));
        QCOMPARE(edit2->text(), QStringLiteral("https://other.example.org/\u2022\u2022\u2022"));
        QTest::mouseClick(again.find<QPushButton>(QStringLiteral("alertWebhookRemove")), Qt::LeftButton);
        QTRY_VERIFY(!Studio::storedWebhook());
        QVERIFY(!again.page->monitor()->hasWebhook());
        QVERIFY(!edit2->isReadOnly());
        QCOMPARE(edit2->text(), QString());
    }

    // 0.1 kept the URL base64-encoded in the settings: it moves to the secret store (here the 0600
    // file, as no keyring runs) at the first start, with a visible note, and leaves no trace.
    void legacyWebhookMovesOutOfTheSettings()
    {
        const QString url = QStringLiteral("https://hooks.slack.com/services/T0LEGACY/B0LEGACY/legacysecret99");
        const QString iniPath = m_tmp.filePath(QStringLiteral("legacy.ini"));
        {
            QSettings old(iniPath, QSettings::IniFormat);
            old.setValue(QStringLiteral("alerts/webhook"), url.toUtf8().toBase64());
            old.sync();
        }
        Studio studio(m_tmp, QStringLiteral("legacy"));
        QVERIFY(studio.page->webhookLoaded());
        QVERIFY(studio.page->monitor()->hasWebhook());
        QCOMPARE(studio.find<QLineEdit>(QStringLiteral("alertWebhookUrl"))->text(),
            QStringLiteral("https://hooks.slack.com/\u2022\u2022\u2022"));
        QTRY_COMPARE(Studio::storedWebhook().value_or(QString()), url);
        const QString secretFile = qEnvironmentVariable("DJP_CONFIG_DIR") + QStringLiteral("/secrets.json");
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(secretFile).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        // The keyring is not there under the tests: the fallback is used and the tab says so.
        QVERIFY(studio.page->secrets()->usingFallback());
        QTRY_VERIFY(
            studio.find<QLabel>(QStringLiteral("alertWebhookHint"))->text().contains(QStringLiteral("private file")));
        // Nothing of the URL is left in the settings file.
        QTRY_VERIFY([&] {
            QFile ini(iniPath);
            if (!ini.open(QIODevice::ReadOnly))
                return false;
            const QByteArray bytes = ini.readAll();
            return !bytes.contains("webhook") && !bytes.contains(url.toUtf8().toBase64().left(16))
                && !bytes.contains("legacysecret99");
        }());
        // A restart reads it from the secret store.
        Studio again(m_tmp, QStringLiteral("legacy"));
        QVERIFY(again.page->monitor()->hasWebhook());
    }

    void failingWebhookIsInTheHistory()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-failing"));
        writeRuns(runs, 2, 6);
        Receiver hook;
        hook.status = 500;
        Studio studio(m_tmp, QStringLiteral("failing"));
        RetryPolicy quick;
        quick.maxAttempts = 2;
        quick.baseDelayMs = 50;
        studio.page->monitor()->setRetryPolicy(quick);
        studio.setWebhook(hook.url());
        QVERIFY(studio.open(runs));
        QTRY_COMPARE_WITH_TIMEOUT(studio.historyCount(QStringLiteral("failed")), 1, 10000);
        QCOMPARE(hook.bodies.size(), 2); // retried once (500 is retryable)
        const AlertHistoryEntry failed = studio.history()->entries().front();
        QCOMPARE(failed.kind, AlertHistoryEntry::Kind::Failed);
        QVERIFY2(failed.text.contains(QStringLiteral("500")), qPrintable(failed.text));
        // Counted words read as plurals (docs/architecture.md, "Plurals"), never "attempt(s)".
        QVERIFY2(failed.text.contains(QStringLiteral("after 2 attempts:")), qPrintable(failed.text));
        QVERIFY2(!failed.text.contains(QStringLiteral("(s)")), qPrintable(failed.text));
        QVERIFY(!failed.text.contains(QStringLiteral("topsecrettoken")));
        // The alert itself is still shown, and nothing was recorded as delivered.
        QVERIFY(studio.page->banner()->isVisible());
        QVERIFY(studio.find<QLabel>(QStringLiteral("alertStatus"))->text().contains(QStringLiteral("failed")));
        const QString stateFile = qEnvironmentVariable("DJP_CONFIG_DIR") + QStringLiteral("/alert-state.json");
        QVERIFY(!QFile::exists(stateFile));

        // Next evaluation tries again (the server now accepts).
        hook.status = 200;
        studio.page->evaluateNow();
        QTRY_COMPARE_WITH_TIMEOUT(studio.historyCount(QStringLiteral("sent")), 1, 10000);
        QCOMPARE(hook.bodies.size(), 3);
        QTRY_VERIFY(QFile::exists(stateFile));
    }

    void newArtifactIsEvaluated()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-live"));
        writeRuns(runs, 4, 0); // 4 published: not enough runs
        Studio studio(m_tmp, QStringLiteral("live"));
        QVERIFY(studio.open(runs));
        QTRY_VERIFY_WITH_TIMEOUT(studio.page->monitor()->lastEvaluation().has_value(), 5000);
        QCOMPARE(studio.status(AlertRule::AdvisoryRate), QStringLiteral("not_evaluated"));
        QVERIFY(!studio.page->banner()->isVisible());

        // Two advisory runs arrive: 6 runs, 2 advisory = 33.3% > 30%: a warning, found by itself.
        writeRuns(runs, 0, 2, 10);
        QTRY_COMPARE_WITH_TIMEOUT(studio.status(AlertRule::AdvisoryRate), QStringLiteral("warning"), 8000);
        QCOMPARE(studio.page->monitor()->lastEvaluation()->runs, 6);
        QTRY_VERIFY(studio.page->banner()->isVisible());
        QCOMPARE(studio.page->banner()->level(), MessageBar::Level::Warning);
        QVERIFY(studio.page->banner()->text().contains(QStringLiteral("33.3%")));
        saveScreenshot(studio, QStringLiteral("alerts-warning.png"));
    }
};

QTEST_MAIN(TestAlertsPage)
#include "tst_alertspage.moc"
