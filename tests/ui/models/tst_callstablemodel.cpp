// CallsTableModel: rows from calls[] (docs/artifact-format.md, schema 2.0), formatting, sort values, model contract.
#include "models/callstablemodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace djp;

namespace {

Json artifactWithCalls()
{
    return Json::parse(R"({
      "schema_version": "2.0", "run_metadata": {},
      "calls": [
        {"stage": "debate", "label": "gpt-4o-mini", "api": "openai_chat", "simulated": false, "attempt": 1,
         "status": "ok", "http_status": 200, "error": "", "input_tokens": 1200, "output_tokens": 350,
         "latency_ms": 850, "cost_usd": 0.00123, "pricing_id": "openai/gpt-4o-mini@2025-01"},
        {"stage": "debate", "label": "claude-3-haiku", "api": "anthropic_messages", "simulated": false, "attempt": 2,
         "status": "error", "http_status": 429, "error": "rate limited <b>x</b>", "input_tokens": 0,
         "output_tokens": 0, "latency_ms": 12500, "cost_usd": null, "pricing_id": ""},
        {"stage": "judge", "label": "sim-judge", "api": "simulated", "simulated": true, "attempt": 1,
         "status": "ok", "http_status": null, "error": "", "input_tokens": 40, "output_tokens": 9,
         "latency_ms": 3, "cost_usd": 0, "pricing_id": ""},
        "not an object",
        {"stage": 5, "attempt": "two", "latency_ms": "slow"}
      ]})");
}

} // namespace

class TestCallsTableModel : public QObject
{
    Q_OBJECT
private slots:
    void rowsFromArtifact()
    {
        const CallRows rows = callRowsFromArtifact(artifactWithCalls());
        QCOMPARE(rows.size(), size_t(4)); // the non-object entry is skipped
        QCOMPARE(rows[0].label, QStringLiteral("gpt-4o-mini"));
        QCOMPARE(rows[0].httpStatus, std::optional<int>(200));
        QCOMPARE(rows[0].costUsd, std::optional<double>(0.00123));
        QCOMPARE(rows[1].attempt, 2);
        QVERIFY(!rows[1].costUsd);
        QVERIFY(!rows[2].httpStatus);
        QVERIFY(rows[2].simulated);
        // Mistyped fields take the defaults instead of failing the whole table.
        QCOMPARE(rows[3].stage, QString());
        QCOMPARE(rows[3].attempt, 1);
        QCOMPARE(rows[3].latencyMs, 0.0);
        // Legacy artifacts have no calls.
        QVERIFY(callRowsFromArtifact(Json::parse(R"({"schema_version": "1.1"})")).empty());
        QVERIFY(callRowsFromArtifact(Json::parse(R"({"calls": {"not": "an array"}})")).empty());
        QVERIFY(callRowsFromArtifact(Json::parse("[]")).empty());
    }

    // Schema 2.1: the usage buckets, their source and held reservations are shown per call.
    void usageBucketsOfSchema21()
    {
        const Json doc = Json::parse(R"({
          "schema_version": "2.1", "run_metadata": {},
          "calls": [
            {"stage": "debate", "label": "anthropic/claude-sonnet-4-5", "api": "anthropic_messages",
             "simulated": false, "attempt": 1, "status": "ok", "http_status": 200, "error": "",
             "input_tokens": 4200, "output_tokens": 700, "cache_read_tokens": 3000, "cache_write_tokens": 1000,
             "reasoning_tokens": 250, "usage_source": "reported", "reported_cost_usd": 0.0158, "held_usd": 0,
             "latency_ms": 900, "cost_usd": 0.01575, "pricing_id": "p"},
            {"stage": "debate", "label": "openai/gpt-4o-mini", "api": "openai_chat", "simulated": false,
             "attempt": 1, "status": "error", "http_status": 200, "error": "reply too large",
             "input_tokens": 0, "output_tokens": 0, "cache_read_tokens": 0, "cache_write_tokens": 0,
             "reasoning_tokens": 0, "usage_source": "none", "reported_cost_usd": null, "held_usd": 0.00064,
             "latency_ms": 40, "cost_usd": 0, "pricing_id": "p"}
          ]})");
        CallsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(std::make_shared<const CallRows>(callRowsFromArtifact(doc)));
        auto text = [&](int r, int c) { return model.index(r, c).data().toString(); };
        QCOMPARE(text(0, CallsTableModel::TokensIn), QLocale().toString(4200));
        QCOMPARE(text(0, CallsTableModel::CacheRead), QLocale().toString(3000));
        QCOMPARE(text(0, CallsTableModel::CacheWrite), QLocale().toString(1000));
        QCOMPARE(text(0, CallsTableModel::TokensOut), QLocale().toString(700));
        QCOMPARE(text(0, CallsTableModel::Reasoning), QLocale().toString(250));
        QCOMPARE(text(0, CallsTableModel::Usage), QStringLiteral("reported"));
        QCOMPARE(text(0, CallsTableModel::Held), QStringLiteral("—"));
        QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(QLatin1String("Provider-reported cost")));
        QCOMPARE(text(1, CallsTableModel::Held), QStringLiteral("$0.000640")); // the Cost column's fixed decimals
        QCOMPARE(model.index(1, CallsTableModel::Held).data(CallsTableModel::SortRole).toDouble(), 0.00064);
        QCOMPARE(model.headerData(CallsTableModel::CacheRead, Qt::Horizontal).toString(), QStringLiteral("Cached in"));
    }

    void modelContractAndDisplay()
    {
        CallsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setRows(std::make_shared<const CallRows>(callRowsFromArtifact(artifactWithCalls())));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(CallsTableModel::ColumnCount));
        auto text = [&](int r, int c) { return model.index(r, c).data().toString(); };
        QCOMPARE(text(0, CallsTableModel::Stage), QStringLiteral("debate"));
        QCOMPARE(text(0, CallsTableModel::Status), QStringLiteral("ok"));
        QCOMPARE(text(0, CallsTableModel::HttpStatus), QStringLiteral("200"));
        QCOMPARE(text(0, CallsTableModel::TokensIn), QLocale().toString(1200));
        QCOMPARE(text(0, CallsTableModel::Latency), QStringLiteral("850 ms"));
        QCOMPARE(text(0, CallsTableModel::Cost), QStringLiteral("$0.001230"));
        QCOMPARE(text(1, CallsTableModel::Attempt), QStringLiteral("2"));
        QCOMPARE(text(1, CallsTableModel::HttpStatus), QStringLiteral("429"));
        QCOMPARE(text(1, CallsTableModel::Latency), QStringLiteral("12.5 s"));
        QCOMPARE(text(1, CallsTableModel::Cost), QStringLiteral("unpriced"));
        QCOMPARE(text(2, CallsTableModel::HttpStatus), QStringLiteral("—"));
        QCOMPARE(text(2, CallsTableModel::Label), QStringLiteral("sim-judge (simulated)"));
        QCOMPARE(text(2, CallsTableModel::Cost), QStringLiteral("$0.000000"));
        // The error is in the tooltip, escaped so that markup shows literally.
        const QString tip = model.index(1, CallsTableModel::Status).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("rate limited &lt;b&gt;x&lt;/b&gt;")), qPrintable(tip));
        QCOMPARE(model.headerData(CallsTableModel::TokensOut, Qt::Horizontal).toString(), QStringLiteral("Tokens out"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void sortsByRawValues()
    {
        CallsTableModel model;
        model.setRows(std::make_shared<const CallRows>(callRowsFromArtifact(artifactWithCalls())));
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(CallsTableModel::SortRole);
        proxy.sort(CallsTableModel::Latency, Qt::DescendingOrder);
        // 12.5 s sorts above 850 ms numerically (as text "850 ms" > "12.5 s").
        QCOMPARE(proxy.index(0, CallsTableModel::Latency).data().toString(), QStringLiteral("12.5 s"));
        QCOMPARE(proxy.index(1, CallsTableModel::Latency).data().toString(), QStringLiteral("850 ms"));
        proxy.sort(CallsTableModel::Cost, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, CallsTableModel::Cost).data().toString(), QStringLiteral("unpriced"));
    }
};

QTEST_GUILESS_MAIN(TestCallsTableModel)
#include "tst_callstablemodel.moc"
