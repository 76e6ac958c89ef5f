// The alert webhook never follows a redirect: the alert body must reach only the configured URL.
#include "metrics/alertsender.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTest>

using namespace djp;

class TestWebhookRedirect : public QObject
{
    Q_OBJECT

private slots:
    void redirectIsAFailureAndNotFollowed_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("status");
        for (const char* host : { "127.0.0.1", "localhost" })
            for (int status : { 301, 302, 307, 308 })
                QTest::addRow("%s %d", host, status) << QString::fromLatin1(host) << status;
    }
    void redirectIsAFailureAndNotFollowed()
    {
        QFETCH(QString, host);
        QFETCH(int, status);
        QHttpServer elsewhere;
        int elsewhereHits = 0;
        elsewhere.route("/stolen", [&](const QHttpServerRequest&) {
            ++elsewhereHits;
            return QHttpServerResponse("ok");
        });
        const quint16 elsewherePort = elsewhere.listen(QHostAddress::Any, 0);
        QVERIFY(elsewherePort);

        QHttpServer hook;
        int hookHits = 0;
        const QByteArray target = QStringLiteral("http://%1:%2/stolen").arg(host).arg(elsewherePort).toUtf8();
        hook.route("/hook", [&](const QHttpServerRequest&) {
            ++hookHits;
            QHttpServerResponse r(QByteArray(), static_cast<QHttpServerResponder::StatusCode>(status));
            r.setHeader("Location", target);
            return r;
        });
        const quint16 port = hook.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port);

        RetryPolicy fast;
        fast.baseDelayMs = 20;
        fast.maxDelayMs = 100;
        const WebhookResult r
            = postWebhookBlocking(QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(port)), "{\"text\":\"x\"}", fast);
        QVERIFY(!r.ok);
        QCOMPARE(r.httpStatus, status);
        QCOMPARE(r.attempts, 1); // a redirect is not retried
        QCOMPARE(hookHits, 1);
        // A followed redirect would have reached `elsewhere` before the result was delivered.
        QCOMPARE(elsewhereHits, 0);
    }
};

QTEST_GUILESS_MAIN(TestWebhookRedirect)
#include "tst_webhookredirect.moc"
