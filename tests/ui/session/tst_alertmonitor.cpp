// AlertMonitor over a real RunSession on a fixture folder: evaluation after a load, "raised" once
// per window and remembered across restarts, the webhook told once (state shared with `djp alerts`)
// and only after a successful delivery, history persisted, a webhook configured later is told then.
#include "core/strings.h"
#include "metrics/alertstate.h"
#include "runfixtures.h"
#include "session/alertmonitor.h"
#include "session/runsession.h"
#include "testclock.h"
#include "webhookreceiver.h"

#include <QAbstractItemModelTester>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {

constexpr qint64 kHour = 3600ll * 1000;

void writeRuns(const QString& dir, int published, int advisory)
{
    QVERIFY(test::writeHourlyRuns(dir, published, advisory));
}

// The webhook of these tests; its path plays a real webhook URL's secret.
struct Receiver : test::WebhookReceiver
{
    Receiver()
        : WebhookReceiver(QStringLiteral("/hook/secret"))
    { }
};

} // namespace

class TestAlertMonitor : public QObject
{
    Q_OBJECT
    // Fixtures and the product's time windows share one "now" (faketime may move it).
    test::PinnedClock m_clock;

private:
    QTemporaryDir m_tmp;

    AlertMonitor::Paths paths(const QString& name) const
    {
        const QString dir = m_tmp.filePath(name);
        return { dir + QStringLiteral("/alert-state.json"), dir + QStringLiteral("/alert-state-studio.json"),
            dir + QStringLiteral("/alert-history.json") };
    }

    static void openAndSettle(RunSession& session, const QString& dir)
    {
        session.openFolder(dir);
        QTRY_VERIFY_WITH_TIMEOUT(!session.isLoading() && session.isSettled(), 15000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("DJP_CONFIG_DIR", m_tmp.filePath(QStringLiteral("config")).toUtf8());
    }

    void raisedOncePerWindowAndRemembered()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-a"));
        writeRuns(runs, 2, 6);
        const AlertMonitor::Paths p = paths(QStringLiteral("state-a"));
        RunSession session;
        {
            AlertMonitor monitor(&session, p);
            QAbstractItemModelTester t1(monitor.resultsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QAbstractItemModelTester t2(monitor.historyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QSignalSpy raised(&monitor, &AlertMonitor::alertsRaised);
            QSignalSpy evaluated(&monitor, &AlertMonitor::evaluated);
            QSignalSpy firing(&monitor, &AlertMonitor::firingChanged);
            openAndSettle(session, runs);
            // The load's end triggers an evaluation by itself.
            QTRY_VERIFY_WITH_TIMEOUT(monitor.lastEvaluation().has_value(), 5000);
            QTRY_COMPARE(raised.count(), 1);
            QVERIFY(raised.at(0).at(0).toString().contains(QStringLiteral("Advisory rate is 75.0%")));
            QCOMPARE(raised.at(0).at(1).toBool(), true); // 0.75 >= 1.5 x 0.30
            QCOMPARE(firing.last().at(0).toInt(), 1);
            QCOMPARE(monitor.lastEvaluation()->runs, 8);
            const AlertRow* row = monitor.resultsModel()->row(AlertRule::AdvisoryRate);
            QCOMPARE(row->status, AlertStatus::Critical);
            QCOMPARE(*row->value, 0.75);
            QCOMPARE(monitor.historyModel()->rowCount(), 1);
            QCOMPARE(monitor.historyModel()->entries().front().kind, AlertHistoryEntry::Kind::Fired);

            // Again: no new "raised" (once per window), no new history line.
            const int before = evaluated.count();
            monitor.evaluateNow();
            QTRY_COMPARE(evaluated.count(), before + 1);
            QCOMPARE(raised.count(), 1);
            QCOMPARE(monitor.historyModel()->rowCount(), 1);
            // Without a webhook the CLI's state file is not touched.
            QVERIFY(!QFile::exists(p.webhookState));
        }
        // A restart remembers what was shown, and the history.
        AlertMonitor again(&session, p);
        QSignalSpy raised(&again, &AlertMonitor::alertsRaised);
        again.evaluateNow();
        QTRY_VERIFY_WITH_TIMEOUT(again.lastEvaluation().has_value(), 5000);
        QCOMPARE(raised.count(), 0);
        QCOMPARE(again.historyModel()->rowCount(), 1);

        // Clearing the rule (a higher threshold) resolves it, once.
        AlertConfig c = again.config();
        c.thresholds.advisoryRate = 0.9;
        QVERIFY(again.setConfig(c));
        QSignalSpy evaluated(&again, &AlertMonitor::evaluated);
        again.evaluateNow();
        QTRY_COMPARE(evaluated.count(), 1);
        QCOMPARE(again.historyModel()->entries().front().kind, AlertHistoryEntry::Kind::Resolved);
        QCOMPARE(again.resultsModel()->row(AlertRule::AdvisoryRate)->status, AlertStatus::Ok);
        QVERIFY(!again.setConfig(AlertConfig { c.thresholds, QStringLiteral("fortnight") }));
        QCOMPARE(again.config().window, QStringLiteral("7d"));
    }

    void shownStateIsPerFolder()
    {
        const QString one = m_tmp.filePath(QStringLiteral("runs-one"));
        const QString two = m_tmp.filePath(QStringLiteral("runs-two"));
        writeRuns(one, 2, 6);
        writeRuns(two, 2, 6);
        const AlertMonitor::Paths p = paths(QStringLiteral("state-folders"));
        RunSession session;
        AlertMonitor monitor(&session, p);
        QSignalSpy raised(&monitor, &AlertMonitor::alertsRaised);
        QSignalSpy evaluated(&monitor, &AlertMonitor::evaluated);
        openAndSettle(session, one);
        QTRY_COMPARE(raised.count(), 1);
        // Another folder's alert is its own: raised too.
        openAndSettle(session, two);
        QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 2, 5000);
        // Back to the first: already shown, not raised again.
        const int before = evaluated.count();
        openAndSettle(session, one);
        QTRY_VERIFY(evaluated.count() > before && monitor.lastEvaluation() && !monitor.isEvaluating());
        // alertsRaised would have been emitted together with evaluated(), in the same call.
        QCOMPARE(raised.count(), 2);
        // Both folders are in the file. It is written on the monitor's I/O thread, once per change: wait
        // for the write that holds the second folder, not just for the file.
        const auto readState = [&p] {
            QFile f(p.shownState);
            return f.open(QIODevice::ReadOnly) ? Json::parse(f.readAll().toStdString(), nullptr, false) : Json();
        };
        QTRY_VERIFY(readState().is_object() && readState()["folders"].size() == 2);
        const Json j = readState();
        QCOMPARE(j["folders"].size(), size_t(2));
        QVERIFY(j["folders"].contains(ss(QDir::cleanPath(one))));

        // The history says which folder each alert was about: two "fired" lines, newest first.
        const auto& entries = monitor.historyModel()->entries();
        QCOMPARE(entries.size(), size_t(2));
        const QString canonicalOne = QFileInfo(one).canonicalFilePath();
        const QString canonicalTwo = QFileInfo(two).canonicalFilePath();
        QCOMPARE(entries[0].source, QStringLiteral("folder:") + canonicalTwo);
        QCOMPARE(entries[1].source, QStringLiteral("folder:") + canonicalOne);
        const QAbstractItemModel* history = monitor.historyModel();
        QCOMPARE(history->headerData(AlertHistoryModel::Source, Qt::Horizontal).toString(), QStringLiteral("Source"));
        QCOMPARE(
            history->index(1, AlertHistoryModel::Source).data().toString(), QDir::toNativeSeparators(canonicalOne));
        QVERIFY(history->index(1, AlertHistoryModel::Source)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("runs folder")));
        // ... and so does the history file.
        QTRY_VERIFY(QFile::exists(p.history));
        QTRY_VERIFY([&] {
            QFile h(p.history);
            if (!h.open(QIODevice::ReadOnly))
                return false;
            const auto back = historyFromJson(Json::parse(h.readAll().toStdString(), nullptr, false));
            return back && back->size() == 2 && (*back)[1].source == QStringLiteral("folder:") + canonicalOne;
        }());
    }

    void webhookToldOnceAndStateShared()
    {
        const QString runs = m_tmp.filePath(QStringLiteral("runs-b"));
        writeRuns(runs, 2, 6);
        const AlertMonitor::Paths p = paths(QStringLiteral("state-b"));
        Receiver hook;
        QVERIFY(hook.port != 0);
        RunSession session;
        AlertMonitor monitor(&session, p);
        QSignalSpy delivered(&monitor, &AlertMonitor::deliveryFinished);
        openAndSettle(session, runs);
        QTRY_VERIFY_WITH_TIMEOUT(monitor.lastEvaluation().has_value(), 5000);
        QCOMPARE(hook.bodies.size(), 0); // no webhook yet

        // Configured later: the hook is told about what is firing now.
        monitor.setWebhookUrl(QUrl(hook.url()));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, 10000);
        QCOMPARE(delivered.at(0).at(0).toBool(), true);
        QCOMPARE(hook.bodies.size(), 1);
        const Json body = Json::parse(hook.bodies.at(0).toStdString());
        QCOMPARE(body["attachments"].size(), size_t(1));
        QCOMPARE(body["attachments"][0]["title"].get<std::string>(), std::string("[CRITICAL] Advisory rate"));
        QVERIFY(qs(body["text"].get<std::string>()).contains(QStringLiteral("the last 7d (8 runs)")));

        // The state is the CLI's format and file: advisory_rate is remembered as sent.
        QTRY_VERIFY(QFile::exists(p.webhookState));
        std::optional<AlertState> state;
        const AlertScope scope = alertScopeForFolder(runs, 7 * 24 * kHour);
        QTRY_VERIFY((state = AlertStateFile(p.webhookState).load(scope))
            && state->firing.count(QStringLiteral("advisory_rate")));
        const QString historyText = monitor.historyModel()->entries().front().text;
        QVERIFY2(historyText.contains(QStringLiteral("127.0.0.1")), qPrintable(historyText));
        QVERIFY(!historyText.contains(QStringLiteral("secret"))); // host only

        // Evaluating again sends nothing.
        QSignalSpy evaluated(&monitor, &AlertMonitor::evaluated);
        QSignalSpy upToDate(&monitor, &AlertMonitor::webhookUpToDate);
        QSignalSpy started(&monitor, &AlertMonitor::deliveryStarted);
        monitor.evaluateNow();
        QTRY_COMPARE(evaluated.count(), 1);
        // The plan (made once the state is read back) found nothing to send.
        QTRY_COMPARE(upToDate.count(), 1);
        QCOMPARE(started.count(), 0);
        QCOMPARE(hook.bodies.size(), 1);
        QCOMPARE(delivered.count(), 1);

        // The history file is written (off the GUI thread) and reads back.
        QTRY_VERIFY(QFile::exists(p.history));
    }

    // Switching folders: the other folder's alerts are not "resolved", and what `djp alerts` wrote
    // for a third folder stays in the shared file.
    void switchingFoldersSendsNoFalseResolved()
    {
        const QString firingRuns = m_tmp.filePath(QStringLiteral("runs-switch-a"));
        const QString calmRuns = m_tmp.filePath(QStringLiteral("runs-switch-b"));
        writeRuns(firingRuns, 2, 6); // advisory rate 75 %: critical
        writeRuns(calmRuns, 6, 0); // all published: nothing fires
        const AlertMonitor::Paths p = paths(QStringLiteral("state-switch"));
        // What the CLI remembered for another folder before the GUI started.
        const AlertScope cliScope = alertScopeForFolder(m_tmp.filePath(QStringLiteral("cli-folder")), std::nullopt);
        AlertState cliState;
        cliState.firing[QStringLiteral("failure_rate")] = { 1234, AlertSeverity::Critical, 0.5, 0.2 };
        QVERIFY(AlertStateFile(p.webhookState).merge(cliScope, {}, cliState));

        Receiver hook;
        QVERIFY(hook.port != 0);
        RunSession session;
        AlertMonitor monitor(&session, p);
        monitor.setWebhookUrl(QUrl(hook.url()));
        QSignalSpy delivered(&monitor, &AlertMonitor::deliveryFinished);
        QSignalSpy upToDate(&monitor, &AlertMonitor::webhookUpToDate);
        openAndSettle(session, firingRuns);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, 10000);
        QCOMPARE(hook.bodies.size(), 1);
        QTRY_VERIFY(!monitor.isWebhookBusy());

        // B: planned (every plan either sends or says "up to date"), nothing sent for A.
        upToDate.clear();
        openAndSettle(session, calmRuns);
        QTRY_VERIFY_WITH_TIMEOUT(upToDate.count() >= 1, 10000);
        QTRY_VERIFY(!monitor.isWebhookBusy());
        QCOMPARE(hook.bodies.size(), 1);
        QCOMPARE(delivered.count(), 1);

        // A again: already told within the window.
        upToDate.clear();
        openAndSettle(session, firingRuns);
        QTRY_VERIFY_WITH_TIMEOUT(upToDate.count() >= 1, 10000);
        QTRY_VERIFY(!monitor.isWebhookBusy());
        QCOMPARE(hook.bodies.size(), 1);
        for (const QByteArray& body : hook.bodies)
            QVERIFY2(!body.contains("RESOLVED") && !body.contains("#28a745"), body.constData());

        // Both the GUI's scope and the CLI's are in the shared file.
        const auto all = AlertStateFile(p.webhookState).loadAll();
        QVERIFY(all);
        QVERIFY(all->count(cliScope));
        QCOMPARE(all->at(cliScope), cliState);
        QVERIFY(all->count(alertScopeForFolder(firingRuns, 7 * 24 * kHour)));
    }
};

QTEST_GUILESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
