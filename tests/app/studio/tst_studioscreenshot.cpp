// djp-studio --screenshot end to end: one PNG per tab, 1400x900, exit 0; unwritable path -> exit 1.
#include "isolatedenv.h"
#include "runfixtures.h"
#include "testclock.h"

#include <QDateTime>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestStudioScreenshot : public QObject
{
    Q_OBJECT
    // Fixtures and the product's time windows share one "now" (faketime may move it).
    djp::test::PinnedClock m_clock;

private:
    djp::test::IsolatedEnvironment m_env;
    QString m_runs;

    int runStudio(const QStringList& args, QByteArray* err = nullptr)
    {
        QProcess p;
        QProcessEnvironment env = m_env.processEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("DJP_NOW"), QString::number(m_clock.nowMs())); // the fixtures' "now"
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DJP_STUDIO_PATH),
            args + QStringList { QStringLiteral("--settings"), m_env.path(QStringLiteral("s.ini")) });
        if (!p.waitForFinished(90000))
            return -1;
        if (err)
            *err = p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_env.isValid());
        m_runs = m_env.path(QStringLiteral("runs"));
        const qint64 now = djp::Clock::nowMs();
        const char* statuses[] = { "published", "advisory_only", "none", "published", "published" };
        for (int i = 0; i < 40; ++i) {
            djp::test::FixtureRun run;
            run.timestampMs = now - qint64(i) * 4 * 3600 * 1000 - 60000;
            run.status = QString::fromLatin1(statuses[i % 5]);
            run.preset = i % 3 ? QStringLiteral("quick") : QStringLiteral("deep");
            run.provider
                = i % 2 ? QStringLiteral("openai/gpt-4o") : QStringLiteral("anthropic/claude-3-5-sonnet-20240620");
            run.cost = 0.001 * (1 + i % 7);
            run.legacy = i % 4 == 0;
            if (run.status != QLatin1String("published"))
                run.reason = i % 2 ? QStringLiteral("low_margin") : QStringLiteral("no_valid_content");
            QVERIFY(!djp::test::writeFixtureRun(m_runs, run).isEmpty());
        }
        djp::test::writeBrokenFiles(m_runs);
    }

    void everyTab_data()
    {
        QTest::addColumn<QString>("tab");
        for (const char* t : { "dashboard", "runs", "inspector", "launch", "alerts" })
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void everyTab()
    {
        QFETCH(QString, tab);
        const QString png = m_env.path(QStringLiteral("shots/%1.png").arg(tab));
        QByteArray err;
        const int code = runStudio(
            { QStringLiteral("--runs-dir"), m_runs, QStringLiteral("--tab"), tab, QStringLiteral("--screenshot"), png },
            &err);
        QVERIFY2(code == 0, err.constData());
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1400, 900));
        // Not a blank canvas: the window drew more than a handful of colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 8, qPrintable(QStringLiteral("%1 colours").arg(colours.size())));
        if (!qEnvironmentVariableIsEmpty("DJP_KEEP_SCREENSHOTS"))
            QFile::copy(png, qEnvironmentVariable("DJP_KEEP_SCREENSHOTS") + QStringLiteral("/%1.png").arg(tab));
    }

    void unwritablePathFails()
    {
        QByteArray err;
        const int code = runStudio({ QStringLiteral("--runs-dir"), m_runs, QStringLiteral("--screenshot"),
                                       QStringLiteral("/proc/no-such-dir/x.png") },
            &err);
        QCOMPARE(code, 1);
        QVERIFY(err.contains("could not write"));
    }

    void unknownTabIsAUsageError() { QCOMPARE(runStudio({ QStringLiteral("--tab"), QStringLiteral("nope") }), 2); }
};

QTEST_MAIN(TestStudioScreenshot)
#include "tst_studioscreenshot.moc"
