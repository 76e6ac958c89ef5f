// The desktop app over a team history on a real PostgreSQL server (docs/team-history.md, "The desktop
// app"): the same folder of runs is pushed to the database, then one MainWindow shows the folder and
// another the database; KPI cards, counts, chart data and the export must agree. Paging, the
// Inspector fetching an artifact that is not on this disk, live updates from another connection,
// wrong passwords and where passwords may (not) end up are checked through the real widgets.
#include "benchdata/syntheticartifacts.h"
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "models/runtablemodel.h"
#include "pgcluster.h"
#include "pricing/pricingtable.h"
#include "session/alertmonitor.h"
#include "session/launchcontroller.h"
#include "session/runsession.h"
#include "session/secretstore.h"
#include "session/settings.h"
#include "session/teamhistory.h"
#include "store/runstore.h"
#include "team/teampush.h"
#include "team/teamquery.h"
#include "team/teamschema.h"
#include "testclock.h"
#include "widgets/charts/categorybarchart.h"
#include "widgets/dashboardpage.h"
#include "widgets/filtersidebar.h"
#include "widgets/inspectorpage.h"
#include "widgets/kpicard.h"
#include "widgets/launchpage.h"
#include "widgets/mainwindow.h"
#include "widgets/messagebar.h"
#include "widgets/runspage.h"
#include "widgets/teamhistorydialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>
#include <QtConcurrent>
#include <QtTest>

using namespace djp;
using namespace djp::test;

namespace {
constexpr int kWaitMs = 60000; // generous: a loaded machine must not fail the test

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

FilterState allTime()
{
    FilterState s;
    s.range = TimeRange::All;
    return s;
}

// Everything the status bar and the title show, in one string.
QString visibleText(MainWindow& w)
{
    QStringList parts { w.windowTitle() };
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
        parts << l->text() << l->toolTip();
    for (QLabel* l : w.messageBar()->findChildren<QLabel*>())
        parts << l->text();
    return parts.join(u'\n');
}

std::map<QString, QString> cardValues(MainWindow& w)
{
    std::map<QString, QString> values;
    for (KpiCard* c : w.dashboardPage()->findChildren<KpiCard*>())
        values[c->objectName()] = c->valueText() + QStringLiteral(" | ") + c->captionText();
    return values;
}
} // namespace

class TestStudioTeam : public QObject
{
    Q_OBJECT

    PinnedClock m_clock;
    PgCluster m_cluster;
    QTemporaryDir m_tmp;
    QString m_runs;
    QString m_url; // with the superuser's password
    QString m_urlNoPassword;
    LoadResult m_folder;

    // Every window keeps its own settings alive until the end of the test case.
    std::vector<std::unique_ptr<QSettings>> m_stores;
    std::vector<std::unique_ptr<Settings>> m_settingsKept;
    QSettings* m_store = nullptr;
    Settings* m_settings = nullptr;

    std::unique_ptr<MainWindow> newWindow(const QString& settingsName)
    {
        m_stores.push_back(std::make_unique<QSettings>(m_tmp.filePath(settingsName), QSettings::IniFormat));
        m_store = m_stores.back().get();
        m_settingsKept.push_back(std::make_unique<Settings>(m_store));
        m_settings = m_settingsKept.back().get();
        auto w = std::make_unique<MainWindow>(m_settings);
        w->resize(1200, 800);
        w->show();
        return w;
    }

    // Opens the team history and waits for its first view (or its failure).
    static bool openTeam(MainWindow& w, const QString& url, const QString& password = {}, bool remember = false)
    {
        QSignalSpy finished(w.session(), &RunSession::loadFinished);
        w.openTeamHistory(url, password, remember);
        if (!finished.wait(kWaitMs) && finished.isEmpty())
            return false;
        return QTest::qWaitFor([&w] { return w.session()->isSettled(); }, kWaitMs);
    }

    static bool settleOn(MainWindow& w, const FilterState& filter)
    {
        w.filterSidebar()->setState(filter);
        w.session()->setFilter(filter);
        return QTest::qWaitFor([&w] { return w.session()->isSettled(); }, kWaitMs);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("DJP_CONFIG_DIR", m_tmp.filePath(QStringLiteral("config")).toUtf8());
        qputenv("DJP_SECRET_STORE", "file"); // no keyring on a test machine: the 0600 file
        QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE DATABASE team"), QStringLiteral("postgres"), &ok);
        QVERIFY(ok);
        m_url = m_cluster.url(QStringLiteral("team"));
        m_urlNoPassword
            = QStringLiteral("postgresql://%1@127.0.0.1:%2/team").arg(m_cluster.superuser()).arg(m_cluster.port());

        SyntheticOptions o;
        o.count = 300;
        o.seed = 7;
        o.endMs = m_clock.nowMs() - 2 * 24 * 3600 * 1000; // the live update's runs are all newer
        o.spanDays = 20;
        m_runs = m_tmp.filePath(QStringLiteral("runs"));
        QVERIFY(writeSyntheticArtifacts(m_runs, o).ok);
        // Every third run's calls read from the prompt cache and carry the provider's own cost, so the
        // cost-detail cards have something to show (and to agree on).
        int rewritten = 0, n = 0;
        QDirIterator files(m_runs, { QStringLiteral("*.json") }, QDir::Files);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadWrite));
            QByteArray text = file.readAll();
            if (!text.contains("\"cost_usd\"") || n++ % 3)
                continue;
            text.replace("\"cost_usd\":", "\"cache_read_tokens\": 150, \"reported_cost_usd\": 0.0021, \"cost_usd\":");
            QVERIFY(file.resize(0) && file.seek(0) && file.write(text) == text.size());
            ++rewritten;
        }
        QVERIFY(rewritten > 30);
        LoadOptions lo;
        lo.runsDir = m_runs;
        lo.useIndex = false;
        m_folder = loadRuns(lo);
        QVERIFY(m_folder.records.size() >= 290);

        DbError e;
        std::optional<PgConnection> conn = PgConnection::open(m_url, &e);
        QVERIFY2(conn, qPrintable(e.message));
        TeamInitResult init;
        QVERIFY2(initTeamSchema(*conn, true, &init, &e), qPrintable(e.message));
        PushSummary s;
        QVERIFY2(pushRunsFolder(*conn, m_runs, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(m_folder.records.size()));
    }

    // The same runs, once from the folder and once from the database: identical dashboards.
    void teamHistoryShowsWhatTheFolderShows()
    {
        auto folderWindow = newWindow(QStringLiteral("folder.ini"));
        folderWindow->openFolder(m_runs);
        QVERIFY(QTest::qWaitFor(
            [&] { return !folderWindow->session()->isLoading() && folderWindow->session()->isSettled(); }, kWaitMs));
        auto teamWindow = newWindow(QStringLiteral("team.ini"));
        QVERIFY(openTeam(*teamWindow, m_url));
        QVERIFY2(teamWindow->session()->teamError().isEmpty(), qPrintable(teamWindow->session()->teamError()));
        QVERIFY(teamWindow->session()->isTeamHistory());

        FilterState deep = allTime();
        deep.status = QStringLiteral("published");
        int twoStepViews = 0;
        for (const FilterState& filter : { FilterState {}, allTime(), deep }) {
            QVERIFY(settleOn(*folderWindow, filter));
            // The team window shows the main cards first, then the cost details from their own query.
            std::vector<bool> pending;
            const QMetaObject::Connection watch
                = connect(teamWindow->session(), &RunSession::filteredChanged, this, [&] {
                      if (const auto v = teamWindow->session()->view())
                          pending.push_back(v->dashboard->costDetailsPending);
                  });
            QVERIFY(settleOn(*teamWindow, filter));
            disconnect(watch);
            // (A filter equal to the current one computes nothing.)
            if (!pending.empty()) {
                QVERIFY2(pending.size() >= 2 && pending.front() && !pending.back(),
                    qPrintable(QStringLiteral("%1 views").arg(pending.size())));
                ++twoStepViews;
            }
            const auto fv = folderWindow->session()->view();
            const auto tv = teamWindow->session()->view();
            QVERIFY(tv->paged);
            QVERIFY(tv->matchedCount > 0);
            QCOMPARE(tv->matchedCount, qint64(fv->indices.size()));
            QCOMPARE(teamWindow->session()->totalLoaded(), folderWindow->session()->totalLoaded());
            std::map<QString, QString> folderCards = cardValues(*folderWindow);
            std::map<QString, QString> teamCards = cardValues(*teamWindow);
            // The cost details too: the server prices the calls at the same pricing table's rates.
            for (const char* details : { "kpi_reported_vs_computed", "kpi_cache_savings" })
                QVERIFY2(!folderCards[QString::fromLatin1(details)].startsWith(QStringLiteral("n/a")),
                    qPrintable(folderCards[QString::fromLatin1(details)]));
            QVERIFY(folderCards.size() >= 10);
            QCOMPARE(teamCards, folderCards);
            QCOMPARE(teamWindow->findChild<QLabel*>(QStringLiteral("statusRuns"))->text(),
                folderWindow->findChild<QLabel*>(QStringLiteral("statusRuns"))->text());
            // Chart data: buckets, provider mix, status counts, cost by provider.
            const DashboardData& fd = *fv->dashboard;
            const DashboardData& td = *tv->dashboard;
            QCOMPARE(td.bucketSize, fd.bucketSize);
            QCOMPARE(td.buckets.size(), fd.buckets.size());
            for (size_t i = 0; i < td.buckets.size(); ++i) {
                QCOMPARE(td.buckets[i].startMs, fd.buckets[i].startMs);
                QCOMPARE(td.buckets[i].runs, fd.buckets[i].runs);
                QCOMPARE(td.buckets[i].cost, fd.buckets[i].cost);
            }
            QCOMPARE(td.kpis.providerMix, fd.kpis.providerMix);
            QCOMPARE(td.kpis.topFailureReasons, fd.kpis.topFailureReasons);
            QCOMPARE(td.kpis.costByProvider, fd.kpis.costByProvider);
            QCOMPARE(td.kpis.publishRate, fd.kpis.publishRate);
            QVERIFY(!td.costDetailsPending && td.costDetailsError.isEmpty());
            QVERIFY(!fd.kpis.costByBucket.empty() && fd.kpis.cacheSavingsNano > 0 && fd.kpis.reportedCostRuns > 0);
            QCOMPARE(
                QString::fromStdString(kpisToJson(td.kpis).dump()), QString::fromStdString(kpisToJson(fd.kpis).dump()));
            QCOMPARE(tv->facets, fv->facets);
        }
        QCOMPARE(twoStepViews, 2);
        const QString label = teamWindow->findChild<QLabel*>(QStringLiteral("statusFolder"))->text();
        QVERIFY2(label.startsWith(QStringLiteral("Team history: 127.0.0.1:%1/team").arg(m_cluster.port())),
            qPrintable(label));
        QVERIFY(teamWindow->windowTitle().contains(QStringLiteral("Team history")));

        // Alerts: the same rules over the server's aggregates give the folder's evaluation.
        std::optional<AlertEvaluation> evaluations[2];
        int i = 0;
        for (MainWindow* w : { folderWindow.get(), teamWindow.get() }) {
            const QString dir = m_tmp.filePath(QStringLiteral("alerts-%1").arg(i));
            AlertMonitor monitor(w->session(),
                { dir + QStringLiteral("/hook.json"), dir + QStringLiteral("/shown.json"),
                    dir + QStringLiteral("/history.json") });
            AlertConfig config;
            config.window = QStringLiteral("30d");
            config.thresholds.minRuns = 5;
            QVERIFY(monitor.setConfig(config));
            QSignalSpy evaluated(&monitor, &AlertMonitor::evaluated);
            monitor.evaluateNow();
            QVERIFY(QTest::qWaitFor([&] { return monitor.lastEvaluation().has_value(); }, kWaitMs));
            evaluations[i++] = monitor.lastEvaluation();
        }
        QVERIFY(evaluations[0]->runs > 100);
        QCOMPARE(evaluations[1]->runs, evaluations[0]->runs);
        QCOMPARE(evaluations[1]->checks.size(), evaluations[0]->checks.size());
        QVERIFY(!evaluations[0]->checks.empty());
        for (size_t c = 0; c < evaluations[0]->checks.size(); ++c) {
            QCOMPARE(evaluations[1]->checks[c].value, evaluations[0]->checks[c].value);
            QCOMPARE(evaluations[1]->checks[c].firing, evaluations[0]->checks[c].firing);
        }

        // Export: the same CSV as the folder's filtered set (and as `djp export --db`).
        const QString teamCsv = m_tmp.filePath(QStringLiteral("team.csv"));
        QSignalSpy exported(teamWindow.get(), &MainWindow::exportFinished);
        QVERIFY(teamWindow->exportCsv(teamCsv));
        QVERIFY(exported.wait(kWaitMs) || !exported.isEmpty());
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(2).toString()));
        const QString folderCsv = m_tmp.filePath(QStringLiteral("folder.csv"));
        QVERIFY(folderWindow->exportCsv(folderCsv));
        const QByteArray csv = readAll(teamCsv);
        QVERIFY(csv.count('\n') > 100);
        QCOMPARE(csv, readAll(folderCsv));

        // Back to a folder: the folder's view, no team label.
        teamWindow->openFolder(m_runs);
        QVERIFY(QTest::qWaitFor(
            [&] { return !teamWindow->session()->isLoading() && teamWindow->session()->isSettled(); }, kWaitMs));
        QVERIFY(!teamWindow->session()->isTeamHistory());
        QVERIFY(!teamWindow->session()->view()->paged);
        QCOMPARE(teamWindow->session()->totalLoaded(), int(m_folder.records.size()));
        QVERIFY(!teamWindow->findChild<QLabel*>(QStringLiteral("statusFolder"))
                     ->text()
                     .contains(QStringLiteral("Team history")));
    }

    // A cost-detail statement superseded while the server works on it is cancelled there (it never keeps
    // the server busy), ends as "superseded" rather than as an error, and the newer request's details
    // are the folder's. The statement is held on the server by a table lock this test takes, so it is
    // certainly running when it is superseded.
    void supersededCostQueryIsCancelledOnTheServer()
    {
        auto folderWindow = newWindow(QStringLiteral("folder-cancel.ini"));
        folderWindow->openFolder(m_runs);
        QVERIFY(QTest::qWaitFor(
            [&] { return !folderWindow->session()->isLoading() && folderWindow->session()->isSettled(); }, kWaitMs));
        QVERIFY(settleOn(*folderWindow, allTime()));
        const Kpis folderKpis = folderWindow->session()->view()->dashboard->kpis;
        QVERIFY(!folderKpis.costByBucket.empty() && folderKpis.cacheSavingsNano > 0);

        const PricingTable pricing = PricingTable::load();
        const RunFilter filter = allTime().toRunFilter();
        const qint64 nowMs = m_clock.nowMs();
        LatestRequest latest;
        QThreadPool pool; // one thread, kept: its connection is open before the table is locked
        pool.setMaxThreadCount(1);
        pool.setExpiryTimeout(-1);
        struct Outcome
        {
            std::optional<TeamCostDetails> details;
            DbError error;
        };
        const auto start = [&](const LatestRequest::Ticket& ticket) {
            return QtConcurrent::run(&pool, [this, filter, nowMs, ticket, &pricing] {
                Outcome o;
                o.details = computeTeamCostDetails(m_url, filter, nowMs, pricing, ticket, &o.error);
                return o;
            });
        };
        QFuture<Outcome> warmUp = start(latest.next());
        warmUp.waitForFinished();
        QVERIFY2(warmUp.result().details, qPrintable(warmUp.result().error.message));

        DbError e;
        std::optional<PgConnection> locker = PgConnection::open(m_url, &e);
        QVERIFY2(locker, qPrintable(e.message));
        QVERIFY2(locker->execScript(QStringLiteral("BEGIN; LOCK TABLE djp.runs IN ACCESS EXCLUSIVE MODE"), &e),
            qPrintable(e.message));
        // Another connection watches: a transaction sees the server's activity as of its first look. (The
        // server keeps only the statement's first 1 kB, hence the start of its text.)
        std::optional<PgConnection> observer = PgConnection::open(m_url, &e);
        QVERIFY2(observer, qPrintable(e.message));
        const auto waitingCostQueries = [&] {
            const std::optional<PgResult> r = observer->exec(
                QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = "
                               "'active' AND wait_event_type = 'Lock' AND query LIKE '%WITH rates AS %'"),
                {}, &e);
            return r ? r->toLongLong(0, 0) : qint64(-1);
        };
        const quint64 cancelledBefore = teamCostDetailsCancelled();
        QFuture<Outcome> stale = start(latest.next());
        QVERIFY(QTest::qWaitFor([&] { return waitingCostQueries() == 1; }, kWaitMs));
        QVERIFY(!stale.isFinished()); // it waits for the lock this test holds
        const LatestRequest::Ticket newer = latest.next();
        // Still under the lock: only a cancel on the server can end the statement.
        QVERIFY(QTest::qWaitFor([&] { return stale.isFinished(); }, kWaitMs));
        QVERIFY(!stale.result().details);
        QVERIFY2(stale.result().error.code.isEmpty(), qPrintable(stale.result().error.message));
        QCOMPARE(teamCostDetailsCancelled(), cancelledBefore + 1);
        QCOMPARE(waitingCostQueries(), qint64(0));
        QVERIFY2(locker->execScript(QStringLiteral("ROLLBACK"), &e), qPrintable(e.message));

        QFuture<Outcome> current = start(newer);
        current.waitForFinished();
        QVERIFY2(current.result().details, qPrintable(current.result().error.message));
        // The newer request's details, put on the folder's other figures, give the folder's cards.
        Kpis withTeamDetails = folderKpis;
        applyCostDetails(withTeamDetails, current.result().details->aggregates);
        QCOMPARE(QString::fromStdString(kpisToJson(withTeamDetails).dump()),
            QString::fromStdString(kpisToJson(folderKpis).dump()));
        QCOMPARE(teamCostDetailsCancelled(), cancelledBefore + 1);

        // Through the window: quick filter changes, then the last filter's cards are the folder's.
        auto teamWindow = newWindow(QStringLiteral("team-cancel.ini"));
        QVERIFY(openTeam(*teamWindow, m_url));
        FilterState published = allTime();
        published.status = QStringLiteral("published");
        for (const FilterState& f : { allTime(), FilterState {} })
            teamWindow->session()->setFilter(f);
        QVERIFY(settleOn(*teamWindow, published));
        QVERIFY(settleOn(*folderWindow, published));
        const auto tv = teamWindow->session()->view();
        QVERIFY(!tv->dashboard->costDetailsPending && tv->dashboard->costDetailsError.isEmpty());
        QCOMPARE(cardValues(*teamWindow), cardValues(*folderWindow));
    }

    void runsTablePagesAndInspectorFetches()
    {
        auto w = newWindow(QStringLiteral("paging.ini"));
        w->session()->setTeamPageSize(40);
        QVERIFY(openTeam(*w, m_url));
        QVERIFY(settleOn(*w, allTime()));
        RunTableModel* model = w->session()->runsModel();
        QCOMPARE(model->rowCount(), 40);
        QCOMPARE(model->availableRows(), qint64(m_folder.records.size()));
        // Newest first, as the folder's filtered set read backwards.
        const std::vector<int> idx = filterRuns(m_folder.records, allTime().toRunFilter(), m_clock.nowMs());
        const auto expectPath
            = [&](int row) { return m_folder.records[size_t(idx[idx.size() - 1 - size_t(row)])].artifactFile; };
        QCOMPARE(model->recordAt(0)->artifactFile, expectPath(0));

        // Scrolling to the end of the table asks for the next page.
        QTableView* table = w->runsPage()->view();
        w->showTab(MainWindow::Tab::Runs);
        QSignalSpy appended(w->session(), &RunSession::rowsAppended);
        QVERIFY(table->model()->canFetchMore({}));
        table->scrollToBottom();
        table->model()->fetchMore({}); // what the view does at the bottom; harmless if it already asked
        QVERIFY(appended.wait(kWaitMs) || !appended.isEmpty());
        QCOMPARE(model->rowCount(), 80);
        for (int row : { 39, 40, 79 })
            QCOMPARE(model->recordAt(row)->artifactFile, expectPath(row));
        QVERIFY(!table->isSortingEnabled()); // the server's order; partial rows are not re-sorted

        // A refresh (F5, or a push from elsewhere) keeps the rows fetched so far, and the selected run.
        QVERIFY(w->runsPage()->selectPath(model->recordAt(70)->artifactFile));
        const QString selected = model->recordAt(70)->artifactFile;
        QSignalSpy refreshed(w->session(), &RunSession::filteredChanged);
        w->reload();
        QVERIFY(refreshed.wait(kWaitMs) || !refreshed.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return w->session()->isSettled(); }, kWaitMs));
        QCOMPARE(model->rowCount(), 80);
        QCOMPARE(w->runsPage()->view()->currentIndex().data(RunTableModel::ArtifactPathRole).toString(), selected);

        // The Inspector reads the artifact from the database: move the folder away first.
        const QString path = model->recordAt(41)->artifactFile;
        QVERIFY(QDir().rename(m_runs, m_runs + QStringLiteral("-away")));
        QVERIFY(!QFileInfo::exists(path));
        QSignalSpy shown(w->inspectorPage(), &InspectorPage::artifactShown);
        QSignalSpy failed(w->inspectorPage(), &InspectorPage::artifactFailed);
        w->inspectRun(path);
        QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, kWaitMs));
        QVERIFY(QDir().rename(m_runs + QStringLiteral("-away"), m_runs));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        QCOMPARE(shown.first().at(0).toString(), path);
        QVERIFY(w->inspectorPage()->treeView()->model()->rowCount() > 3);
        QVERIFY(w->inspectorPage()->selectPointer(QStringLiteral("/run_metadata")));

        // A path the history does not hold: a clear problem, not a crash.
        QSignalSpy failed2(w->inspectorPage(), &InspectorPage::artifactFailed);
        w->inspectRun(m_tmp.filePath(QStringLiteral("nowhere.json")));
        QVERIFY(failed2.wait(kWaitMs) || !failed2.isEmpty());
        QCOMPARE(failed2.first().at(1).toString(), QStringLiteral("team_history"));
    }

    void liveUpdateShowsRunsPushedElsewhere()
    {
        auto w = newWindow(QStringLiteral("live.ini"));
        QVERIFY(openTeam(*w, m_url));
        QVERIFY(QTest::qWaitFor([&] { return w->session()->isTeamWatching(); }, kWaitMs));
        QVERIFY(settleOn(*w, allTime()));
        const int before = w->session()->totalLoaded();
        QCOMPARE(before, int(m_folder.records.size()));
        QVERIFY(w->findChild<QLabel*>(QStringLiteral("statusFolder"))->text().contains(QStringLiteral("(live)")));

        // Another analyst pushes 6 new runs over a connection of their own.
        SyntheticOptions o;
        o.count = 6;
        o.seed = 1234;
        o.endMs = m_clock.nowMs() - 60 * 1000;
        o.spanDays = 1;
        o.legacyShare = 0;
        o.noTimestampShare = 0;
        const QString other = m_tmp.filePath(QStringLiteral("other-analyst"));
        QVERIFY(writeSyntheticArtifacts(other, o).ok);
        QSignalSpy arrived(w->session(), &RunSession::teamRunsArrived);
        DbError e;
        std::optional<PgConnection> conn = PgConnection::open(m_url, &e);
        QVERIFY2(conn, qPrintable(e.message));
        PushSummary s;
        QVERIFY2(pushRunsFolder(*conn, other, {}, &s, &e), qPrintable(e.message));
        QCOMPARE(s.pushed, qint64(6));

        QVERIFY(arrived.wait(kWaitMs) || !arrived.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return w->session()->totalLoaded() == before + 6; }, kWaitMs));
        QVERIFY(QTest::qWaitFor([&] { return w->session()->isSettled(); }, kWaitMs));
        QCOMPARE(w->session()->matchedCount(), qint64(before + 6));
        QCOMPARE(w->findChild<QLabel*>(QStringLiteral("statusRuns"))->text(),
            QStringLiteral("%1 of %1 runs").arg(before + 6));
        // The newest run is one of the new ones, on top of the table.
        const QString top = w->session()->runsModel()->recordAt(0)->artifactFile;
        QVERIFY2(top.startsWith(other), qPrintable(top));
    }

    void wrongPasswordIsOneClearLine()
    {
        auto w = newWindow(QStringLiteral("wrong.ini"));
        const QString secret = QStringLiteral("Wr0ng-S3cret-XYZ");
        QSignalSpy failed(w->session(), &RunSession::teamHistoryFailed);
        QVERIFY(openTeam(*w, m_urlNoPassword, secret));
        QCOMPARE(failed.size(), 1);
        const QString message = failed.first().at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("wrong or missing password")), qPrintable(message));
        QVERIFY(!message.contains(u'\n'));
        QVERIFY(w->messageBar()->isVisible());
        QCOMPARE(w->messageBar()->level(), MessageBar::Level::Error);
        QVERIFY(visibleText(*w).contains(QStringLiteral("wrong or missing password")));
        QVERIFY(!visibleText(*w).contains(secret));
        QVERIFY(!w->session()->isLoading());
        QCOMPARE(w->session()->totalLoaded(), 0);

        // Nothing listening at that port: its own line, and no hang.
        QSignalSpy failed3(w->session(), &RunSession::teamHistoryFailed);
        w->openTeamHistory(QStringLiteral("postgresql://nobody@127.0.0.1:1/team"));
        // Connecting happens on a worker: the window shows progress at once, without waiting for it.
        QVERIFY(w->findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisibleTo(w.get()));
        QCOMPARE(w->findChild<QLabel*>(QStringLiteral("statusRuns"))->text(), QStringLiteral("Connecting…"));
        QVERIFY(failed3.wait(kWaitMs) || !failed3.isEmpty());
        QVERIFY2(failed3.first().at(0).toString().contains(QStringLiteral("cannot reach")),
            qPrintable(failed3.first().at(0).toString()));
        QVERIFY(QTest::qWaitFor([&] { return w->session()->isSettled(); }, kWaitMs));
        QVERIFY(!w->findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisibleTo(w.get()));

        // A database that does not exist: its own clear line.
        QSignalSpy failed2(w->session(), &RunSession::teamHistoryFailed);
        QVERIFY(openTeam(*w, m_cluster.url(QStringLiteral("nosuchdb"))));
        QCOMPARE(failed2.size(), 1);
        QVERIFY2(failed2.first().at(0).toString().contains(QStringLiteral("does not exist")),
            qPrintable(failed2.first().at(0).toString()));
        w.reset();
        m_store->sync();
        QVERIFY(!readAll(m_tmp.filePath(QStringLiteral("wrong.ini"))).contains(secret.toUtf8()));
    }

    // File › Open Team History… with a typed password and "Remember": the password reaches the secret
    // store only; a second window finds it there without being told.
    void dialogPasswordGoesToTheSecretStoreOnly()
    {
        const QString password = m_cluster.superuserPassword();
        QVERIFY(password.size() >= 8);
        auto w = newWindow(QStringLiteral("dialog.ini"));
        QSignalSpy finished(w->session(), &RunSession::loadFinished);
        bool filled = false;
        QTimer::singleShot(0, w.get(), [&] {
            auto* dialog = qobject_cast<TeamHistoryDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            dialog->urlEdit()->setText(m_urlNoPassword);
            dialog->passwordEdit()->setText(password);
            dialog->rememberBox()->setChecked(true);
            filled = true;
            dialog->openButton()->click();
        });
        w->openTeamHistoryDialog();
        QVERIFY(filled);
        QVERIFY(finished.wait(kWaitMs) || !finished.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return w->session()->isSettled(); }, kWaitMs));
        QVERIFY2(w->session()->teamError().isEmpty(), qPrintable(w->session()->teamError()));
        QCOMPARE(w->session()->totalLoaded() > 0, true);
        QVERIFY(!visibleText(*w).contains(password));
        QVERIFY(!w->windowTitle().contains(password));
        QCOMPARE(m_settings->lastTeamHistory(), m_urlNoPassword);
        w.reset();
        m_store->sync();
        QVERIFY(!readAll(m_tmp.filePath(QStringLiteral("dialog.ini"))).contains(password.toUtf8()));

        // The remembered password opens the history without being typed again.
        auto again = newWindow(QStringLiteral("again.ini"));
        QVERIFY(openTeam(*again, m_urlNoPassword));
        QVERIFY2(again->session()->teamError().isEmpty(), qPrintable(again->session()->teamError()));
        QVERIFY(again->session()->totalLoaded() > 0);
        const QString secretsFile = m_tmp.filePath(QStringLiteral("config")) + QStringLiteral("/secrets.json");
        QVERIFY(readAll(secretsFile).contains(password.toUtf8()));
        QCOMPARE(QFile::permissions(secretsFile) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

#ifdef DJP_STUDIO_PATH
    // djp-studio --db URL end to end: the window opens on the team history (a screenshot of the Runs
    // tab proves it got there); the password reaches neither the output nor the settings file.
    void studioOpensTeamHistoryFromTheCommandLine()
    {
        const QString ini = m_tmp.filePath(QStringLiteral("cli.ini"));
        const QString png = m_tmp.filePath(QStringLiteral("team-runs.png"));
        const auto run = [&](const QStringList& args, QByteArray* output) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            env.insert(QStringLiteral("DJP_CONFIG_DIR"), m_tmp.filePath(QStringLiteral("cli-config")));
            env.insert(QStringLiteral("DJP_CACHE_DIR"), m_tmp.filePath(QStringLiteral("cli-cache")));
            env.insert(QStringLiteral("DJP_SECRET_STORE"), QStringLiteral("file"));
            env.insert(QStringLiteral("DJP_NOW"), QString::number(m_clock.nowMs()));
            env.remove(QStringLiteral("DJP_DB_URL"));
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QStringLiteral(DJP_STUDIO_PATH), args);
            if (!p.waitForFinished(120000))
                return -1;
            *output = p.readAll();
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        };
        QByteArray out;
        const int code = run({ QStringLiteral("--db"), m_url, QStringLiteral("--runs-dir"),
                                 m_tmp.filePath(QStringLiteral("cli-runs")), QStringLiteral("--settings"), ini,
                                 QStringLiteral("--tab"), QStringLiteral("runs"), QStringLiteral("--screenshot"), png },
            &out);
        QVERIFY2(code == 0, out.constData());
        QVERIFY(QFileInfo(png).size() > 1000);
        QVERIFY(!out.contains(m_cluster.superuserPassword().toUtf8()));
        const QByteArray settings = readAll(ini);
        QVERIFY2(settings.contains(QStringLiteral("lastHistory=postgresql://%1@127.0.0.1:%2/team")
                                       .arg(m_cluster.superuser())
                                       .arg(m_cluster.port())
                                       .toUtf8()),
            settings.constData());
        QVERIFY(!settings.contains(m_cluster.superuserPassword().toUtf8()));

        // --db with nothing in it (and no $DJP_DB_URL): a usage error, not a window.
        QCOMPARE(run({ QStringLiteral("--db="), QStringLiteral("--settings"), ini }, &out), 2);
        QVERIFY2(out.contains("--db needs a database URL"), out.constData());
    }
#endif

    // The dashboard over a team history shows who spent it: a bar per analyst (the database role that
    // pushed the runs) with teamSpendByAnalyst()'s figures; an analyst's bar is the total cost of what
    // they pushed. A folder has no analysts: no such chart.
    void dashboardShowsSpendByAnalyst()
    {
        bool ok = false;
        m_cluster.psql(
            QStringLiteral("CREATE ROLE pia LOGIN PASSWORD 'pia-pw' IN ROLE djp_writer"), QStringLiteral("team"), &ok);
        QVERIFY(ok);
        SyntheticOptions o;
        o.count = 40;
        o.seed = 99;
        o.endMs = m_clock.nowMs() - 3 * 24 * 3600 * 1000;
        o.spanDays = 5;
        const QString piaRuns = m_tmp.filePath(QStringLiteral("pia-runs"));
        QVERIFY(writeSyntheticArtifacts(piaRuns, o).ok);
        DbError e;
        std::optional<PgConnection> pia = PgConnection::open(
            m_cluster.urlFor(QStringLiteral("pia"), QStringLiteral("pia-pw"), QStringLiteral("team")), &e);
        QVERIFY2(pia, qPrintable(e.message));
        PushSummary pushed;
        QVERIFY2(pushRunsFolder(*pia, piaRuns, {}, &pushed, &e), qPrintable(e.message));
        LoadOptions lo;
        lo.runsDir = piaRuns;
        lo.useIndex = false;
        const LoadResult piaFolder = loadRuns(lo);
        QCOMPARE(pushed.pushed, qint64(piaFolder.records.size()));
        QVERIFY(pushed.pushed > 30);

        auto w = newWindow(QStringLiteral("spend.ini"));
        QVERIFY(openTeam(*w, m_url));
        QVERIFY(settleOn(*w, allTime()));
        auto* chart = w->dashboardPage()->findChild<CategoryBarChart*>(QStringLiteral("chart_analyst_spend"));
        QVERIFY(chart);
        QVERIFY(chart->isVisibleTo(w->dashboardPage()));
        std::optional<PgConnection> admin = PgConnection::open(m_url, &e);
        QVERIFY2(admin, qPrintable(e.message));
        const auto view = w->session()->view();
        std::vector<AnalystSpend> spend;
        QVERIFY2(teamSpendByAnalyst(*admin, view->filter, view->nowMs, &spend, nullptr, &e), qPrintable(e.message));
        QCOMPARE(view->dashboard->analystSpend, spend);
        QVERIFY(spend.size() >= 2);
        const CategorySeries& bars = chart->series();
        QCOMPARE(bars.values.size(), qsizetype(spend.size()));
        for (size_t i = 0; i < spend.size(); ++i) {
            QCOMPARE(bars.fullLabels[qsizetype(i)], spend[i].analyst);
            QCOMPARE(bars.values[qsizetype(i)], spend[i].cost);
        }
        const auto piaSpend = std::find_if(
            spend.begin(), spend.end(), [](const AnalystSpend& a) { return a.analyst == QLatin1String("pia"); });
        QVERIFY(piaSpend != spend.end());
        QCOMPARE(piaSpend->runs, qint64(piaFolder.records.size()));
        QCOMPARE(piaSpend->cost, computeKpis(piaFolder.records).totalCost);
        QVERIFY(bars.toolTip(int(piaSpend - spend.begin())).contains(QStringLiteral("%1 runs").arg(piaSpend->runs)));

        w->openFolder(m_runs);
        QVERIFY(QTest::qWaitFor([&] { return !w->session()->isLoading() && w->session()->isSettled(); }, kWaitMs));
        QVERIFY(!chart->isVisibleTo(w->dashboardPage()));
    }

    // Launch with a team history open: the artifact is written locally, then pushed. A push the server
    // refuses leaves the run saved locally and says so; the next run's push catches up. Last, because
    // it stops the server.
    void launchedRunsLandInBoth()
    {
        bool ok = false;
        m_cluster.psql(QStringLiteral("CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw' IN ROLE djp_reader"),
            QStringLiteral("team"), &ok);
        QVERIFY(ok);
        const QString localRuns = m_tmp.filePath(QStringLiteral("launched"));
        QVERIFY(QDir().mkpath(localRuns));
        auto w = newWindow(QStringLiteral("launch.ini"));
        EngineOptions engine;
        engine.hub.loadDotEnv = false;
        engine.hub.simulator.latencyMs = 1;
        auto* controller = new LaunchController(engine);
        auto* page = new LaunchPage(w->session(), controller);
        controller->setParent(page);
        page->setMessageBar(w->messageBar());
        w->setLaunchPage(page);
        w->openFolder(localRuns);
        QVERIFY(QTest::qWaitFor([&] { return !w->session()->isLoading() && w->session()->isSettled(); }, kWaitMs));
        QVERIFY(openTeam(
            *w, m_cluster.urlFor(QStringLiteral("analyst"), QStringLiteral("analyst-pw"), QStringLiteral("team"))));
        QVERIFY2(w->session()->teamError().isEmpty(), qPrintable(w->session()->teamError()));
        QCOMPARE(w->session()->runsDir(), QDir::cleanPath(localRuns)); // launched runs still go here
        const int before = w->session()->totalLoaded();

        const auto launch = [&](const QString& task) -> QList<QVariant> {
            QSignalSpy pushed(controller, &LaunchController::teamPushFinished);
            w->showTab(MainWindow::Tab::Launch);
            page->findChild<QPlainTextEdit*>(QStringLiteral("taskEdit"))->setPlainText(task);
            page->findChild<QCheckBox*>(QStringLiteral("offlineCheck"))->setChecked(true);
            if (!QTest::qWaitFor([&] { return page->canLaunch(); }, kWaitMs))
                return {};
            page->launch();
            if (!pushed.wait(kWaitMs) && pushed.isEmpty())
                return {};
            return pushed.first();
        };
        const QString statusOf = QStringLiteral("statusTeamPush");

        // A reader may not write: the run succeeds locally, the status bar says the history was not updated.
        const QList<QVariant> first = launch(QStringLiteral("First run of the analyst"));
        QVERIFY(!first.isEmpty());
        QCOMPARE(first.at(1).toBool(), false);
        QVERIFY2(first.at(3).toString().contains(QStringLiteral("rights")), qPrintable(first.at(3).toString()));
        QVERIFY(w->findChild<QLabel*>(statusOf)->text().contains(QStringLiteral("saved locally")));
        QCOMPARE(QDir(localRuns).entryList({ QStringLiteral("*.json") }, QDir::Files).size()
                    + QDir(localRuns).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size()
                > 0,
            true);
        QCOMPARE(controller->pendingTeamPushes(), 1);

        // Given the right to write, the next run's push takes the earlier one along.
        m_cluster.psql(QStringLiteral("GRANT djp_writer TO analyst"), QStringLiteral("team"), &ok);
        QVERIFY(ok);
        const QList<QVariant> second = launch(QStringLiteral("Second run of the analyst"));
        QVERIFY(!second.isEmpty());
        QVERIFY2(second.at(1).toBool(), qPrintable(second.at(3).toString()));
        QCOMPARE(second.at(2).toInt(), 2);
        QCOMPARE(controller->pendingTeamPushes(), 0);
        QVERIFY(w->findChild<QLabel*>(statusOf)->text().contains(QStringLiteral("pushed to the team history")));
        const QString inDb
            = m_cluster.psql(QStringLiteral("SELECT count(*) FROM djp.runs WHERE task LIKE '%run of the analyst'"),
                QStringLiteral("team"), &ok);
        QCOMPARE(inDb.trimmed(), QStringLiteral("2"));
        // ...and the window, listening, shows them.
        QVERIFY(QTest::qWaitFor([&] { return w->session()->totalLoaded() == before + 2; }, kWaitMs));

        // The server goes away: the run still succeeds locally and the status bar says so.
        QVERIFY(m_cluster.stop());
        const QList<QVariant> third = launch(QStringLiteral("Third run, server down"));
        QVERIFY(!third.isEmpty());
        QCOMPARE(third.at(1).toBool(), false);
        QVERIFY(w->findChild<QLabel*>(statusOf)->text().contains(QStringLiteral("saved locally")));
        QCOMPARE(controller->pendingTeamPushes(), 1);
        LoadOptions lo;
        lo.runsDir = localRuns;
        lo.useIndex = false;
        QCOMPARE(int(loadRuns(lo).records.size()), 3);
    }
};

QTEST_MAIN(TestStudioTeam)
#include "tst_studio_team.moc"
