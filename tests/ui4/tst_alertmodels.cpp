// The Alerts tab's models and pure helpers: rows from an evaluation (values, severities, the
// not-evaluated reasons), the masked webhook URL, the remembered configuration, the history and its
// JSON form. Models are checked by QAbstractItemModelTester from before their data arrives.
#include "metrics/alerts.h"
#include "models/alertmodels.h"
#include "models/settings.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {

RunRecord run(const QString& status, double cost = 0.001, bool redacted = false)
{
    RunRecord r;
    r.status = status;
    r.estCost = cost;
    r.redacted = redacted;
    return r;
}

std::vector<int> allOf(const std::vector<RunRecord>& records)
{
    std::vector<int> idx(records.size());
    for (size_t i = 0; i < records.size(); ++i)
        idx[i] = static_cast<int>(i);
    return idx;
}

} // namespace

class TestAlertModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsFromEvaluation()
    {
        // 10 runs: 4 advisory (40% > 30%: warning, below 45%), 3 none (30% > 20%: critical), cost
        // 0.001 each, 2 redacted (20% >= 15%: critical); no grounded run.
        std::vector<RunRecord> records;
        for (int i = 0; i < 3; ++i)
            records.push_back(run(QStringLiteral("published"), 0.001, i < 2));
        for (int i = 0; i < 4; ++i)
            records.push_back(run(QStringLiteral("advisory_only")));
        for (int i = 0; i < 3; ++i)
            records.push_back(run(QStringLiteral("none")));
        const AlertThresholds t;
        const AlertEvaluation e = evaluateAlerts(records, allOf(records), t);
        const std::vector<AlertRow> rows = alertRows(e, t, {});
        QCOMPARE(rows.size(), size_t(5));
        QCOMPARE(rows[0].rule, AlertRule::AdvisoryRate);
        QCOMPARE(rows[0].status, AlertStatus::Warning);
        QCOMPARE(*rows[0].value, 0.4);
        QCOMPARE(rows[1].rule, AlertRule::AvgCost);
        QCOMPARE(rows[1].status, AlertStatus::Ok);
        QCOMPARE(rows[2].status, AlertStatus::Critical); // failure rate: always critical
        QCOMPARE(rows[3].status, AlertStatus::Critical); // redacted 0.2 >= 1.5 x 0.1
        QCOMPARE(rows[4].rule, AlertRule::GroundedCitationSuccess);
        QCOMPARE(rows[4].status, AlertStatus::NotEvaluated);
        QVERIFY(!rows[4].value);
        QCOMPARE(rows[4].reason, QStringLiteral("no grounded runs in the window"));

        // Too few runs: every rule not evaluated, with the counts in the reason.
        records.resize(3);
        const std::vector<AlertRow> few = alertRows(evaluateAlerts(records, allOf(records), t), t, {});
        for (const AlertRow& r : few) {
            QCOMPARE(r.status, AlertStatus::NotEvaluated);
            QCOMPARE(r.reason, QStringLiteral("only 3 runs in the window, 5 needed"));
        }
        records.clear();
        QCOMPARE(alertRows(evaluateAlerts(records, {}, t), t, {}).front().reason,
            QStringLiteral("no runs in the window, 5 needed"));
        // Nothing evaluated yet: the caller's reason, the configured thresholds.
        AlertThresholds custom;
        custom.avgCost = 0.5;
        const auto waiting = alertRows(std::nullopt, custom, QStringLiteral("loading"));
        QCOMPARE(waiting[1].threshold, 0.5);
        QCOMPARE(waiting[1].reason, QStringLiteral("loading"));
    }

    void resultsModel()
    {
        AlertResultsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.index(0, AlertResultsModel::Status).data(AlertResultsModel::StatusRole).toString(),
            QStringLiteral("not_evaluated"));

        std::vector<RunRecord> records;
        for (int i = 0; i < 2; ++i)
            records.push_back(run(QStringLiteral("published")));
        for (int i = 0; i < 6; ++i)
            records.push_back(run(QStringLiteral("advisory_only")));
        const AlertThresholds t;
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows(alertRows(evaluateAlerts(records, allOf(records), t), t, {}));
        QCOMPARE(changed.count(), 1); // in place: the selection survives
        QCOMPARE(reset.count(), 0);
        const QModelIndex status = model.index(0, AlertResultsModel::Status);
        QCOMPARE(status.data(AlertResultsModel::StatusRole).toString(), QStringLiteral("critical"));
        QCOMPARE(status.data().toString(), QStringLiteral("Critical"));
        QCOMPARE(status.data(Qt::DecorationRole).value<QColor>(), QColor(QStringLiteral("#dc3545")));
        QCOMPARE(model.index(0, AlertResultsModel::Value).data().toString(), QStringLiteral("75.0%"));
        QCOMPARE(model.index(0, AlertResultsModel::Threshold).data().toString(), QStringLiteral("> 30.0%"));
        QCOMPARE(model.index(0, AlertResultsModel::Value).data(AlertResultsModel::RawValueRole).toDouble(), 0.75);
        QCOMPARE(model.index(1, AlertResultsModel::Value).data().toString(), QStringLiteral("$0.0010"));
        QCOMPARE(model.index(1, AlertResultsModel::Status).data(AlertResultsModel::StatusRole).toString(),
            QStringLiteral("ok"));
        QCOMPARE(model.index(1, AlertResultsModel::Status).data(Qt::DecorationRole).value<QColor>(),
            QColor(QStringLiteral("#28a745")));
        QCOMPARE(model.index(4, AlertResultsModel::Threshold).data().toString(), QStringLiteral("< 60.0%"));
        QCOMPARE(model.index(4, AlertResultsModel::Status).data().toString(),
            QStringLiteral("Not evaluated: no grounded runs in the window"));
        // Tooltips explain the rule and its severity at the current threshold.
        const QString tip = model.index(0, AlertResultsModel::Rule).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("45.0%")), qPrintable(tip));
        QVERIFY(model.index(2, AlertResultsModel::Rule)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("always critical")));
        QCOMPARE(model.row(AlertRule::AdvisoryRate)->status, AlertStatus::Critical);
        // A warning: the exact amber on the swatch, a readable shade on the text.
        records.push_back(run(QStringLiteral("published")));
        records.push_back(run(QStringLiteral("published")));
        records.push_back(run(QStringLiteral("published")));
        records.push_back(run(QStringLiteral("published")));
        model.setRows(alertRows(evaluateAlerts(records, allOf(records), t), t, {})); // 6 of 12 = 50% >= 45%
        QCOMPARE(model.row(AlertRule::AdvisoryRate)->status, AlertStatus::Critical);
        records.push_back(run(QStringLiteral("published")));
        records.push_back(run(QStringLiteral("published")));
        records.push_back(run(QStringLiteral("published")));
        model.setRows(alertRows(evaluateAlerts(records, allOf(records), t), t, {})); // 6 of 15 = 40%
        const QModelIndex warning = model.index(0, AlertResultsModel::Status);
        QCOMPARE(warning.data(AlertResultsModel::StatusRole).toString(), QStringLiteral("warning"));
        QCOMPARE(warning.data(Qt::DecorationRole).value<QColor>(), QColor(QStringLiteral("#ffc107")));
        QVERIFY(warning.data(Qt::ForegroundRole).value<QColor>().isValid());
    }

    void historyModel()
    {
        AlertHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        const qint64 t0 = 1'800'000'000'000;
        model.addEntries(
            { { t0, AlertHistoryEntry::Kind::Fired, QStringLiteral("advisory_rate"), QStringLiteral("critical"),
                  QStringLiteral("Advisory rate is 75.0%"), QStringLiteral("db:analyst@db.example:5432/team") },
                { t0 + 1000, AlertHistoryEntry::Kind::Sent, {}, {}, QStringLiteral("1 alert"), {} } });
        QCOMPARE(model.rowCount(), 2);
        // Newest first.
        QCOMPARE(model.index(0, AlertHistoryModel::Event).data().toString(), QStringLiteral("Webhook sent"));
        QCOMPARE(model.index(1, AlertHistoryModel::Event).data().toString(), QStringLiteral("Fired (critical)"));
        QCOMPARE(model.index(1, 0).data(AlertHistoryModel::TimeMsRole).toLongLong(), t0);
        QCOMPARE(model.index(1, AlertHistoryModel::Source).data().toString(),
            QStringLiteral("team database analyst@db.example:5432/team"));
        QCOMPARE(model.index(0, AlertHistoryModel::Source).data().toString(), QStringLiteral("(not recorded)"));
        const auto withSource = historyFromJson(historyToJson(model.entries())); // the source survives a restart
        QVERIFY(withSource);
        QCOMPARE(withSource->back().source, QStringLiteral("db:analyst@db.example:5432/team"));
        QCOMPARE(model.index(1, AlertHistoryModel::Time).data().toString(),
            QDateTime::fromMSecsSinceEpoch(t0).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        // A server's reply in a tooltip is shown literally, not as markup.
        model.addEntries(
            { { t0 + 2000, AlertHistoryEntry::Kind::Failed, {}, {}, QStringLiteral("HTTP 500 <b>x</b>"), {} } });
        QVERIFY(model.index(0, AlertHistoryModel::Details)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("&lt;b&gt;")));
        QCOMPARE(model.index(0, 0).data(AlertHistoryModel::KindRole).toString(), QStringLiteral("failed"));

        // Capped: the oldest drop off.
        std::vector<AlertHistoryEntry> many;
        for (int i = 0; i < AlertHistoryModel::kMaxEntries + 10; ++i)
            many.push_back({ t0 + 10'000 + i, AlertHistoryEntry::Kind::Resolved, {}, {}, QString::number(i), {} });
        model.addEntries(many);
        QCOMPARE(model.rowCount(), AlertHistoryModel::kMaxEntries);
        QCOMPARE(model.entries().front().text, QString::number(AlertHistoryModel::kMaxEntries + 9));

        // JSON round trip.
        const auto back = historyFromJson(historyToJson(model.entries()));
        QVERIFY(back);
        QCOMPARE(*back, model.entries());
        QString error;
        QVERIFY(!historyFromJson(Json::parse(R"({"entries":[{"time_ms":1,"kind":"exploded"}]})"), &error));
        QVERIFY(error.contains(QStringLiteral("exploded")));
        QVERIFY(!historyFromJson(Json::array()));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void maskedWebhook()
    {
        QCOMPARE(maskWebhookUrl(QStringLiteral("https://hooks.slack.com/services/T000/B000/XXXXSECRET")),
            QStringLiteral("https://hooks.slack.com/\u2022\u2022\u2022"));
        QCOMPARE(maskWebhookUrl(QStringLiteral("http://user:pw@127.0.0.1:8080/hook?token=abc")),
            QStringLiteral("http://127.0.0.1:8080/\u2022\u2022\u2022"));
        QCOMPARE(maskWebhookUrl(QString()), QString());
        QCOMPARE(maskWebhookUrl(QStringLiteral("not a url at all")), QStringLiteral("\u2022\u2022\u2022"));
        QVERIFY(isWebhookUrl(QUrl(QStringLiteral("https://example.com/x"))));
        QVERIFY(!isWebhookUrl(QUrl(QStringLiteral("ftp://example.com/x"))));
        QVERIFY(!isWebhookUrl(QUrl(QStringLiteral("https:///nohost"))));
    }

    void configRoundTrip()
    {
        QTemporaryDir tmp;
        const QString ini = tmp.filePath(QStringLiteral("s.ini"));
        {
            QSettings store(ini, QSettings::IniFormat);
            Settings s(&store);
            QCOMPARE(loadAlertConfig(s), AlertConfig {}); // legacy defaults
            QCOMPARE(loadAlertConfig(s).thresholds.minRuns, 5);
            AlertConfig c;
            c.thresholds.advisoryRate = 0.5;
            c.thresholds.avgCost = 0.02;
            c.thresholds.groundedSuccess = 0.7;
            c.thresholds.minRuns = 12;
            c.window = QStringLiteral("3w");
            saveAlertConfig(s, c);
        }
        {
            QSettings store(ini, QSettings::IniFormat);
            Settings s(&store);
            const AlertConfig c = loadAlertConfig(s);
            QCOMPARE(c.thresholds.advisoryRate, 0.5);
            QCOMPARE(c.thresholds.avgCost, 0.02);
            QCOMPARE(c.thresholds.groundedSuccess, 0.7);
            QCOMPARE(c.thresholds.failureRate, 0.20);
            QCOMPARE(c.thresholds.minRuns, 12);
            QCOMPARE(c.window, QStringLiteral("3w"));
            // Garbage in the file falls back to the defaults.
            store.setValue(QStringLiteral("alerts/window"), QStringLiteral("fortnight"));
            store.setValue(QStringLiteral("alerts/avgCost"), QStringLiteral("-3"));
            QCOMPARE(loadAlertConfig(s).window, QStringLiteral("7d"));
            QCOMPARE(loadAlertConfig(s).thresholds.avgCost, 0.01);
        }
    }

    void bannerText()
    {
        AlertCheck a;
        a.rule = AlertRule::AdvisoryRate;
        a.value = 0.75;
        a.threshold = 0.3;
        a.firing = true;
        a.severity = AlertSeverity::Critical;
        a.sampleRuns = 8;
        QCOMPARE(alertBannerText({ a }),
            QStringLiteral("Critical alert: Advisory rate is 75.0%, above the 30.0% threshold (8 runs)."));
        AlertCheck b = a;
        b.rule = AlertRule::AvgCost;
        b.value = 0.02;
        b.severity = AlertSeverity::Warning;
        QCOMPARE(alertBannerText({ a, b }),
            QStringLiteral("2 alerts firing (1 critical): Advisory rate 75.0%, Average cost $0.0200."));
        QCOMPARE(alertBannerText({}), QString());
    }
};

QTEST_MAIN(TestAlertModels)
#include "tst_alertmodels.moc"
