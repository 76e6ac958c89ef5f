// JsonTreeModel and its node table: model contract, JSON pointers (RFC 6901), pretty text, search.
#include "models/jsontreemodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTest>

using namespace djp;

namespace {

Json sampleArtifact()
{
    return Json::parse(R"({
      "schema_version": "2.0",
      "run_metadata": {"task": "Line one\nline two", "timestamp": "2026-03-05T14:00:00+01:00"},
      "judge": {"winner_provider": "openai", "ranked_drafts": [
         {"provider": "openai", "score": 8.5, "reasons": "clear"},
         {"provider": "anthropic", "score": 7.25, "reasons": "Needle in a haystack"}]},
      "weird": {"a/b": 1, "m~n": {"x~/y": true}, "": null},
      "empty_obj": {}, "empty_arr": []
    })");
}

QModelIndex childByKey(const QAbstractItemModel& m, const QModelIndex& parent, const QString& key)
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, JsonTreeModel::KeyColumn, parent);
        if (i.data().toString() == key)
            return i;
    }
    return {};
}

} // namespace

class TestJsonTreeModel : public QObject
{
    Q_OBJECT
private slots:
    void modelContractBeforeAndAfterData()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setTable(JsonNodeTable::build(std::make_shared<const Json>(sampleArtifact())));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.columnCount(), 3);
        // Walk everything so the tester checks parent()/index() consistency at every level.
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& p) {
            for (int r = 0; r < model.rowCount(p); ++r)
                walk(model.index(r, 0, p));
        };
        walk({});
        model.setTable(JsonNodeTable::build(std::make_shared<const Json>(Json::parse("[1,2,3]"))));
        QCOMPARE(model.rowCount(), 3);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void columnsShowKeyTypeAndValue()
    {
        JsonTreeModel model;
        model.setTable(JsonNodeTable::build(std::make_shared<const Json>(sampleArtifact())));
        const QModelIndex judge = childByKey(model, {}, QStringLiteral("judge"));
        QVERIFY(judge.isValid());
        QCOMPARE(judge.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("object"));
        QCOMPARE(judge.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("{2 keys}"));
        const QModelIndex drafts = childByKey(model, judge, QStringLiteral("ranked_drafts"));
        QCOMPARE(drafts.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("[2 items]"));
        const QModelIndex second = model.index(1, 0, drafts);
        QCOMPARE(second.data().toString(), QStringLiteral("[1]"));
        const QModelIndex score = childByKey(model, second, QStringLiteral("score"));
        QCOMPARE(score.siblingAtColumn(JsonTreeModel::TypeColumn).data().toString(), QStringLiteral("number"));
        QCOMPARE(score.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("7.25"));
        // Multi-line strings stay on one row; the full value is what gets copied.
        const QModelIndex task
            = childByKey(model, childByKey(model, {}, QStringLiteral("run_metadata")), QStringLiteral("task"));
        QCOMPARE(
            task.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString(), QStringLiteral("Line one⏎line two"));
        QCOMPARE(task.data(JsonTreeModel::ValueTextRole).toString(), QStringLiteral("Line one\nline two"));
        // Containers copy as pretty JSON.
        QCOMPARE(second.data(JsonTreeModel::ValueTextRole).toString(),
            QString::fromStdString(sampleArtifact()["judge"]["ranked_drafts"][1].dump(2)));
    }

    void pointerOfNestedNode()
    {
        JsonTreeModel model;
        model.setTable(JsonNodeTable::build(std::make_shared<const Json>(sampleArtifact())));
        const QModelIndex judge = childByKey(model, {}, QStringLiteral("judge"));
        const QModelIndex drafts = childByKey(model, judge, QStringLiteral("ranked_drafts"));
        const QModelIndex score = childByKey(model, model.index(1, 0, drafts), QStringLiteral("score"));
        QCOMPARE(score.data(JsonTreeModel::JsonPointerRole).toString(), QStringLiteral("/judge/ranked_drafts/1/score"));
        const auto& table = model.table();
        const int id = table->nodeForPointer(QStringLiteral("/judge/ranked_drafts/1/score"));
        QCOMPARE(id, model.nodeId(score));
        QCOMPARE(model.indexForNode(id), score);
        QCOMPARE(table->nodeForPointer(QStringLiteral("/judge/ranked_drafts/2")), -1);
        QCOMPARE(table->nodeForPointer(QStringLiteral("/judge/ranked_drafts/01")), -1);
        QCOMPARE(table->nodeForPointer(QStringLiteral("judge")), -1);
        QCOMPARE(table->nodeForPointer(QString()), 0);
    }

    void pointerEscapesTildeAndSlash()
    {
        QCOMPARE(JsonNodeTable::escapePointerToken(QStringLiteral("a/b")), QStringLiteral("a~1b"));
        QCOMPARE(JsonNodeTable::escapePointerToken(QStringLiteral("m~n")), QStringLiteral("m~0n"));
        // "~1" literally in a key must become "~01", not "~1" (escape "~" first).
        QCOMPARE(JsonNodeTable::escapePointerToken(QStringLiteral("~1")), QStringLiteral("~01"));

        const Json doc = sampleArtifact();
        auto table = JsonNodeTable::build(std::make_shared<const Json>(doc));
        const int leaf = table->nodeForPointer(QStringLiteral("/weird/m~0n/x~0~1y"));
        QVERIFY(leaf > 0);
        QCOMPARE(table->node(leaf).text, QStringLiteral("true"));
        QCOMPARE(table->pointer(leaf), QStringLiteral("/weird/m~0n/x~0~1y"));
        // nlohmann's own pointer implementation agrees.
        QVERIFY(doc.at(Json::json_pointer(table->pointer(leaf).toStdString())) == Json(true));
        const int slash = table->nodeForPointer(QStringLiteral("/weird/a~1b"));
        QCOMPARE(table->pointer(slash), QStringLiteral("/weird/a~1b"));
        QVERIFY(doc.at(Json::json_pointer(table->pointer(slash).toStdString())) == Json(1));
        const int emptyKey = table->nodeForPointer(QStringLiteral("/weird/"));
        QVERIFY(emptyKey > 0);
        QCOMPARE(table->node(emptyKey).type, JsonNodeType::Null);
    }

    void prettyTextMatchesTwoSpaceDumpAndLines()
    {
        const Json doc = sampleArtifact();
        auto table = JsonNodeTable::build(std::make_shared<const Json>(doc));
        QCOMPARE(table->prettyText(), QString::fromStdString(doc.dump(2)) + u'\n');
        const QStringList lines = table->prettyText().split(u'\n');
        // Every node's line is where its member starts.
        for (int id = 1; id < table->size(); ++id) {
            const auto& n = table->node(id);
            const QString line = lines.value(n.line);
            if (!n.key.isEmpty())
                QVERIFY2(line.trimmed().startsWith(u'"' + n.key), qPrintable(line));
        }
        const int score = table->nodeForPointer(QStringLiteral("/judge/ranked_drafts/1/score"));
        QCOMPARE(lines.value(table->node(score).line).trimmed(), QStringLiteral("\"score\": 7.25"));
    }

    void findWalksDocumentOrderAndWraps()
    {
        auto table = JsonNodeTable::build(std::make_shared<const Json>(sampleArtifact()));
        const int needle = table->find(QStringLiteral("NEEDLE"), -1);
        QVERIFY(needle > 0);
        QCOMPARE(table->pointer(needle), QStringLiteral("/judge/ranked_drafts/1/reasons"));
        QCOMPARE(table->find(QStringLiteral("needle"), needle), needle); // only match: wraps to itself
        QCOMPARE(table->countMatches(QStringLiteral("provider")), 3); // 2 keys "provider" + winner_provider
        const int first = table->find(QStringLiteral("provider"), -1);
        const int second = table->find(QStringLiteral("provider"), first);
        const int third = table->find(QStringLiteral("provider"), second);
        QVERIFY(first < second && second < third);
        QCOMPARE(table->find(QStringLiteral("provider"), third), first); // wraps forward
        QCOMPARE(table->find(QStringLiteral("provider"), first, true), third); // wraps backward
        QCOMPARE(table->find(QStringLiteral("no such thing"), -1), -1);
        QCOMPARE(table->find(QString(), -1), -1);
    }

    void largeArrayIsCheap()
    {
        Json big = Json::array();
        for (int i = 0; i < 200000; ++i)
            big.push_back(Json { { "i", i } });
        QElapsedTimer t;
        t.start();
        auto table = JsonNodeTable::build(std::make_shared<const Json>(Json { { "items", std::move(big) } }));
        qInfo("built %d nodes in %lld ms", table->size(), t.elapsed());
        JsonTreeModel model;
        model.setTable(table);
        const QModelIndex items = model.index(0, 0);
        QCOMPARE(model.rowCount(items), 200000);
        const QModelIndex last = model.index(199999, 0, items);
        QCOMPARE(last.data(JsonTreeModel::JsonPointerRole).toString(), QStringLiteral("/items/199999"));
        QCOMPARE(model.parent(last), items);
        QCOMPARE(model.rowCount(last), 1);
    }
};

QTEST_GUILESS_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
