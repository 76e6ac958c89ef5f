// ProviderHub against providers that misbehave on purpose: redirects to another origin (the key
// must never follow) and replies far larger than any answer could be (cut mid-stream, memory
// bounded). See docs/providers.md, "Hostile replies".
#include "fakeproviderserver.h"
#include "providers/httptransport.h"
#include "providers/providerhub.h"

#include <QTemporaryDir>
#include <QTest>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;

namespace {

ChatRequest request(const QString& label, int maxTokens = 321)
{
    ChatRequest r;
    r.stage = QStringLiteral("debate");
    r.label = label;
    r.system = QStringLiteral("Be brief.");
    r.user = QStringLiteral("Task: say hello");
    r.maxTokens = maxTokens;
    r.timeoutMs = 20000;
    return r;
}

} // namespace

class TestHostileProvider : public QObject
{
    Q_OBJECT
    QTemporaryDir m_config;
    FakeProviderServer* m_server = nullptr;
    FakeProviderServer* m_elsewhere = nullptr;
    qint64 m_now = 0;

    HubOptions options()
    {
        HubOptions o;
        o.loadDotEnv = false;
        o.jitter = [] { return 0.0; };
        o.retry.baseDelayMs = 10;
        o.clock = [this] { return m_now; };
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
    }
    void init()
    {
        m_server = new FakeProviderServer(this);
        m_elsewhere = new FakeProviderServer(this);
        QVERIFY(m_server->listen());
        QVERIFY(m_elsewhere->listen());
        m_server->exportToEnvironment();
    }
    void cleanup()
    {
        delete m_server;
        delete m_elsewhere;
        m_server = m_elsewhere = nullptr;
    }

    void crossOriginRedirectIsNotFollowed_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("targetHost");
        QTest::addColumn<int>("status");
        for (const char* label : { "openai/gpt-4o", "anthropic/claude-3-haiku-20240307", "google/gemini-1.5-pro" }) {
            for (const char* host : { "127.0.0.1", "localhost" }) {
                for (int status : { 307, 308, 302 })
                    QTest::addRow("%s -> %s (%d)", label, host, status)
                        << QString::fromLatin1(label) << QString::fromLatin1(host) << status;
            }
        }
    }
    void crossOriginRedirectIsNotFollowed()
    {
        QFETCH(QString, label);
        QFETCH(QString, targetHost);
        QFETCH(int, status);
        // The target is a working provider on another port: if the redirect were followed, it would
        // answer, and the call would succeed with its reply.
        const QByteArray target = QStringLiteral("http://%1:%2/v1/chat/completions?token=secret-path-part")
                                      .arg(targetHost)
                                      .arg(m_elsewhere->port())
                                      .toUtf8();
        m_server->setDefaultReply(FakeReply::redirect(status, target));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request(label));
        QVERIFY(!res.ok);
        QCOMPARE(res.errorKind, ErrorKind::Redirected);
        QCOMPARE(res.httpStatus.value_or(0), status);
        QCOMPARE(res.attempts.size(), 1u); // not retried
        QCOMPARE(res.attempts[0].errorKind, ErrorKind::Redirected);
        QCOMPARE(errorKindName(res.attempts[0].errorKind), QStringLiteral("redirected"));
        QVERIFY2(res.error.contains(QStringLiteral("redirect")), qPrintable(res.error));
        QVERIFY2(!res.error.contains(QStringLiteral("secret-path-part")), qPrintable(res.error));
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(!m_server->requests()[0].authKey().isEmpty()); // the key did go to the configured origin
        // Had Qt followed the redirect, the second request would have been sent before the result
        // arrived; so this check after the result is a deterministic negative.
        QCOMPARE(m_elsewhere->requestCount(), 0);
    }

    void hugeStreamedReplyIsCut()
    {
        const qint64 twentyMb = 20 * 1024 * 1024;
        m_server->setDefaultReply(FakeReply::huge(twentyMb, false));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o"), {}, 60000);
        QVERIFY2(!res.ok, qPrintable(res.error));
        QCOMPARE(res.errorKind, ErrorKind::ReplyTooLarge);
        QCOMPARE(errorKindName(res.errorKind), QStringLiteral("reply_too_large"));
        QCOMPARE(res.attempts.size(), 1u); // not retried
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY2(res.error.contains(QString::number(replySizeLimitBytes(321))), qPrintable(res.error));
        // The abort closed the connection long before the 20 MB were out: the server's writes stopped
        // at the limit plus what the loopback socket buffers hold, and the reply never completed.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->hugeBytesWritten() > 0, 5000);
        QCOMPARE(m_server->hugeRepliesCompleted(), 0);
        QVERIFY2(
            m_server->hugeBytesWritten() < twentyMb / 2, qPrintable(QString::number(m_server->hugeBytesWritten())));
    }

    void declaredHugeReplyIsRefusedAtTheHeaders()
    {
        const qint64 twentyMb = 20 * 1024 * 1024;
        m_server->setDefaultReply(FakeReply::huge(twentyMb, true));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("anthropic/claude-3-haiku-20240307"), {}, 60000);
        QVERIFY(!res.ok);
        QCOMPARE(res.errorKind, ErrorKind::ReplyTooLarge);
        QVERIFY2(res.error.contains(QStringLiteral("declared %1 bytes").arg(twentyMb)), qPrintable(res.error));
        QCOMPARE(res.attempts.size(), 1u);
        QCOMPARE(m_server->hugeRepliesCompleted(), 0);
        QVERIFY2(
            m_server->hugeBytesWritten() < twentyMb / 2, qPrintable(QString::number(m_server->hugeBytesWritten())));
    }

    void limitGrowsWithMaxTokens()
    {
        QCOMPARE(replySizeLimitBytes(0), 1024 * 1024);
        QCOMPARE(replySizeLimitBytes(800), 1024 * 1024);
        QCOMPARE(replySizeLimitBytes(100000), 6400000);
        // A reply just under the max_tokens-derived limit (and over 1 MiB) is read whole; it is then
        // a malformed body (padding, not JSON), which proves it was not cut.
        const qint64 size = replySizeLimitBytes(100000) - 1000;
        m_server->enqueue(FakeReply::huge(size, false));
        m_server->enqueue(FakeReply::success(QStringLiteral("fine")));
        ProviderHub hub(options());
        const ChatResult res = test::callAndWait(hub, request("openai/gpt-4o", 100000), {}, 60000);
        QVERIFY2(res.ok, qPrintable(res.error));
        QCOMPARE(res.attempts.size(), 2u);
        QCOMPARE(res.attempts[0].errorKind, ErrorKind::MalformedResponse);
        QCOMPARE(m_server->hugeRepliesCompleted(), 1);
        QCOMPARE(m_server->hugeBytesWritten(), size);
    }
};

QTEST_GUILESS_MAIN(TestHostileProvider)
#include "tst_hostileprovider.moc"
