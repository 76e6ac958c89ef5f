// Compare runs: the engine's comparison of two artifacts (rows, differences), the GUI model (model
// tester, highlight, only-differences filter), the Compare window from a 2-row selection in the real
// main window, and `djp compare` through QProcess (text, JSON, usage errors).
#include "artifact/runcomparison.h"
#include "core/jsonutil.h"
#include "models/comparisonmodel.h"
#include "session/runsession.h"
#include "session/settings.h"
#include "testpaths.h"
#include "widgets/comparedialog.h"
#include "widgets/filtersidebar.h"
#include "widgets/mainwindow.h"
#include "widgets/runspage.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QProcess>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace djp;

namespace {

const ComparisonRow* findRow(const RunComparison& c, const QString& field)
{
    for (const ComparisonRow& r : c.rows)
        if (r.field == field)
            return &r;
    return nullptr;
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_runs;
    QString m_a;
    QString m_b;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        qputenv("DJP_CACHE_DIR", m_tmp.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("DJP_CONFIG_DIR", m_tmp.filePath(QStringLiteral("config")).toUtf8());
        m_runs = m_tmp.filePath(QStringLiteral("runs"));
        QVERIFY(QDir().mkpath(m_runs));
        const QString example = test::dataDir() + QStringLiteral("/artifacts/v2-example.json");
        QFile f(example);
        QVERIFY(f.open(QIODevice::ReadOnly));
        Json doc = Json::parse(f.readAll().toStdString());
        // Same run, but: the task, a parameter, the second draft's score and reasons, one model's cost.
        m_a = m_runs + QStringLiteral("/2026.03.05-100000-aaaaaaaa.json");
        m_b = m_runs + QStringLiteral("/2026.03.05-110000-bbbbbbbb.json");
        QFile a(m_a);
        QVERIFY(a.open(QIODevice::WriteOnly));
        a.write(QByteArray::fromStdString(doc.dump(2)));
        a.close();
        doc["run_id"] = "bbbbbbbb-2222-4222-8222-222222222222"; // another run (a copy would count once)
        doc["run_metadata"]["task"] = "Recommend a rollout strategy for the billing service";
        doc["run_metadata"]["parameters"]["max_tokens"] = 1200;
        doc["judge"]["ranked_drafts"][1]["score"] = 6.5;
        doc["judge"]["ranked_drafts"][1]["reasons"] = "Better supported this time";
        doc["provenance"]["estimated_costs"]["openai/gpt-4o"] = 0.031;
        QFile b(m_b);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write(QByteArray::fromStdString(doc.dump(2)));
    }

    void engineComparesTwoArtifacts()
    {
        const RunComparison c = compareArtifacts({ m_a, m_b });
        QVERIFY2(c.ok(), qPrintable(c.errors.join(u'\n')));
        QCOMPARE(c.runNames,
            QStringList(
                { QStringLiteral("2026.03.05-100000-aaaaaaaa"), QStringLiteral("2026.03.05-110000-bbbbbbbb") }));
        const ComparisonRow* task = findRow(c, QStringLiteral("task"));
        QVERIFY(task && task->differs);
        QCOMPARE(task->values.at(1), QStringLiteral("Recommend a rollout strategy for the billing service"));
        const ComparisonRow* maxTokens = findRow(c, QStringLiteral("max_tokens"));
        QVERIFY(maxTokens && maxTokens->differs && maxTokens->values.at(1) == QStringLiteral("1200"));
        const ComparisonRow* policy = findRow(c, QStringLiteral("policy"));
        QVERIFY(policy && !policy->differs);
        const ComparisonRow* score = findRow(c, QStringLiteral("openai/gpt-4o rank · score"));
        QVERIFY(score && score->differs);
        QCOMPARE(score->values, QStringList({ QStringLiteral("#2 · 4"), QStringLiteral("#2 · 6.5") }));
        const ComparisonRow* winner = findRow(c, QStringLiteral("openai/gpt-4o-mini rank · score"));
        QVERIFY(winner && !winner->differs);
        const ComparisonRow* reasons = findRow(c, QStringLiteral("openai/gpt-4o judge reasons"));
        QVERIFY(reasons && reasons->values.at(1) == QStringLiteral("Better supported this time"));
        const ComparisonRow* cost = findRow(c, QStringLiteral("openai/gpt-4o cost"));
        QVERIFY(cost && cost->differs);
        QCOMPARE(cost->values, QStringList({ QStringLiteral("$0.022000"), QStringLiteral("$0.031000") }));
        const ComparisonRow* total = findRow(c, QStringLiteral("cost"));
        QVERIFY(total && total->values.at(0) == QStringLiteral("$0.022450"));
        const ComparisonRow* tokens = findRow(c, QStringLiteral("openai/gpt-4o tokens"));
        QVERIFY(tokens && !tokens->differs && tokens->values.at(0) == QStringLiteral("2600 in / 600 out"));

        // Wrong counts and unreadable files are errors, not crashes.
        QVERIFY(!compareArtifacts({ m_a }).ok());
        QVERIFY(!compareArtifacts({ m_a, m_b, m_a, m_b, m_a }).ok());
        const RunComparison missing = compareArtifacts({ m_a, m_runs + QStringLiteral("/nope.json") });
        QVERIFY(!missing.ok());
        QVERIFY(missing.errors.join(u' ').contains(QStringLiteral("nope.json")));
    }

    void modelShowsAndFiltersDifferences()
    {
        ComparisonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ComparisonFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        const RunComparison c = compareArtifacts({ m_a, m_b });
        model.setComparison(c);
        QCOMPARE(model.columnCount(), ComparisonModel::FirstRun + 2);
        QCOMPARE(model.rowCount(), static_cast<int>(c.rows.size()));
        int taskRow = -1;
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.index(r, ComparisonModel::Field).data().toString() == QStringLiteral("task"))
                taskRow = r;
        QVERIFY(taskRow >= 0);
        QVERIFY(model.index(taskRow, 0).data(ComparisonModel::DiffersRole).toBool());
        QVERIFY(model.index(taskRow, ComparisonModel::FirstRun).data(Qt::BackgroundRole).isValid());
        QVERIFY(model.index(taskRow, ComparisonModel::FirstRun)
                    .data(Qt::AccessibleTextRole)
                    .toString()
                    .startsWith(QStringLiteral("differs")));
        QCOMPARE(model.headerData(ComparisonModel::FirstRun + 1, Qt::Horizontal).toString(), c.runNames.at(1));
        QVERIFY(model.differingRows() >= 5);
        QVERIFY(model.differingRows() < model.rowCount());
        proxy.setOnlyDifferences(true);
        QCOMPARE(proxy.rowCount(), model.differingRows());
        proxy.setOnlyDifferences(false);
        QCOMPARE(proxy.rowCount(), model.rowCount());
    }

    void compareWindowFromTheRunsTable()
    {
        QSettings store(m_tmp.filePath(QStringLiteral("compare.ini")), QSettings::IniFormat);
        Settings settings(&store);
        MainWindow window(&settings);
        window.resize(1200, 800);
        window.show();
        FilterState all;
        all.range = TimeRange::All;
        window.session()->setFilter(all);
        window.openFolder(m_runs);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isLoading() && window.session()->isSettled(), 15000);
        // The sidebar may restore the default range; show everything.
        window.filterSidebar()->setState(all);
        window.session()->setFilter(all);
        QTRY_COMPARE(window.runsPage()->view()->model()->rowCount(), 2);

        auto* action = window.findChild<QAction*>(QStringLiteral("compareAction"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        QCOMPARE(window.runsPage()->selectPaths({ m_a }), 1);
        QVERIFY(!window.runsPage()->canCompare());
        QCOMPARE(window.runsPage()->selectPaths({ m_a, m_b }), 2);
        QVERIFY(window.runsPage()->canCompare());
        QVERIFY(action->isEnabled());
        std::unique_ptr<QMenu> menu(window.runsPage()->createRowMenu(nullptr));
        auto* rowCompare = menu->findChild<QAction*>(QStringLiteral("compareRunsAction"));
        QVERIFY(rowCompare && rowCompare->isEnabled());

        action->trigger();
        CompareDialog* dialog = window.lastCompareDialog();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady(), 10000);
        QVERIFY(dialog->isVisible());
        QTableView* view = dialog->view();
        // "N rows, M differ (highlighted)." as plurals (docs/architecture.md, "Plurals"); the forms at
        // 0, 1 and 2 are checked in tst_plurals.
        const auto rows = compareArtifacts({ m_a, m_b }).rows;
        const int differing
            = static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.differs; }));
        QVERIFY(differing >= 2);
        QCOMPARE(dialog->statusText(),
            QStringLiteral("%1 rows, %2 differ (highlighted).").arg(view->model()->rowCount()).arg(differing));
        QVERIFY(!view->accessibleName().isEmpty());
        QCOMPARE(view->model()->columnCount(), ComparisonModel::FirstRun + 2);
        const int all_rows = view->model()->rowCount();
        dialog->setOnlyDifferences(true);
        QVERIFY(view->model()->rowCount() < all_rows);
        for (int r = 0; r < view->model()->rowCount(); ++r)
            QVERIFY(view->model()->index(r, 0).data(ComparisonModel::DiffersRole).toBool());
        dialog->close();
    }

    void cliComparesText()
    {
        QProcess p;
        p.start(qEnvironmentVariable("DJP_CLI"), { QStringLiteral("compare"), m_a, m_b });
        QVERIFY(p.waitForFinished(30000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains(QStringLiteral("* task")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("billing service")));
        QVERIFY(out.contains(QStringLiteral("PARAMETERS")));
        QVERIFY(out.contains(QStringLiteral("$0.031000")));
        QVERIFY(out.contains(QStringLiteral("  policy"))); // same in both: not marked
    }

    void cliComparesJson()
    {
        QProcess p;
        p.start(qEnvironmentVariable("DJP_CLI"), { QStringLiteral("compare"), QStringLiteral("--json"), m_a, m_b });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const Json j = Json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j["runs"].size(), size_t(2));
        bool sawTask = false;
        for (const Json& r : j["rows"])
            if (r["field"] == "task") {
                sawTask = true;
                QVERIFY(r["differs"].get<bool>());
            }
        QVERIFY(sawTask);
        // The GUI and the CLI show the same rows.
        QCOMPARE(j["rows"].size(), compareArtifacts({ m_a, m_b }).rows.size());
    }

    void cliRefusesBadInput()
    {
        QProcess one;
        one.start(qEnvironmentVariable("DJP_CLI"), { QStringLiteral("compare"), m_a });
        QVERIFY(one.waitForFinished(30000));
        QCOMPARE(one.exitCode(), 2);
        QVERIFY(QString::fromUtf8(one.readAllStandardError()).contains(QStringLiteral("2 to 4")));
        QProcess missing;
        missing.start(
            qEnvironmentVariable("DJP_CLI"), { QStringLiteral("compare"), m_a, m_runs + QStringLiteral("/nope.json") });
        QVERIFY(missing.waitForFinished(30000));
        QCOMPARE(missing.exitCode(), 1);
        QVERIFY(QString::fromUtf8(missing.readAllStandardError()).contains(QStringLiteral("nope.json")));
    }
};

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
