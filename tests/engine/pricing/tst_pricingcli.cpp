// `djp pricing show` and `djp pricing import FILE` end to end (SPEC §10), with a temp config dir.
#include "testpaths.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

class TestPricingCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

    struct Result
    {
        int code = -1;
        QString out;
        QString err;
    };

    Result djp(const QStringList& args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DJP_CONFIG_DIR"), m_config.path());
        p.setProcessEnvironment(env);
        p.start(djp::test::cliPath(), args);
        if (!p.waitForFinished(30000))
            return {};
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
    }

    static QString idOf(const QString& showOutput)
    {
        return QRegularExpression(QStringLiteral("^Pricing table (\\S+)"), QRegularExpression::MultilineOption)
            .match(showOutput)
            .captured(1);
    }
    static QString rowOf(const QString& showOutput, const QString& label)
    {
        const auto m
            = QRegularExpression(QStringLiteral("^") + QRegularExpression::escape(label) + QStringLiteral(" .*$"),
                QRegularExpression::MultilineOption)
                  .match(showOutput);
        return m.captured(0).simplified();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QVERIFY2(QFile::exists(djp::test::cliPath()), "DJP_CLI must point at the built djp");
    }

    void showBundledThenImportThenShowOverride()
    {
        const Result shown = djp({ QStringLiteral("pricing"), QStringLiteral("show") });
        QCOMPARE(shown.code, 0);
        const QString bundledId = idOf(shown.out);
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}#[0-9a-f]{8}$")).match(bundledId).hasMatch(),
            qPrintable(shown.out));
        QVERIFY(shown.out.contains(QLatin1String(":/djp/pricing.json")));
        QCOMPARE(rowOf(shown.out, QStringLiteral("openai/gpt-4o")),
            QStringLiteral("openai/gpt-4o 2.5 10 1.25 - 2026-09-23 since 2024-10-01, 1 older price(s)"));
        QCOMPARE(
            rowOf(shown.out, QStringLiteral("openai/gpt-4.1")), QStringLiteral("openai/gpt-4.1 2 8 0.5 - 2026-09-23"));
        // "show" is the default action.
        QCOMPARE(djp({ QStringLiteral("pricing") }).out, shown.out);

        const QString fixture = djp::test::dataDir() + QStringLiteral("/pricing/litellm-sample.json");
        const Result imported = djp({ QStringLiteral("pricing"), QStringLiteral("import"), fixture });
        QCOMPARE(imported.code, 0);
        QVERIFY2(imported.out.contains(QLatin1String("Imported 6 models")), qPrintable(imported.out));
        QVERIFY(imported.out.contains(QLatin1String("skipped 6 (1 sample_spec, 2 without input and output cost, "
                                                    "2 other providers, 1 duplicate labels)")));
        const QString overridePath = m_config.path() + QStringLiteral("/pricing.json");
        QVERIFY(QFile::exists(overridePath));
        QVERIFY(imported.out.contains(overridePath));

        const Result after = djp({ QStringLiteral("pricing"), QStringLiteral("show") });
        QCOMPARE(after.code, 0);
        QVERIFY(after.out.contains(overridePath));
        QVERIFY(idOf(after.out) != bundledId);
        QVERIFY(imported.out.contains(idOf(after.out))); // the import reported the id now in use
        QVERIFY(
            rowOf(after.out, QStringLiteral("openai/gpt-4o")).startsWith(QLatin1String("openai/gpt-4o 2.5 10 1.25 ")));
        QCOMPARE(rowOf(after.out, QStringLiteral("openai/gpt-4")),
            QStringLiteral("openai/gpt-4 30 60 - - 2026-09-23")); // kept
        QVERIFY(!rowOf(after.out, QStringLiteral("openai/text-embedding-3-small")).isEmpty()); // added
        QVERIFY(rowOf(after.out, QStringLiteral("azure/gpt-4o")).isEmpty());
    }

    void errors()
    {
        const Result missing
            = djp({ QStringLiteral("pricing"), QStringLiteral("import"), QStringLiteral("/nonexistent/x.json") });
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains(QLatin1String("cannot read")));
        QCOMPARE(djp({ QStringLiteral("pricing"), QStringLiteral("import") }).code, 2);
        QCOMPARE(djp({ QStringLiteral("pricing"), QStringLiteral("frobnicate") }).code, 2);

        QTemporaryDir dir;
        const QString empty = dir.path() + QStringLiteral("/empty.json");
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"sample_spec": {"input_cost_per_token": 0, "output_cost_per_token": 0}})");
        f.close();
        const Result nothing = djp({ QStringLiteral("pricing"), QStringLiteral("import"), empty });
        QCOMPARE(nothing.code, 1);
        QVERIFY(nothing.out.contains(QLatin1String("Imported 0 models")));
    }
};

QTEST_GUILESS_MAIN(TestPricingCli)
#include "tst_pricingcli.moc"
