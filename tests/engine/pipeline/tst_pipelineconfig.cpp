// Presets, policies and RunRequest -> RunConfig resolution (docs/pipeline.md and docs/cli.md).
#include "pipeline/presets.h"
#include "pipeline/runrequest.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {
const QStringList kOpenAiOnly { "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini" };
}

class TestPipelineConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

    RunConfig resolveOk(const RunRequest& r)
    {
        const ResolveResult res = resolveRunConfig(r);
        if (!res.errors.isEmpty())
            qWarning() << res.errors;
        [&] { QVERIFY(res.config.has_value()); }();
        return res.config.value_or(RunConfig {});
    }

    void writeConfigFile(const QString& rel, const QByteArray& content)
    {
        const QString path = m_config.path() + "/" + rel;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
    }
    void cleanup()
    {
        QDir(m_config.path()).removeRecursively();
        QDir().mkpath(m_config.path());
    }

    void bundledNames()
    {
        QCOMPARE(presetNames(), (QStringList { "deterministic", "quick", "research", "thorough" }));
        QCOMPARE(policyNames(), (QStringList { "none", "openai_only", "openai_preferred" }));
    }

    void presetValues_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("maxTokens");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<bool>("fastpath");
        QTest::addColumn<int>("maxDebaters");
        QTest::addColumn<int>("timeoutS");
        QTest::addColumn<double>("margin");
        QTest::addColumn<int>("citations"); // 0 = none
        QTest::addColumn<qint64>("seed"); // -1 = none
        QTest::addColumn<QString>("policy");
        QTest::newRow("quick") << "quick" << 800 << 0.2 << true << 2 << 60 << 3.0 << 0 << qint64(-1) << "openai_only";
        QTest::newRow("thorough") << "thorough" << 1500 << 0.3 << false << 4 << 300 << 2.0 << 2 << qint64(-1)
                                  << "openai_only";
        QTest::newRow("research") << "research" << 1200 << 0.4 << false << 5 << 240 << 1.0 << 3 << qint64(-1)
                                  << "openai_preferred";
        QTest::newRow("deterministic") << "deterministic" << 1000 << 0.0 << false << 3 << 120 << 2.0 << 0
                                       << qint64(12345) << "openai_only";
    }
    void presetValues()
    {
        QFETCH(QString, name);
        QFETCH(int, maxTokens);
        QFETCH(double, temperature);
        QFETCH(bool, fastpath);
        QFETCH(int, maxDebaters);
        QFETCH(int, timeoutS);
        QFETCH(double, margin);
        QFETCH(int, citations);
        QFETCH(qint64, seed);
        QFETCH(QString, policy);
        RunRequest r;
        r.task = "Explain photosynthesis";
        r.preset = name;
        const RunConfig c = resolveOk(r);
        QCOMPARE(c.presetName, name);
        QCOMPARE(c.maxTokens, maxTokens);
        QCOMPARE(c.temperature, temperature);
        QCOMPARE(c.fastpath, fastpath);
        QCOMPARE(c.maxDebaters, maxDebaters);
        QCOMPARE(c.timeoutS, timeoutS);
        QCOMPARE(c.marginThreshold, margin);
        QCOMPARE(c.requireCitations, citations);
        QCOMPARE(c.seed.has_value(), seed >= 0);
        if (seed >= 0)
            QCOMPARE(*c.seed, seed);
        QCOMPARE(c.policy.name, policy);
        // Roster cut by max_debaters: two OpenAI models first, then Anthropic, then Google.
        const QStringList roster = rundefaults::kRoster;
        QCOMPARE(c.debaters, roster.mid(0, maxDebaters));
        QCOMPARE(c.judgeModel, QString("openai/gpt-4o"));
        QCOMPARE(c.judgeTemperature, 0.1);
        QVERIFY(c.redact);
    }

    void explicitBeatsPreset_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("quick") << "quick";
        QTest::newRow("thorough") << "thorough";
        QTest::newRow("research") << "research";
        QTest::newRow("deterministic") << "deterministic";
    }
    void explicitBeatsPreset()
    {
        QFETCH(QString, preset);
        RunRequest r;
        r.task = "t";
        r.preset = preset;
        r.maxTokens = 333;
        r.temperature = 0.9;
        r.fastpath = false;
        r.maxDebaters = 1;
        r.timeoutS = 7;
        r.marginThreshold = 0.5;
        r.requireCitations = 0;
        r.seed = 42;
        r.policy = "none";
        r.redact = false;
        const RunConfig c = resolveOk(r);
        QCOMPARE(c.maxTokens, 333);
        QCOMPARE(c.temperature, 0.9);
        QCOMPARE(c.fastpath, false);
        QCOMPARE(c.maxDebaters, 1);
        QCOMPARE(c.debaters, QStringList { "openai/gpt-4o" });
        QCOMPARE(c.timeoutS, 7);
        QCOMPARE(c.marginThreshold, 0.5);
        QCOMPARE(c.requireCitations, 0);
        QCOMPARE(c.seed.value_or(-1), qint64(42));
        QCOMPARE(c.policy.name, QString("none"));
        QVERIFY(c.policy.allowedModels.isEmpty());
        QVERIFY(!c.redact);
        QCOMPARE(c.presetName, preset);
    }

    void explicitFastpathTrueBeatsPreset()
    {
        RunRequest r;
        r.task = "t";
        r.preset = "thorough";
        r.fastpath = true;
        r.temperature = 0.0; // an explicit zero is still explicit
        const RunConfig c = resolveOk(r);
        QVERIFY(c.fastpath);
        QCOMPARE(c.temperature, 0.0);
    }

    void manualDefaults()
    {
        RunRequest r;
        r.task = "t";
        const RunConfig c = resolveOk(r);
        QCOMPARE(c.presetName, QString("manual"));
        QCOMPARE(c.policy.name, QString("openai_only"));
        QCOMPARE(c.policy.allowedModels, kOpenAiOnly);
        QCOMPARE(c.debaters, rundefaults::kRoster);
        QCOMPARE(c.requireCitations, 0);
        QVERIFY(!c.seed);
        QVERIFY(!c.grounded());
        QCOMPARE(c.groundedRequired, 0);
    }

    void policies_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("allowed");
        QTest::newRow("none") << "none" << QStringList {};
        QTest::newRow("openai_only") << "openai_only" << kOpenAiOnly;
        QTest::newRow("openai_preferred")
            << "openai_preferred"
            << (kOpenAiOnly + QStringList { "google/gemini-1.5-pro", "anthropic/claude-3-5-sonnet-20240620" });
    }
    void policies()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, allowed);
        QString err;
        const auto p = loadPolicy(name, &err);
        QVERIFY2(p, qPrintable(err));
        QCOMPARE(p->allowedModels, allowed);
        QCOMPARE(p->preferredVendor, QString("openai"));
        QVERIFY(p->origin.startsWith(":/djp/"));
    }

    void explicitModelsAndCaps()
    {
        RunRequest r;
        r.task = "t";
        r.preset = "quick"; // max_debaters 2
        r.models = QStringList { "anthropic/claude-3-haiku-20240307", " openai/gpt-4o ", "google/gemini-1.5-flash",
            "openai/gpt-4o" };
        RunConfig c = resolveOk(r);
        QCOMPARE(c.debaters,
            (QStringList { "anthropic/claude-3-haiku-20240307", "openai/gpt-4o", "google/gemini-1.5-flash" }));
        QCOMPARE(c.maxDebaters, 3);
        QCOMPARE(c.notes.size(), 1);
        r.maxDebaters = 2; // an explicit cap does cut explicit models
        c = resolveOk(r);
        QCOMPARE(c.debaters, (QStringList { "anthropic/claude-3-haiku-20240307", "openai/gpt-4o" }));
        QVERIFY(c.notes.isEmpty());
    }

    void grounding()
    {
        RunRequest r;
        r.task = "t";
        r.groundedCorpus = "/some/folder";
        RunConfig c = resolveOk(r);
        QVERIFY(c.grounded());
        QCOMPARE(c.groundedRequired, 1);
        r.groundedRequired = 3;
        c = resolveOk(r);
        QCOMPARE(c.groundedRequired, 3);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty task") << "task"
                                    << "task is empty";
        QTest::newRow("unknown preset")
            << "preset"
            << "Unknown preset 'fastest' (available: deterministic, quick, research, thorough)";
        QTest::newRow("unknown policy") << "policy"
                                        << "Unknown policy 'anyone'";
        QTest::newRow("bad label") << "models"
                                   << "'gpt-4o' is not a vendor/model label";
        QTest::newRow("temperature") << "temperature"
                                     << "temperature must be between 0 and 2";
        QTest::newRow("max_tokens") << "max_tokens"
                                    << "max_tokens must be between";
        QTest::newRow("debaters") << "max_debaters"
                                  << "max_debaters must be at least 1";
        QTest::newRow("budget") << "budget_usd"
                                << "budget_usd must be a finite number >= 0";
        QTest::newRow("grounded_required alone") << "grounded_required"
                                                 << "--grounded-required needs --grounded-corpus";
        QTest::newRow("path traversal") << "preset_path"
                                        << "Unknown preset '../policies/none'";
    }
    void errors()
    {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        RunRequest r;
        r.task = "t";
        if (field == "task")
            r.task = "   ";
        else if (field == "preset")
            r.preset = "fastest";
        else if (field == "policy")
            r.policy = "anyone";
        else if (field == "models")
            r.models = QStringList { "gpt-4o" };
        else if (field == "temperature")
            r.temperature = 2.5;
        else if (field == "max_tokens")
            r.maxTokens = 0;
        else if (field == "max_debaters")
            r.maxDebaters = 0;
        else if (field == "budget_usd")
            r.budgetUsd = -1;
        else if (field == "grounded_required")
            r.groundedRequired = 2;
        else if (field == "preset_path")
            r.preset = "../policies/none";
        const ResolveResult res = resolveRunConfig(r);
        QVERIFY(!res.config);
        QVERIFY2(res.errors.join('\n').contains(expected), qPrintable(res.errors.join('\n')));
    }

    void budgetZeroIsABudget()
    {
        RunRequest r;
        r.task = "t";
        r.budgetUsd = 0.0;
        r.maxCostUsd = 0.0;
        const RunConfig c = resolveOk(r);
        QVERIFY(c.budgetUsd.has_value());
        QCOMPARE(*c.budgetUsd, 0.0);
        QVERIFY(c.maxCostUsd.has_value());
    }

    void userFilesAddAndOverride()
    {
        writeConfigFile("presets/quick.json", R"({"max_tokens": 999, "policy": "mine"})");
        writeConfigFile("presets/tiny.json", R"({"max_tokens": 64, "max_debaters": 1})");
        writeConfigFile("policies/mine.json", R"({"allowed_models": ["anthropic/claude-3-haiku-20240307"],
                                                  "preferred_vendor": "anthropic"})");
        QVERIFY(presetNames().contains("tiny"));
        QVERIFY(policyNames().contains("mine"));
        RunRequest r;
        r.task = "t";
        r.preset = "quick";
        RunConfig c = resolveOk(r);
        QCOMPARE(c.maxTokens, 999);
        QCOMPARE(c.fastpath, false); // the user file replaces the bundled one entirely (bundled quick: fastpath)
        QCOMPARE(c.policy.name, QString("mine"));
        QCOMPARE(c.policy.preferredVendor, QString("anthropic"));
        r.preset = "tiny";
        c = resolveOk(r);
        QCOMPARE(c.maxTokens, 64);
        QCOMPARE(c.debaters, QStringList { "openai/gpt-4o" });
    }

    void brokenUserPreset()
    {
        writeConfigFile("presets/bad.json", R"({"max_tokens": "lots"})");
        writeConfigFile("presets/notjson.json", "{oops");
        QString err;
        QVERIFY(!loadPreset("bad", &err));
        QVERIFY2(err.contains("max_tokens must be an integer"), qPrintable(err));
        QVERIFY(!loadPreset("notjson", &err));
        QVERIFY2(err.contains("Invalid preset file"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestPipelineConfig)
#include "tst_pipelineconfig.moc"
