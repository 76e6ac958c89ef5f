// `djp pricing show`, `import FILE` and `quote` end to end (docs/pricing.md), with a temp config dir.
#include "pricing/money.h"
#include "testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

    static QByteArray readFile(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Exact nano-dollars of a JSON number (through its shortest decimal text) or of a decimal string.
    static qint64 nanoOf(double usd) { return djp::scaleDecimal(djp::shortestDecimal(usd), 9).value_or(-1); }
    static qint64 nanoOf(const QString& decimal) { return djp::scaleDecimal(decimal.toStdString(), 9).value_or(-2); }

    QStringList quoteArgs(const QString& label, const QJsonObject& shape, const QString& at)
    {
        return { QStringLiteral("pricing"), QStringLiteral("quote"), label, QStringLiteral("--input"),
            QString::number(shape.value(QStringLiteral("input")).toInteger()), QStringLiteral("--cache-read"),
            QString::number(shape.value(QStringLiteral("cache_read")).toInteger()), QStringLiteral("--cache-write"),
            QString::number(shape.value(QStringLiteral("cache_write")).toInteger()), QStringLiteral("--output"),
            QString::number(shape.value(QStringLiteral("output")).toInteger()), QStringLiteral("--reasoning"),
            QString::number(shape.value(QStringLiteral("reasoning")).toInteger()), QStringLiteral("--at"), at,
            QStringLiteral("--json") };
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QVERIFY2(QFile::exists(djp::test::cliPath()), "DJP_CLI must point at the built djp");
    }
    void cleanup() { QFile::remove(m_config.path() + QStringLiteral("/pricing.json")); }

    // The bundled table against figures worked out by hand from the vendors' list prices
    // (tests/data/pricing/quote-expected.json): >= 15 current models of the three vendors, a small cached
    // call and a 300k-token prompt each.
    void quoteMatchesHandCalculations()
    {
        const QJsonObject data
            = QJsonDocument::fromJson(readFile(djp::test::dataDir() + QStringLiteral("/pricing/quote-expected.json")))
                  .object();
        const QJsonArray models = data.value(QStringLiteral("models")).toArray();
        QVERIFY(models.size() >= 15);
        const QString at = data.value(QStringLiteral("at")).toString();
        const QJsonObject shapes = data.value(QStringLiteral("shapes")).toObject();
        QSet<QString> vendors;
        int quotes = 0;
        for (const auto& mv : models) {
            const QJsonObject m = mv.toObject();
            const QString label = m.value(QStringLiteral("label")).toString();
            const QString vendor = label.section(QLatin1Char('/'), 0, 0);
            vendors.insert(vendor);
            QVERIFY2(!m.value(QStringLiteral("source")).toString().isEmpty(), qPrintable(label));
            for (const auto& qv : m.value(QStringLiteral("quotes")).toArray()) {
                const QJsonObject q = qv.toObject();
                const QString shapeName = q.value(QStringLiteral("shape")).toString();
                const QJsonObject shape = shapes.value(shapeName).toObject().value(vendor).toObject();
                QVERIFY2(!shape.isEmpty(), qPrintable(label + QLatin1Char(' ') + shapeName));
                const Result r = djp(quoteArgs(label, shape, at));
                const QString what = label + QLatin1Char(' ') + shapeName + QLatin1Char(' ') + r.err;
                QVERIFY2(r.code == 0, qPrintable(what));
                const QJsonObject got = QJsonDocument::fromJson(r.out.toUtf8()).object();
                // Exactly the documented keys.
                QCOMPARE(got.keys(), QStringList({ "breakdown", "cost_usd", "model", "pricing_id", "tier" }));
                QCOMPARE(got.value(QStringLiteral("breakdown")).toObject().keys(),
                    QStringList({ "cache_read", "cache_write", "input", "output" }));
                QCOMPARE(got.value(QStringLiteral("model")).toString(), label);
                QCOMPARE(got.value(QStringLiteral("tier")).toString(), q.value(QStringLiteral("tier")).toString());
                const QString expected = q.value(QStringLiteral("cost_usd")).toString();
                const double cost = got.value(QStringLiteral("cost_usd")).toDouble();
                QVERIFY2(nanoOf(cost) == nanoOf(expected),
                    qPrintable(QStringLiteral("%1: got %2, hand calculation %3")
                                   .arg(what, QString::fromStdString(djp::shortestDecimal(cost)), expected)));
                // The printed number is the short decimal, never float noise.
                QVERIFY2(r.out.contains(QStringLiteral("\"cost_usd\":") + expected), qPrintable(r.out));
                // The breakdown adds up to the cost, bucket by bucket in exact nano-dollars.
                qint64 sum = 0;
                const QJsonObject b = got.value(QStringLiteral("breakdown")).toObject();
                for (const QString& k : b.keys())
                    sum += nanoOf(b.value(k).toDouble());
                QCOMPARE(sum, nanoOf(expected));
                ++quotes;
            }
        }
        QCOMPARE(vendors, QSet<QString>({ "openai", "anthropic", "google" }));
        QVERIFY(quotes >= 30);
    }

    void quoteHumanOutputAndHistory()
    {
        // gpt-4o before and after its 2024-10-01 price cut: 1000 in + 1000 out at 5/15 = $0.02, at 2.5/10 = $0.0125.
        const QStringList base { QStringLiteral("pricing"), QStringLiteral("quote"), QStringLiteral("openai/gpt-4o"),
            QStringLiteral("--input"), QStringLiteral("1000"), QStringLiteral("--output"), QStringLiteral("1000"),
            QStringLiteral("--at") };
        const Result old = djp(base + QStringList { QStringLiteral("2024-09-30") });
        QCOMPARE(old.code, 0);
        QVERIFY2(old.out.startsWith(QLatin1String("openai/gpt-4o: $0.02 at the rates in force on 2024-09-30")),
            qPrintable(old.out));
        QVERIFY(old.out.contains(QLatin1String("legacy seed")));
        const Result now = djp(base + QStringList { QStringLiteral("2024-10-01"), QStringLiteral("--json") });
        QCOMPARE(now.code, 0);
        QVERIFY2(now.out.contains(QLatin1String("\"cost_usd\":0.0125")), qPrintable(now.out));
        // A bare model name resolves to its label.
        const Result bare = djp({ QStringLiteral("pricing"), QStringLiteral("quote"), QStringLiteral("gpt-4o"),
            QStringLiteral("--input"), QStringLiteral("10"), QStringLiteral("--json") });
        QCOMPARE(bare.code, 0);
        QVERIFY(bare.out.contains(QLatin1String("\"model\":\"openai/gpt-4o\"")));
    }

    void quoteErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QStringList q { QStringLiteral("pricing"), QStringLiteral("quote") };
        QTest::newRow("unpriced") << (q + QStringList { "acme/mystery-1", "--input", "10" }) << 1 << "unpriced";
        QTest::newRow("no input") << (q + QStringList { "openai/gpt-4o", "--output", "10" }) << 2 << "--input";
        QTest::newRow("negative") << (q + QStringList { "openai/gpt-4o", "--input", "-5" }) << 2 << "--input";
        QTest::newRow("not a number") << (q + QStringList { "openai/gpt-4o", "--input", "ten" }) << 2 << "--input";
        QTest::newRow("cache above input")
            << (q + QStringList { "openai/gpt-4o", "--input", "10", "--cache-read", "8", "--cache-write", "3" }) << 2
            << "cannot exceed";
        QTest::newRow("reasoning above output")
            << (q + QStringList { "openai/gpt-4o", "--input", "10", "--output", "5", "--reasoning", "6" }) << 2
            << "--reasoning";
        QTest::newRow("bad date") << (q + QStringList { "openai/gpt-4o", "--input", "10", "--at", "2025-02-30" }) << 2
                                  << "--at";
    }
    void quoteErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Result r = djp(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void showJsonIsTheTable()
    {
        const Result r = djp({ QStringLiteral("pricing"), QStringLiteral("show"), QStringLiteral("--json") });
        QCOMPARE(r.code, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(doc.value(QStringLiteral("id")).toString().contains(QLatin1Char('#')));
        QCOMPARE(doc.value(QStringLiteral("origin")).toString(), QStringLiteral(":/djp/pricing.json"));
        const QJsonObject models = doc.value(QStringLiteral("models")).toObject();
        QVERIFY(models.size() >= 40);
        const QJsonObject sonnet = models.value(QStringLiteral("anthropic/claude-sonnet-4-5")).toObject();
        QCOMPARE(sonnet.value(QStringLiteral("cache_write")).toDouble(), 3.75);
        QCOMPARE(sonnet.value(QStringLiteral("tiers"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("above_input_tokens"))
                     .toInt(),
            200000);
        const QJsonObject gpt4o = models.value(QStringLiteral("openai/gpt-4o")).toObject();
        QCOMPARE(gpt4o.value(QStringLiteral("effective")).toString(), QStringLiteral("2024-10-01"));
        QCOMPARE(gpt4o.value(QStringLiteral("history"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("input"))
                     .toDouble(),
            5.0);
        // The printed table is itself a valid pricing file: as an override it gives the same id.
        QFile f(m_config.path() + QStringLiteral("/pricing.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(r.out.toUtf8());
        f.close();
        const Result again = djp({ QStringLiteral("pricing"), QStringLiteral("show"), QStringLiteral("--json") });
        QCOMPARE(QJsonDocument::fromJson(again.out.toUtf8()).object().value(QStringLiteral("id")),
            doc.value(QStringLiteral("id")));
    }

    void importModelsDevCatalog()
    {
        const QString fixture = djp::test::dataDir() + QStringLiteral("/pricing/modelsdev-sample.json");
        const Result imported = djp({ QStringLiteral("pricing"), QStringLiteral("import"), fixture });
        QCOMPARE(imported.code, 0);
        QVERIFY2(imported.out.contains(QLatin1String("(models.dev)")), qPrintable(imported.out));
        QVERIFY2(imported.out.contains(QLatin1String("Imported 4 models")), qPrintable(imported.out));
        QVERIFY2(imported.out.contains(QLatin1String("skipped 3 (1 without input and output cost, 2 other providers)")),
            qPrintable(imported.out));
        // Cache and tier rates arrive: a 300k prompt on the imported model is priced at its tier.
        const Result q = djp({ QStringLiteral("pricing"), QStringLiteral("quote"),
            QStringLiteral("google/gemini-9-test"), QStringLiteral("--input"), QStringLiteral("300000"),
            QStringLiteral("--cache-read"), QStringLiteral("100000"), QStringLiteral("--output"),
            QStringLiteral("1000"), QStringLiteral("--json") });
        QCOMPARE(q.code, 0);
        // 200,000 × 2.5 = $0.5; 100,000 × 0.25 = $0.025; 1,000 × 15 = $0.015 -> $0.54
        QVERIFY2(q.out.contains(QLatin1String("\"cost_usd\":0.54")), qPrintable(q.out));
        QVERIFY(q.out.contains(QLatin1String("\"tier\":\"above_200000_input_tokens\"")));
        // Anthropic cache write from models.dev: 1000 in of which 1000 written at 3.75 = $0.00375
        const Result w = djp({ QStringLiteral("pricing"), QStringLiteral("quote"),
            QStringLiteral("anthropic/claude-test-9"), QStringLiteral("--input"), QStringLiteral("1000"),
            QStringLiteral("--cache-write"), QStringLiteral("1000"), QStringLiteral("--json") });
        QCOMPARE(w.code, 0);
        QVERIFY2(w.out.contains(QLatin1String("\"cost_usd\":0.00375")), qPrintable(w.out));
        // --format litellm on a models.dev file is a clear error, and nothing is written.
        cleanup();
        const Result wrong = djp({ QStringLiteral("pricing"), QStringLiteral("import"), fixture,
            QStringLiteral("--format"), QStringLiteral("litellm") });
        QCOMPARE(wrong.code, 1);
        QVERIFY(!QFile::exists(m_config.path() + QStringLiteral("/pricing.json")));
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
            QStringLiteral("openai/gpt-4o 2.5 10 1.25 - 2026-09-23 since 2024-10-01, 1 older price"));
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
