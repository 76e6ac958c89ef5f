// Alerts (docs/metrics.md): each rule and both severities, the window and min-runs rules, the payload
// shape, once-per-window and resolved planning with a controllable clock, the state file, and the
// webhook POST against local servers (recording, failing, silent, refusing).
#include "metrics/alerts.h"
#include "metrics/alertsender.h"
#include "metrics/alertstate.h"
#include "metrics/runfilter.h"
#include "records.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;
using djp::test::allIndices;
using djp::test::makeRun;

namespace {
constexpr qint64 kHour = 3600ll * 1000;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kNow = 1'780'000'000'000;

// n runs: `advisory` advisory_only, `none` none, the rest published; cost each.
std::vector<RunRecord> runs(int n, int advisory = 0, int none = 0, double cost = 0.0)
{
    std::vector<RunRecord> v;
    for (int i = 0; i < n; ++i) {
        RunRecord r = makeRun(i < advisory ? "advisory_only"
                : i < advisory + none      ? "none"
                                           : "published",
            kNow - kHour);
        r.estCost = cost;
        v.push_back(r);
    }
    return v;
}

// By value: the evaluations in these tests are temporaries.
std::optional<AlertCheck> firingCheck(const AlertEvaluation& e, AlertRule rule)
{
    const AlertCheck* c = e.check(rule);
    return c && c->firing ? std::optional<AlertCheck>(*c) : std::nullopt;
}

RetryPolicy fastPolicy()
{
    RetryPolicy p;
    p.baseDelayMs = 20;
    p.maxDelayMs = 100;
    return p;
}
} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT
private slots:
    void advisoryRate()
    {
        const AlertThresholds t;
        QVERIFY(!firingCheck(
            evaluateAlerts(runs(10, 3), allIndices(runs(10, 3)), t), AlertRule::AdvisoryRate)); // 0.30: not > 0.30
        const auto w = runs(10, 4);
        const std::optional<AlertCheck> c = firingCheck(evaluateAlerts(w, allIndices(w), t), AlertRule::AdvisoryRate);
        QVERIFY(c);
        QCOMPARE(c->value, 0.4);
        QCOMPARE(c->threshold, 0.3);
        QCOMPARE(c->severity, AlertSeverity::Warning);
        const auto cr = runs(20, 9); // 0.45 = 1.5 x 0.30
        QCOMPARE(firingCheck(evaluateAlerts(cr, allIndices(cr), t), AlertRule::AdvisoryRate)->severity,
            AlertSeverity::Critical);
    }

    void averageCost()
    {
        const AlertThresholds t;
        auto v = runs(5, 0, 0, 0.01);
        QVERIFY(!firingCheck(evaluateAlerts(v, allIndices(v), t), AlertRule::AvgCost));
        v = runs(5, 0, 0, 0.012);
        QCOMPARE(
            firingCheck(evaluateAlerts(v, allIndices(v), t), AlertRule::AvgCost)->severity, AlertSeverity::Warning);
        v = runs(5, 0, 0, 0.015);
        QCOMPARE(
            firingCheck(evaluateAlerts(v, allIndices(v), t), AlertRule::AvgCost)->severity, AlertSeverity::Critical);
        AlertThresholds high;
        high.avgCost = 0.02;
        QVERIFY(!firingCheck(evaluateAlerts(v, allIndices(v), high), AlertRule::AvgCost));
    }

    void failureRateIsAlwaysCritical()
    {
        const AlertThresholds t;
        auto v = runs(10, 0, 2); // 0.20: not > 0.20
        AlertEvaluation e = evaluateAlerts(v, allIndices(v), t);
        QVERIFY(!firingCheck(e, AlertRule::FailureRate));
        QVERIFY(!e.hasCritical());
        v = runs(10, 0, 3); // 0.30 < 1.5 x 0.20, still critical
        e = evaluateAlerts(v, allIndices(v), t);
        QCOMPARE(firingCheck(e, AlertRule::FailureRate)->severity, AlertSeverity::Critical);
        QVERIFY(e.hasCritical());
    }

    void redactedRate()
    {
        const AlertThresholds t;
        auto v = runs(20);
        for (int i = 0; i < 3; ++i) // 3/20 = 0.15 = 1.5 x 0.10
            v[static_cast<size_t>(i)].redacted = true;
        QCOMPARE(firingCheck(evaluateAlerts(v, allIndices(v), t), AlertRule::RedactedRate)->severity,
            AlertSeverity::Critical);
        v[2].redacted = false; // 0.10: not > 0.10
        QVERIFY(!firingCheck(evaluateAlerts(v, allIndices(v), t), AlertRule::RedactedRate));
        auto w = runs(50);
        for (int i = 0; i < 6; ++i) // 0.12
            w[static_cast<size_t>(i)].redacted = true;
        QCOMPARE(firingCheck(evaluateAlerts(w, allIndices(w), t), AlertRule::RedactedRate)->severity,
            AlertSeverity::Warning);
    }

    void groundedCitationSuccessOverGroundedRunsOnly()
    {
        const AlertThresholds t;
        auto v = runs(10);
        // Ordinary runs with no citations never count (the legacy rule fired on them).
        AlertEvaluation e = evaluateAlerts(v, allIndices(v), t);
        QVERIFY(!e.check(AlertRule::GroundedCitationSuccess));
        QCOMPARE(e.groundedRuns, 0);
        QCOMPARE(e.checks.size(), size_t(4));

        for (int i = 0; i < 4; ++i) {
            v[static_cast<size_t>(i)].grounded = true;
            v[static_cast<size_t>(i)].groundedRequired = 2;
        }
        v[0].citationsCount = 2; // met (>=)
        v[1].citationsCount = 5; // met
        v[2].citationsCount = 1; // unmet
        e = evaluateAlerts(v, allIndices(v), t);
        QCOMPARE(e.groundedRuns, 4);
        const std::optional<AlertCheck> c = firingCheck(e, AlertRule::GroundedCitationSuccess); // 2/4 = 0.5 < 0.6
        QVERIFY(c);
        QCOMPARE(c->value, 0.5);
        QCOMPARE(c->sampleRuns, 4);
        QCOMPARE(c->severity, AlertSeverity::Warning); // 0.5 > 0.6 / 1.5
        v[1].citationsCount = 0; // 1/4 = 0.25 <= 0.4
        e = evaluateAlerts(v, allIndices(v), t);
        QCOMPARE(firingCheck(e, AlertRule::GroundedCitationSuccess)->severity, AlertSeverity::Critical);
        v[1].citationsCount = 2;
        v[2].citationsCount = 2;
        v[3].groundedRequired = 0; // 4/4
        e = evaluateAlerts(v, allIndices(v), t);
        QVERIFY(e.check(AlertRule::GroundedCitationSuccess));
        QVERIFY(!firingCheck(e, AlertRule::GroundedCitationSuccess));
    }

    void minRunsAndWindow()
    {
        const AlertThresholds t;
        auto v = runs(4, 0, 4); // all failed, but only 4 runs
        AlertEvaluation e = evaluateAlerts(v, allIndices(v), t);
        QVERIFY(!e.enoughRuns);
        QVERIFY(e.checks.empty());
        QVERIFY(!e.hasCritical());
        AlertThresholds four = t;
        four.minRuns = 4;
        QVERIFY(evaluateAlerts(v, allIndices(v), four).hasCritical());
        QVERIFY(!evaluateAlerts(v, {}, AlertThresholds { .minRuns = 0 }).enoughRuns); // never on an empty set

        // "24h" is 24 hours: 5 failures 23 h ago count, 5 more 25 h ago do not.
        std::vector<RunRecord> w;
        for (int i = 0; i < 10; ++i)
            w.push_back(makeRun("none", kNow - (i < 5 ? 23 : 25) * kHour));
        const qint64 day = *parseSinceWindow("24h", nullptr);
        e = evaluateAlertsInWindow(w, day, kNow, t);
        QCOMPARE(e.runs, 5);
        QVERIFY(e.enoughRuns);
        QVERIFY(e.hasCritical());
        e = evaluateAlertsInWindow(w, 22 * kHour, kNow, t);
        QCOMPARE(e.runs, 0);
        QVERIFY(!e.enoughRuns);
        QCOMPARE(evaluateAlertsInWindow(w, std::nullopt, kNow, t).runs, 10);
    }

    void payloadShape()
    {
        auto v = runs(10, 4, 3, 0.02); // advisory 0.4 warning, failure 0.3 critical, cost 0.02 critical
        const AlertEvaluation e = evaluateAlerts(v, allIndices(v), AlertThresholds {});
        const std::vector<AlertCheck> firing = e.firing();
        QCOMPARE(firing.size(), size_t(3));
        AlertCheck resolved = *e.check(AlertRule::RedactedRate);
        const Json p = buildAlertPayload(firing, { resolved }, { "7d", e.runs, kNow });
        QVERIFY(p["text"].is_string());
        const QString text = QString::fromStdString(p["text"].get<std::string>());
        QVERIFY2(text.contains("3 alert(s) firing (2 critical)") && text.contains("1 resolved")
                && text.contains("last 7d") && text.contains("10 runs"),
            qPrintable(text));
        const Json& a = p["attachments"];
        QVERIFY(a.is_array());
        QCOMPARE(a.size(), size_t(4));
        QStringList colours;
        for (const Json& x : a) {
            colours << QString::fromStdString(x["color"].get<std::string>());
            QVERIFY(x["title"].is_string());
            QVERIFY(x["text"].is_string());
            QCOMPARE(x["ts"].get<qint64>(), kNow / 1000);
            QCOMPARE(x["fields"].size(), size_t(2));
            QCOMPARE(x["fields"][0]["title"].get<std::string>(), std::string("Current"));
            QCOMPARE(x["fields"][1]["title"].get<std::string>(), std::string("Threshold"));
            QCOMPARE(x["fields"][0]["short"].get<bool>(), true);
            QCOMPARE(x["fields"][1]["short"].get<bool>(), true);
            QVERIFY(x["fields"][0]["value"].is_string());
        }
        QCOMPARE(colours, QStringList({ "#ffc107", "#dc3545", "#dc3545", "#28a745" }));
        QCOMPARE(a[0]["fields"][0]["value"].get<std::string>(), std::string("40.0%"));
        QCOMPARE(a[0]["fields"][1]["value"].get<std::string>(), std::string("30.0%"));
        QCOMPARE(a[1]["fields"][0]["value"].get<std::string>(), std::string("$0.0200"));
        QVERIFY(QString::fromStdString(a[0]["title"].get<std::string>()).contains("Advisory rate"));
        QVERIFY(QString::fromStdString(a[3]["title"].get<std::string>()).contains("RESOLVED"));
        QVERIFY(QString::fromStdString(a[2]["text"].get<std::string>()).contains("above the 20.0% threshold"));

        const Json none = buildAlertPayload({}, {}, { "all", 0, 0 });
        QVERIFY(none["attachments"].empty());
        QVERIFY(QString::fromStdString(none["text"].get<std::string>()).contains("no alerts over all time"));
        QVERIFY(!buildAlertPayload(firing, {}, { "7d", 10, 0 })["attachments"][0].contains("ts"));
    }

    void oncePerWindowAndResolved()
    {
        const qint64 window = 7 * kDay;
        const AlertThresholds t;
        const auto bad = runs(10, 4); // advisory warning
        const auto worse = runs(10, 5); // advisory 0.5: critical
        const auto good = runs(10);
        qint64 now = kNow;

        AlertPlan p = planAlertNotifications(evaluateAlerts(bad, allIndices(bad), t), {}, now, window);
        QCOMPARE(p.toSend.size(), size_t(1));
        QCOMPARE(p.toSend[0].rule, AlertRule::AdvisoryRate);
        QVERIFY(p.hasMessages());
        AlertState state = p.nextState;
        QCOMPARE(state.firing.at("advisory_rate").sentAtMs, now);

        now += kHour; // still firing within the window: not sent again
        p = planAlertNotifications(evaluateAlerts(bad, allIndices(bad), t), state, now, window);
        QVERIFY(p.toSend.empty());
        QCOMPARE(p.suppressed.size(), size_t(1));
        QVERIFY(!p.hasMessages());
        QCOMPARE(p.nextState.firing.at("advisory_rate").sentAtMs, kNow);
        state = p.nextState;

        now += kHour; // escalation to critical is sent at once
        p = planAlertNotifications(evaluateAlerts(worse, allIndices(worse), t), state, now, window);
        QCOMPARE(p.toSend.size(), size_t(1));
        QCOMPARE(p.toSend[0].severity, AlertSeverity::Critical);
        state = p.nextState;
        const qint64 sentCritical = now;

        now = sentCritical + window - 1; // just inside the window
        p = planAlertNotifications(evaluateAlerts(worse, allIndices(worse), t), state, now, window);
        QVERIFY(p.toSend.empty());
        now = sentCritical + window; // a window later: sent again
        p = planAlertNotifications(evaluateAlerts(worse, allIndices(worse), t), state, now, window);
        QCOMPARE(p.toSend.size(), size_t(1));
        state = p.nextState;

        // Too few runs: nothing evaluated, nothing resolved, state kept.
        const auto few = runs(2);
        p = planAlertNotifications(evaluateAlerts(few, allIndices(few), t), state, now + kHour, window);
        QVERIFY(!p.hasMessages());
        QCOMPARE(p.nextState, state);

        // Clears: one resolved message, then nothing.
        p = planAlertNotifications(evaluateAlerts(good, allIndices(good), t), state, now + kHour, window);
        QVERIFY(p.toSend.empty());
        QCOMPARE(p.resolved.size(), size_t(1));
        QCOMPARE(p.resolved[0].rule, AlertRule::AdvisoryRate);
        QVERIFY(p.nextState.firing.empty());
        state = p.nextState;
        p = planAlertNotifications(evaluateAlerts(good, allIndices(good), t), state, now + 2 * kHour, window);
        QVERIFY(!p.hasMessages());

        // All-time window: never re-sent while firing.
        p = planAlertNotifications(evaluateAlerts(bad, allIndices(bad), t), {}, kNow, std::nullopt);
        p = planAlertNotifications(
            evaluateAlerts(bad, allIndices(bad), t), p.nextState, kNow + 1000 * kDay, std::nullopt);
        QVERIFY(p.toSend.empty());
    }

    void stateFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("sub/alert-state.json");
        QString error;
        std::optional<AlertState> s = loadAlertState(path, &error); // missing: empty
        QVERIFY(s && s->firing.empty());
        AlertState st;
        st.firing["failure_rate"] = { kNow, AlertSeverity::Critical, 0.4, 0.2 };
        st.firing["avg_cost"] = { kNow - 5, AlertSeverity::Warning, 0.012, 0.01 };
        QVERIFY(saveAlertState(path, st, &error));
        s = loadAlertState(path, &error);
        QVERIFY(s);
        QCOMPARE(*s, st);

        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{not json");
        f.close();
        QVERIFY(!loadAlertState(path, &error));
        QVERIFY(!error.isEmpty());

        // defaultAlertStatePath follows DJP_CONFIG_DIR.
        qputenv("DJP_CONFIG_DIR", dir.path().toUtf8());
        QCOMPARE(defaultAlertStatePath(), dir.path() + "/alert-state.json");
    }

    void webhookPostReachesServer()
    {
        QHttpServer server;
        QList<QByteArray> bodies;
        QList<QByteArray> types;
        server.route("/hook", [&](const QHttpServerRequest& req) {
            bodies << req.body();
            types << req.value("Content-Type");
            return QHttpServerResponse("ok");
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        const QByteArray body = QByteArray::fromStdString(buildAlertPayload({}, {}, { "7d", 3, kNow }).dump());
        const WebhookResult r
            = postWebhookBlocking(QUrl(QString("http://127.0.0.1:%1/hook").arg(port)), body, fastPolicy());
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.attempts, 1);
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(bodies, QList<QByteArray> { body });
        QCOMPARE(types.value(0), QByteArray("application/json"));
    }

    void webhookRetriesThenSucceeds()
    {
        QHttpServer server;
        int hits = 0;
        server.route("/hook", [&](const QHttpServerRequest&) {
            ++hits;
            return hits < 3 ? QHttpServerResponse(QHttpServerResponder::StatusCode::ServiceUnavailable)
                            : QHttpServerResponse("ok");
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        const WebhookResult r
            = postWebhookBlocking(QUrl(QString("http://127.0.0.1:%1/hook").arg(port)), "{}", fastPolicy());
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.attempts, 3);
        QCOMPARE(hits, 3);
    }

    void webhookFailuresAreReported()
    {
        QHttpServer server;
        int hits500 = 0, hits400 = 0;
        server.route("/500", [&](const QHttpServerRequest&) {
            ++hits500;
            return QHttpServerResponse(QHttpServerResponder::StatusCode::InternalServerError);
        });
        server.route("/400", [&](const QHttpServerRequest&) {
            ++hits400;
            return QHttpServerResponse(QHttpServerResponder::StatusCode::BadRequest);
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        WebhookResult r = postWebhookBlocking(QUrl(QString("http://127.0.0.1:%1/500").arg(port)), "{}", fastPolicy());
        QVERIFY(!r.ok);
        QCOMPARE(r.attempts, 3); // retried per docs/providers.md
        QCOMPARE(hits500, 3);
        QCOMPARE(r.httpStatus, 500);
        QVERIFY2(r.error.contains("500"), qPrintable(r.error));

        r = postWebhookBlocking(QUrl(QString("http://127.0.0.1:%1/400").arg(port)), "{}", fastPolicy());
        QVERIFY(!r.ok);
        QCOMPARE(r.attempts, 1); // never retried
        QCOMPARE(hits400, 1);

        r = postWebhookBlocking(QUrl("ftp://127.0.0.1/x"), "{}", fastPolicy());
        QVERIFY(!r.ok);
        QCOMPARE(r.attempts, 0);
    }

    void webhookConnectionRefusedAndTimeout()
    {
        // A port that was just free: connection refused, retried, reported.
        quint16 freePort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            freePort = probe.serverPort();
        }
        WebhookResult r = postWebhookBlocking(QUrl(QString("http://127.0.0.1:%1/").arg(freePort)), "{}", fastPolicy());
        QVERIFY(!r.ok);
        QCOMPARE(r.attempts, 3);
        QCOMPARE(r.httpStatus, 0);
        QVERIFY(!r.error.isEmpty());

        // A server that accepts and never answers: each attempt times out.
        QTcpServer silent;
        QList<QTcpSocket*> held;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, this, [&] { held << silent.nextPendingConnection(); });
        QElapsedTimer t;
        t.start();
        r = postWebhookBlocking(
            QUrl(QString("http://127.0.0.1:%1/").arg(silent.serverPort())), "{}", fastPolicy(), 300);
        QVERIFY(!r.ok);
        QCOMPARE(r.attempts, 3);
        QVERIFY2(r.error.contains("timed out"), qPrintable(r.error));
        QVERIFY(t.elapsed() >= 900);
        QVERIFY(t.elapsed() < 10000);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
