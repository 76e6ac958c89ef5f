// InspectorPage: loads an artifact off the GUI thread, tree/raw/stats/calls views, search, copy,
// untrusted text shown literally, problems shown in the page, latest request wins.
#include "core/jsonutil.h"
#include "widgets/inspectorpage.h"

#include <QAbstractItemModel>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>

using namespace djp;

namespace {

const QString kMaliciousTask = QStringLiteral("<b>bold</b><img src=x>");

Json fixtureArtifact(const QString& task)
{
    Json j = Json::parse(R"({
      "schema_version": "2.0",
      "run_id": "3f2a9c1e-0000-4000-8000-000000000001",
      "run_metadata": {"timestamp": "2026-03-05T14:00:00+01:00", "trace_name": "t1",
                       "parameters": {"max_tokens": 800, "temperature": 0.2, "preset_name": "quick",
                                      "allowed_models": ["gpt-4o-mini"]}},
      "debate": {"total_drafts": 2, "drafts": [
        {"provider": "openai", "answer": "A", "evidence": [], "confidence": 0.8, "safety_flags": []},
        {"provider": "anthropic", "answer": "B", "evidence": [], "confidence": 0.7, "safety_flags": []}]},
      "judge": {"winner_provider": "openai", "total_ranked": 2, "ranked_drafts": [
        {"provider": "openai", "score": 8.5, "reasons": "clear"},
        {"provider": "anthropic", "score": 7.0, "reasons": "the haystack_needle is here"}]},
      "publish": {"status": "advisory_only", "provider": "anthropic", "text": "B", "text_length": 1,
                  "reason": "not_from_allowed_provider", "redacted": false, "redaction_events": []},
      "grounding": {"enabled": false, "corpus_loaded": false, "corpus_docs": 0, "required_citations": 0,
                    "citations": [], "grounded_fail_reason": null},
      "provenance": {"estimated_costs": {"gpt-4o-mini": 0.0021}, "duration_seconds": 3.5,
                     "model_usage": {"gpt-4o-mini": {"calls": 2, "tokens_in": 1000, "tokens_out": 300}}},
      "calls": [
        {"stage": "debate", "label": "gpt-4o-mini", "api": "openai_chat", "simulated": false, "attempt": 1,
         "status": "ok", "http_status": 200, "error": "", "input_tokens": 600, "output_tokens": 200,
         "latency_ms": 900, "cost_usd": 0.0012, "pricing_id": "p"},
        {"stage": "debate", "label": "claude", "api": "anthropic_messages", "simulated": false, "attempt": 1,
         "status": "error", "http_status": 503, "error": "unavailable", "input_tokens": 0, "output_tokens": 0,
         "latency_ms": 100, "cost_usd": null, "pricing_id": ""},
        {"stage": "judge", "label": "gpt-4o-mini", "api": "openai_chat", "simulated": false, "attempt": 1,
         "status": "ok", "http_status": 200, "error": "", "input_tokens": 400, "output_tokens": 100,
         "latency_ms": 700, "cost_usd": 0.0009, "pricing_id": "p"}]
    })");
    j["run_metadata"]["task"] = task.toStdString();
    return j;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write fixture %s", qPrintable(path));
    return path;
}

QString writeArtifact(const QTemporaryDir& dir, const QString& name, const QString& task)
{
    return writeFile(dir, name, QByteArray::fromStdString(fixtureArtifact(task).dump(2)));
}

bool waitShown(InspectorPage& page, const QString& path)
{
    QSignalSpy spy(&page, &InspectorPage::artifactShown);
    page.showArtifact(path);
    return spy.wait(10000) && spy.constLast().at(0).toString() == path;
}

} // namespace

class TestInspectorPage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_artifact;

    // Every load the page started has finished and its result has been delivered (or dropped): loads
    // run on the global pool and report through queued events.
    static void settleBackgroundLoads()
    {
        QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
        for (int i = 0; i < 3; ++i)
            QCoreApplication::processEvents();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_artifact = writeArtifact(m_dir, QStringLiteral("2026.03.05-140000-3f2a9c1e.json"), kMaliciousTask);
    }

    void showsTreeRawStatsAndCalls()
    {
        InspectorPage page;
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(waitShown(page, m_artifact));
        QCOMPARE(page.currentPath(), m_artifact);
        QVERIFY(!page.isLoading());

        QAbstractItemModel* model = page.treeView()->model();
        QSet<QString> keys;
        for (int r = 0; r < model->rowCount(); ++r)
            keys.insert(model->index(r, 0).data().toString());
        const QSet<QString> expected { "schema_version", "run_id", "run_metadata", "debate", "judge", "publish",
            "grounding", "provenance", "calls" };
        QCOMPARE(keys, expected);

        const QString raw = page.rawView()->toPlainText();
        QVERIFY(raw.startsWith(u'{'));
        QVERIFY(Json::parse(raw.toStdString()) == fixtureArtifact(kMaliciousTask));

        auto stat
            = [&](const char* name) { return page.findChild<QLabel*>(QStringLiteral("stat_") + QLatin1String(name)); };
        QCOMPARE(stat("status")->text(), QStringLiteral("Advisory only (advisory_only)"));
        QVERIFY(stat("provider")->text().startsWith(QStringLiteral("anthropic")));
        QCOMPARE(stat("preset")->text(), QStringLiteral("quick"));
        QCOMPARE(
            stat("reason")->text(), QStringLiteral("Winner not from an allowed provider")); // legacy code as a sentence
        QCOMPARE(stat("file")->text(), m_artifact);
        QCOMPARE(stat("duration")->text(), QStringLiteral("3.5 s"));
        QVERIFY2(stat("cost")->text().contains(QStringLiteral("unpriced"))
                || stat("cost")->text() == QStringLiteral("$0.0021"),
            qPrintable(stat("cost")->text()));

        auto* calls = page.findChild<QTableView*>(QStringLiteral("callsTable"));
        QCOMPARE(calls->model()->rowCount(), 3);
        QCOMPARE(calls->model()->index(1, 4).data().toString(), QStringLiteral("503"));
    }

    void untrustedTextIsShownLiterally()
    {
        InspectorPage page;
        page.show();
        QVERIFY(waitShown(page, m_artifact));
        auto* task = page.findChild<QLabel*>(QStringLiteral("stat_task"));
        QVERIFY(task);
        QCOMPARE(task->textFormat(), Qt::PlainText);
        QCOMPARE(task->text(), kMaliciousTask);
        // Every label of the page that can show artifact data is plain text.
        const auto labels = page.findChildren<QLabel*>();
        for (QLabel* l : labels) {
            if (l->objectName().startsWith(QLatin1String("stat_")) || l->objectName() == QLatin1String("pathLabel")
                || l->objectName() == QLatin1String("problemLabel"))
                QVERIFY2(l->textFormat() == Qt::PlainText, qPrintable(l->objectName()));
        }
        // The tree's tooltips escape markup too.
        QVERIFY(page.selectPointer(QStringLiteral("/run_metadata/task")));
        const QString tip = page.treeView()->currentIndex().siblingAtColumn(2).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;&lt;img src=x&gt;")), qPrintable(tip));
    }

    void searchSelectsNestedMatchAndCopiesPointer()
    {
        InspectorPage page;
        page.resize(1200, 800);
        page.show();
        QVERIFY(waitShown(page, m_artifact));
        page.setSearchText(QStringLiteral("HAYSTACK_needle"));
        QVERIFY(page.findNext());
        QCOMPARE(page.selectedPointer(), QStringLiteral("/judge/ranked_drafts/1/reasons"));
        const QModelIndex current = page.treeView()->currentIndex();
        QVERIFY(page.treeView()->isExpanded(current.parent()));
        QVERIFY(page.treeView()->isExpanded(current.parent().parent()));
        QVERIFY(!page.rawView()->extraSelections().isEmpty()); // highlighted in the raw view
        // The raw view follows the selected node.
        QVERIFY(page.rawView()->textCursor().block().text().contains(QStringLiteral("haystack_needle")));

        page.copyPointer();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("/judge/ranked_drafts/1/reasons"));
        page.copyValue();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("the haystack_needle is here"));

        // Keys match too; F3 moves on and wraps, Shift+F3 goes back.
        page.setSearchText(QStringLiteral("winner_provider"));
        QVERIFY(page.findNext());
        QCOMPARE(page.selectedPointer(), QStringLiteral("/judge/winner_provider"));
        page.setSearchText(QStringLiteral("score"));
        QVERIFY(page.findNext());
        const QString first = page.selectedPointer();
        page.treeView()->setFocus();
        QTest::keyClick(page.treeView(), Qt::Key_F3);
        const QString second = page.selectedPointer();
        QVERIFY(first != second);
        QVERIFY(second.endsWith(QStringLiteral("/score")));
        QTest::keyClick(page.treeView(), Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(page.selectedPointer(), first);

        // Find as you type: the first match is selected after a pause, and typing more keeps it.
        auto* edit = page.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        QVERIFY(page.selectPointer(QStringLiteral("/calls")));
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("haystack"));
        QTRY_COMPARE(page.selectedPointer(), QStringLiteral("/judge/ranked_drafts/1/reasons"));
        auto* debounce = page.findChild<QTimer*>(QStringLiteral("searchDebounce"));
        QVERIFY(debounce);
        QTest::keyClicks(edit, QStringLiteral("_need"));
        QVERIFY(debounce->isActive());
        QTRY_VERIFY(!debounce->isActive()); // the search for the longer text has run
        QCOMPARE(page.selectedPointer(), QStringLiteral("/judge/ranked_drafts/1/reasons"));
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("matchLabel"))->text(), QStringLiteral("1 match"));

        page.setSearchText(QStringLiteral("no such text anywhere"));
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("matchLabel"))->text(), QStringLiteral("0 matches"));
        QVERIFY(!page.findNext());

        // Ctrl+C on the tree copies the selected value.
        QVERIFY(page.selectPointer(QStringLiteral("/judge/ranked_drafts/0/score")));
        QGuiApplication::clipboard()->clear();
        QTest::keyClick(page.treeView(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("8.5"));
    }

    void corruptFileShowsItsProblem()
    {
        InspectorPage page;
        page.show();
        const QString bad
            = writeFile(m_dir, QStringLiteral("broken.json"), QByteArray("{\"schema_version\": \"2.0\", "));
        QSignalSpy failed(&page, &InspectorPage::artifactFailed);
        QSignalSpy shown(&page, &InspectorPage::artifactShown);
        page.showArtifact(bad);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.constLast().at(0).toString(), bad);
        QCOMPARE(failed.constLast().at(1).toString(), QStringLiteral("not_json"));
        QCOMPARE(shown.count(), 0);
        auto* problem = page.findChild<QLabel*>(QStringLiteral("problemLabel"));
        QVERIFY(problem->isVisible());
        QVERIFY(problem->text().contains(QStringLiteral("not_json")));
        QVERIFY(problem->text().contains(bad));
        QCOMPARE(page.treeView()->model()->rowCount(), 0);

        // Not a run artifact (no run_metadata), and a missing file.
        const QString notRun
            = writeFile(m_dir, QStringLiteral("other.json"), QByteArray("{\"schema_version\": \"2.0\"}"));
        page.showArtifact(notRun);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.constLast().at(1).toString(), QStringLiteral("no_run_metadata"));
        page.showArtifact(m_dir.filePath(QStringLiteral("missing.json")));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.constLast().at(1).toString(), QStringLiteral("io_error"));

        // A good file afterwards hides the problem again.
        QVERIFY(waitShown(page, m_artifact));
        QVERIFY(!problem->isVisible());
    }

    void latestRequestWins()
    {
        InspectorPage page;
        const QString other = writeArtifact(m_dir, QStringLiteral("second.json"), QStringLiteral("second task"));
        QSignalSpy shown(&page, &InspectorPage::artifactShown);
        page.showArtifact(m_artifact);
        page.showArtifact(other);
        QCOMPARE(page.currentPath(), other);
        QVERIFY(shown.wait(10000));
        settleBackgroundLoads(); // the first load's result must not arrive late
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.constFirst().at(0).toString(), other);
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("stat_task"))->text(), QStringLiteral("second task"));

        page.showArtifact(m_artifact);
        page.clear();
        settleBackgroundLoads();
        QCOMPARE(shown.count(), 1);
        QCOMPARE(page.currentPath(), QString());
        QCOMPARE(page.treeView()->model()->rowCount(), 0);
    }
};

QTEST_MAIN(TestInspectorPage)
#include "tst_inspectorpage.moc"
