// `djp alerts` state per runs folder and window, merged by concurrent writers, and webhook errors
// that never quote the URL (docs/metrics.md, "Alert state"). The built CLI through QProcess with
// temp config dirs; webhooks received on 127.0.0.1 by this process.
#include "clirunner.h"
#include "core/clock.h"
#include "metrics/alertstate.h"
#include "runfixtures.h"
#include "testpaths.h"
#include "webhookreceiver.h"

#include <QDateTime>
#include <QEventLoop>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <memory>

using namespace djp;

namespace {

constexpr qint64 kHour = 3600ll * 1000;

using test::CliResult;

void writeRuns(const QString& dir, int published, int advisory)
{
    QVERIFY(test::writeHourlyRuns(dir, published, advisory));
}

// The webhook of these tests; its path plays a real webhook URL's secret.
struct Receiver : test::WebhookReceiver
{
    Receiver()
        : WebhookReceiver(QStringLiteral("/hook"))
    { }
};

// The secret part of a Slack-style webhook URL; none of it may appear in any output.
const QString kSecretPath = QStringLiteral("/services/T0SECRETTEAM/B0SECRETHOOK/zzSecretToken42xx");
const QStringList kSecretParts { QStringLiteral("services"), QStringLiteral("SECRETTEAM"), QStringLiteral("SECRETHOOK"),
    QStringLiteral("zzSecretToken42xx") };

} // namespace

class TestCliAlertState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_config = m_tmp.filePath(QStringLiteral("config"));
        m_cache = m_tmp.filePath(QStringLiteral("cache"));
    }

    // Folder A fires, folder B is calm, then A again: B never "resolves" A, A is not re-sent.
    void foldersKeepTheirOwnAlerts()
    {
        const QString a = m_tmp.filePath(QStringLiteral("folder-a"));
        const QString b = m_tmp.filePath(QStringLiteral("folder-b"));
        writeRuns(a, 2, 6);
        writeRuns(b, 6, 0);
        Receiver hook;
        QVERIFY(hook.port);
        const QString state = m_tmp.filePath(QStringLiteral("state-ab.json"));
        const auto alerts = [&](const QString& folder, const QString& since = QStringLiteral("all")) {
            return run({ "alerts", "--since", since, "--state-file", state, "--webhook-url", hook.url(), "--runs-dir",
                folder });
        };

        CliResult r = alerts(a);
        QCOMPARE(r.exitCode, 1); // advisory rate 75 %: critical
        QCOMPARE(hook.bodies.size(), 1);
        QVERIFY(hook.bodies[0].contains("Advisory rate"));

        r = alerts(b);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("nothing new to send"), r.out.constData());
        QCOMPARE(hook.bodies.size(), 1);

        r = alerts(a);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("nothing new to send"), r.out.constData());
        QCOMPARE(hook.bodies.size(), 1);
        for (const QByteArray& body : hook.bodies)
            QVERIFY2(!body.contains("RESOLVED"), body.constData());

        // Another window over the same folder is another alert of its own.
        r = alerts(a, QStringLiteral("30d"));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(hook.bodies.size(), 2);

        const auto all = AlertStateFile(state).loadAll();
        QVERIFY(all);
        QCOMPARE(all->size(), size_t(2));
        QVERIFY(all->count(alertScopeForFolder(a, std::nullopt)));
        QVERIFY(all->count(alertScopeForFolder(a, 30 * 24 * kHour)));
        QVERIFY(!all->count(alertScopeForFolder(b, std::nullopt))); // nothing firing there
    }

    // Several `djp alerts` at once on one state file: every writer's scope survives.
    void concurrentWritersMerge()
    {
        constexpr int kWriters = 6;
        Receiver hook;
        QVERIFY(hook.port);
        const QString state = m_tmp.filePath(QStringLiteral("state-concurrent.json"));
        QStringList folders;
        for (int i = 0; i < kWriters; ++i) {
            folders << m_tmp.filePath(QStringLiteral("concurrent-%1").arg(i));
            writeRuns(folders.last(), 1, 5);
        }
        std::vector<std::unique_ptr<QProcess>> procs;
        int finished = 0;
        QEventLoop loop;
        for (const QString& folder : folders) {
            auto p = std::make_unique<QProcess>();
            p->setProcessEnvironment(environment());
            connect(p.get(), &QProcess::finished, &loop, [&] {
                if (++finished == kWriters)
                    loop.quit();
            });
            p->start(djp::test::cliPath(),
                { "alerts", "--since", "all", "--state-file", state, "--webhook-url", hook.url(), "--runs-dir",
                    folder });
            procs.push_back(std::move(p));
        }
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(finished, kWriters);
        for (auto& p : procs)
            QCOMPARE(p->exitCode(), 1);
        QCOMPARE(hook.bodies.size(), kWriters);
        const auto all = AlertStateFile(state).loadAll();
        QVERIFY(all);
        QCOMPARE(all->size(), size_t(kWriters));
        for (const QString& folder : folders) {
            const auto it = all->find(alertScopeForFolder(folder, std::nullopt));
            QVERIFY2(it != all->end(), qPrintable(folder));
            QVERIFY(it->second.firing.count(QStringLiteral("advisory_rate")));
        }
    }

    // In-process writers on threads (one QLockFile each): no lost update across 8 x 10 merges.
    void threadedMergesLoseNothing()
    {
        const QString state = m_tmp.filePath(QStringLiteral("state-threads.json"));
        constexpr int kThreads = 8;
        constexpr int kRounds = 10;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([state, t] {
                const AlertStateFile file(state);
                for (int round = 0; round < kRounds; ++round) {
                    const AlertScope scope { QStringLiteral("folder:/t%1/r%2").arg(t).arg(round),
                        QStringLiteral("all") };
                    AlertState after;
                    after.firing[QStringLiteral("avg_cost")] = { t * 100 + round, AlertSeverity::Warning, 1, 0.5 };
                    QString error;
                    if (!file.merge(scope, {}, after, &error))
                        qWarning("merge failed: %s", qPrintable(error));
                }
            }));
            threads.back()->start();
        }
        for (auto& t : threads)
            QVERIFY(t->wait(60000));
        const auto all = AlertStateFile(state).loadAll();
        QVERIFY(all);
        QCOMPARE(all->size(), size_t(kThreads * kRounds));
        QVERIFY(!QFile::exists(state + QStringLiteral(".lock")));
    }

    // A merge changes only the rules this writer changed.
    void mergeAppliesOnlyTheWritersChange()
    {
        const QString state = m_tmp.filePath(QStringLiteral("state-rules.json"));
        const AlertStateFile file(state);
        const AlertScope scope = alertScopeForFolder(m_tmp.path(), std::nullopt);
        AlertState cli;
        cli.firing[QStringLiteral("failure_rate")] = { 10, AlertSeverity::Critical, 0.5, 0.2 };
        QVERIFY(file.merge(scope, {}, cli));
        // A second writer planned from an empty state and only sent avg_cost: failure_rate stays.
        AlertState gui;
        gui.firing[QStringLiteral("avg_cost")] = { 20, AlertSeverity::Warning, 0.02, 0.01 };
        QVERIFY(file.merge(scope, {}, gui));
        auto loaded = file.load(scope);
        QVERIFY(loaded);
        QCOMPARE(loaded->firing.size(), size_t(2));
        // Resolving avg_cost (it was in "before", not in "after") removes only it.
        QVERIFY(file.merge(scope, gui, {}));
        loaded = file.load(scope);
        QVERIFY(loaded);
        QCOMPARE(loaded->firing.size(), size_t(1));
        QVERIFY(loaded->firing.count(QStringLiteral("failure_rate")));
    }

    // Transport errors never quote the webhook URL: refused connection, connection closed, and a
    // server whose reason phrase echoes the path.
    void webhookErrorsNeverQuoteTheUrl_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::newRow("refused") << "refused";
        QTest::newRow("closed") << "closed";
        QTest::newRow("echoing reason phrase") << "echo";
    }
    void webhookErrorsNeverQuoteTheUrl()
    {
        QFETCH(QString, mode);
        const QString runs = m_tmp.filePath(QStringLiteral("errors-") + mode);
        writeRuns(runs, 1, 5);
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const quint16 port = server.serverPort();
        int connections = 0;
        if (mode == QLatin1String("refused")) {
            server.close();
        } else {
            connect(&server, &QTcpServer::newConnection, &server, [&] {
                while (QTcpSocket* s = server.nextPendingConnection()) {
                    ++connections;
                    if (mode == QLatin1String("closed")) {
                        s->close();
                        s->deleteLater();
                        continue;
                    }
                    connect(s, &QTcpSocket::readyRead, s, [s] {
                        const QByteArray seen = s->property("seen").toByteArray() + s->readAll();
                        s->setProperty("seen", seen);
                        if (!seen.contains("\r\n\r\n") || s->property("answered").toBool())
                            return;
                        s->setProperty("answered", true);
                        s->write("HTTP/1.1 503 no such hook " + kSecretPath.toUtf8()
                            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        s->disconnectFromHost();
                    });
                }
            });
        }
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port) + kSecretPath;
        const CliResult r = run({ "alerts", "--since", "all", "--state-file", m_tmp.filePath("state-errors.json"),
            "--webhook-url", url, "--runs-dir", runs });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("webhook POST to 127.0.0.1 failed"), r.err.constData());
        if (mode != QLatin1String("refused"))
            QVERIFY(connections >= 1);
        if (mode == QLatin1String("echo"))
            QVERIFY2(r.err.contains("HTTP 503"), r.err.constData());
        for (const QString& part : kSecretParts) {
            QVERIFY2(!r.err.contains(part.toUtf8()), qPrintable(mode + ": " + QString::fromUtf8(r.err)));
            QVERIFY2(!r.out.contains(part.toUtf8()), qPrintable(mode + ": " + QString::fromUtf8(r.out)));
        }
    }

private:
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DJP_CONFIG_DIR", m_config);
        env.insert("DJP_CACHE_DIR", m_cache);
        env.insert("DJP_LOG_LEVEL", "info"); // retries are logged at info: they must not quote the URL either
        env.remove("DJP_RUNS_DIR");
        env.remove("WEBHOOK_URL");
        return env;
    }

    // Runs the CLI while this process keeps serving its event loop (the webhook servers live here).
    CliResult run(const QStringList& args) { return test::runCliServingEvents(environment(), args, 60000); }

    QTemporaryDir m_tmp;
    QString m_config, m_cache;
};

QTEST_GUILESS_MAIN(TestCliAlertState)
#include "tst_cli_alertstate.moc"
