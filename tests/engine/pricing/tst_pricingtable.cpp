// Pricing table (docs/pricing-and-budgets.md): bundled table, user override, unpriced state, pricing id, LiteLLM
// import.
#include "pricing/litellmimport.h"
#include "pricing/modelsdevimport.h"
#include "pricing/pricingtable.h"
#include "testpaths.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

class TestPricingTable : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

    QString overridePath() const { return m_config.path() + QStringLiteral("/pricing.json"); }
    void writeOverride(const QByteArray& bytes)
    {
        QFile f(overridePath());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
    }
    static QByteArray readFile(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
    }
    void cleanup() { QFile::remove(overridePath()); }

    void bundledTableHasLegacySeedsAndCurrentModels()
    {
        QString error;
        const PricingTable t = PricingTable::load(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(PricingTable::origin(), QStringLiteral(":/djp/pricing.json"));
        // The legacy seed prices stay reachable: a call dated before any later vendor price change is
        // priced at the seed (the undated oldest period).
        struct Seed
        {
            const char* label;
            double in, out;
        };
        const Seed seeds[] = {
            { "openai/gpt-4", 30, 60 },
            { "openai/gpt-4o", 5, 15 },
            { "openai/gpt-4o-mini", 0.15, 0.6 },
            { "openai/o1-preview", 15, 60 },
            { "openai/o1-mini", 3, 12 },
            { "anthropic/claude-3-5-sonnet-20240620", 3, 15 },
            { "anthropic/claude-3-haiku-20240307", 0.25, 1.25 },
            { "google/gemini-1.5-pro", 3.5, 10.5 },
            { "google/gemini-1.5-flash", 0.075, 0.3 },
        };
        for (const Seed& s : seeds) {
            const ModelPrice* p = t.find(QString::fromLatin1(s.label));
            QVERIFY2(p, s.label);
            const PricePeriod& old = p->at(QDate(2024, 6, 1));
            QCOMPARE(rateToUsdPerM(old.rates.input), s.in);
            QCOMPARE(rateToUsdPerM(old.rates.output), s.out);
        }
        // gpt-4o: 5/15 until 2024-09-30, 2.5/10 (cache read 1.25) from 2024-10-01.
        const ModelPrice* gpt4o = t.find(QStringLiteral("openai/gpt-4o"));
        QCOMPARE(gpt4o->at(QDate(2024, 9, 30)).rates.input, 5'000'000'000LL);
        QCOMPARE(gpt4o->at(QDate(2024, 10, 1)).rates.input, 2'500'000'000LL);
        QCOMPARE(gpt4o->current().rates.output, 10'000'000'000LL);
        QCOMPARE(gpt4o->current().rates.cacheRead.value(), 1'250'000'000LL);
        // Gemini 1.5 Pro: the seed 3.5/10.5 until Google's cut on 2024-10-01.
        QCOMPARE(t.find(QStringLiteral("google/gemini-1.5-pro"))->at(QDate(2024, 10, 1)).rates.input, 1'250'000'000LL);

        // The current families of the three vendors are there, dated, with a source.
        const char* current[] = { "openai/gpt-5", "openai/gpt-5-mini", "openai/gpt-5-nano", "openai/gpt-5.1",
            "openai/gpt-5.2", "openai/gpt-4.1", "openai/gpt-4.1-mini", "openai/gpt-4.1-nano", "openai/o3",
            "openai/o3-mini", "openai/o4-mini", "anthropic/claude-opus-4-1", "anthropic/claude-opus-4-5",
            "anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-0", "anthropic/claude-haiku-4-5",
            "google/gemini-2.0-flash", "google/gemini-2.5-pro", "google/gemini-2.5-flash",
            "google/gemini-2.5-flash-lite", "google/gemini-3-pro-preview", "google/gemini-3-flash-preview" };
        for (const char* label : current) {
            const ModelPrice* p = t.find(QString::fromLatin1(label));
            QVERIFY2(p, label);
            QVERIFY2(!p->updated().isEmpty(), label);
            QVERIFY2(!p->source().isEmpty(), label);
        }
        // Long-context tiers where the vendors have them.
        for (const char* label : { "anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-0",
                 "google/gemini-2.5-pro", "google/gemini-3-pro-preview" }) {
            const ModelPrice* p = t.find(QString::fromLatin1(label));
            QVERIFY2(!p->current().tiers.isEmpty(), label);
            QCOMPARE(p->current().tiers.first().aboveInputTokens, 200'000);
        }
        // Every entry names its source; every non-seed period carries its date.
        for (const ModelPrice& p : t.entries()) {
            for (const PricePeriod& per : p.periods) {
                QVERIFY2(!per.source.isEmpty(), qPrintable(p.label));
                QVERIFY2(
                    !per.updated.isEmpty() || per.source.startsWith(QLatin1String("legacy seed")), qPrintable(p.label));
            }
        }
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}#[0-9a-f]{8}$")).match(t.id()).hasMatch());
        QCOMPARE(t.id().section(QLatin1Char('#'), 0, 0), t.updated());
        QCOMPARE(t.maxInputPrice(), 30.0); // gpt-4
        QCOMPARE(t.maxOutputPrice(), 75.0); // claude-opus-4 (and gpt-6-astra's long-context tier)
    }

    void userOverrideWinsAndChangesId()
    {
        const QString bundledId = PricingTable::load().id();
        writeOverride(R"({"updated":"2030-02-03","source":"mine","models":{"openai/gpt-4o":{"input":1,"output":2}}})");
        QString error;
        const PricingTable t = PricingTable::load(&error);
        QVERIFY(error.isEmpty());
        QCOMPARE(PricingTable::origin(), overridePath());
        QCOMPARE(t.entries().size(), 1);
        QCOMPARE(t.source(), QStringLiteral("mine"));
        QVERIFY(t.id().startsWith(QLatin1String("2030-02-03#")));
        QVERIFY(t.id() != bundledId);
        QCOMPARE(*t.cost(QStringLiteral("openai/gpt-4o"), 1'000'000, 1'000'000), 3.0);
    }

    void brokenOverrideFallsBackToBundledWithError()
    {
        writeOverride(R"({"models":{"openai/gpt-4o":{"input":"cheap","output":2}}})");
        QString error;
        const PricingTable t = PricingTable::load(&error);
        QVERIFY(error.contains(QLatin1String("openai/gpt-4o")));
        QCOMPARE(t.id(), PricingTable::bundled().id());
        QVERIFY(t.find(QStringLiteral("openai/gpt-4")));
    }

    void invalidFilesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("{models:");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no models") << QByteArray(R"({"updated":"x"})");
        QTest::newRow("missing output") << QByteArray(R"({"models":{"a/b":{"input":1}}})");
        QTest::newRow("negative") << QByteArray(R"({"models":{"a/b":{"input":-1,"output":1}}})");
        QTest::newRow("bad cached") << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"cached_input":"x"}}})");
        QTest::newRow("entry not object") << QByteArray(R"({"models":{"a/b":3}})");
    }
    void invalidFilesAreRejected()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!PricingTable::fromJson(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void idIgnoresFormattingButNotPrices()
    {
        const auto a = PricingTable::fromJson(
            R"({"updated":"2025-01-01","source":"s","models":{"x/m":{"input":1,"output":2}}})");
        const auto b = PricingTable::fromJson("{\n  \"models\": { \"x/m\": { \"output\": 2.0, \"input\": 1 } },\n  "
                                              "\"source\": \"s\", \"updated\": \"2025-01-01\"\n}");
        const auto c = PricingTable::fromJson(
            R"({"updated":"2025-01-01","source":"s","models":{"x/m":{"input":1,"output":2.5}}})");
        QVERIFY(a && b && c);
        QCOMPARE(a->id(), b->id());
        QVERIFY(a->id() != c->id());
        QCOMPARE(a->id().left(11), QStringLiteral("2025-01-01#"));
        const auto undated = PricingTable::fromJson(R"({"models":{}})");
        QVERIFY(undated->id().startsWith(QLatin1String("undated#")));
    }

    void lookupByLabelAndBareModel()
    {
        const auto t = PricingTable::fromJson(readFile(test::dataDir() + QStringLiteral("/pricing/pricing-test.json")));
        QVERIFY(t);
        QCOMPARE(t->find(QStringLiteral("openai/gpt-4o"))->label, QStringLiteral("openai/gpt-4o"));
        QCOMPARE(t->find(QStringLiteral("gpt-4o"))->label, QStringLiteral("openai/gpt-4o"));
        QCOMPARE(t->find(QStringLiteral("gemini-2.5-flash"))->label, QStringLiteral("google/gemini-2.5-flash"));
        QVERIFY(!t->find(QStringLiteral("anthropic/gpt-4o"))); // a full label must match exactly
        QVERIFY(!t->find(QStringLiteral("gpt-4o-")));
        QCOMPARE(t->find(QStringLiteral("openai/gpt-4.1"))->current().rates.cacheRead.value(), 500'000'000LL);
        QVERIFY(!t->find(QStringLiteral("openai/gpt-4o"))->current().rates.cacheRead);
    }

    void callCostAndUnpricedState()
    {
        const auto t = PricingTable::fromJson(readFile(test::dataDir() + QStringLiteral("/pricing/pricing-test.json")));
        QVERIFY(t);
        // 1000 * 5 / 1e6 + 500 * 15 / 1e6 = 0.005 + 0.0075
        QCOMPARE(*t->cost(QStringLiteral("openai/gpt-4o"), 1000, 500), 0.0125);
        // 1e6 * 0.15 / 1e6 + 2e6 * 0.6 / 1e6 = 0.15 + 1.2
        QCOMPARE(*t->cost(QStringLiteral("openai/gpt-4o-mini"), 1'000'000, 2'000'000), 1.35);
        QCOMPARE(*t->cost(QStringLiteral("openai/gpt-4o"), 0, 0), 0.0); // priced and free is not unpriced
        QVERIFY(!t->cost(QStringLiteral("acme/mystery-1"), 1000, 500).has_value());
        QVERIFY(!t->isPriced(QStringLiteral("acme/mystery-1")));

        // Fail-safe: the highest input price (gpt-4: 30) and output price (opus: 75), independently.
        bool priced = true;
        QCOMPARE(
            t->failSafeCost(QStringLiteral("acme/mystery-1"), 1000, 500, &priced), (1000 * 30.0 + 500 * 75.0) / 1e6);
        QVERIFY(!priced);
        QCOMPARE(t->failSafeCost(QStringLiteral("openai/gpt-4o"), 1000, 500, &priced), 0.0125);
        QVERIFY(priced);
    }

    void emptyTableMakesUnpricedUnaffordable()
    {
        const auto t = PricingTable::fromJson(R"({"models":{}})");
        QVERIFY(t && t->isEmpty());
        QVERIFY(std::isinf(t->failSafeCost(QStringLiteral("x/y"), 1, 0)));
        QCOMPARE(t->failSafeCost(QStringLiteral("x/y"), 0, 0), 0.0);
    }

    void liteLlmImportConvertsAndMaps()
    {
        const QByteArray bytes = readFile(test::dataDir() + QStringLiteral("/pricing/litellm-sample.json"));
        QVERIFY(!bytes.isEmpty());
        QString error;
        const auto imp = parseLiteLlm(bytes, QStringLiteral("2025-08-01"), &error);
        QVERIFY2(imp, qPrintable(error));
        QStringList labels;
        for (const ModelPrice& p : imp->entries)
            labels << p.label;
        labels.sort();
        QCOMPARE(labels,
            QStringList({ "anthropic/claude-3-5-haiku-20241022", "google/gemini-2.5-flash", "google/gemini-2.5-pro",
                "openai/gpt-4.1-mini", "openai/gpt-4o", "openai/text-embedding-3-small" }));
        QCOMPARE(imp->skippedSampleSpec, 1);
        QCOMPARE(imp->skippedMissingCost, 2); // dall-e-3 (per image), command-r (no output cost)
        QCOMPARE(imp->skippedProvider, 2); // azure, bedrock
        QCOMPARE(imp->skippedDuplicate, 1); // gemini-2.5-pro from Vertex and from the Gemini API
        QCOMPARE(imp->skipped(), 6);

        const PricingTable t
            = PricingTable::fromEntries(imp->entries, QStringLiteral("2025-08-01"), QStringLiteral("t"));
        const ModelPrice* gpt4o = t.find(QStringLiteral("openai/gpt-4o"));
        // 2.5e-06 per token -> exactly 2.5 per 1M (read from the number text, no float noise)
        QCOMPARE(gpt4o->current().rates.input, 2'500'000'000LL);
        QCOMPARE(gpt4o->current().rates.output, 10'000'000'000LL);
        QCOMPARE(gpt4o->current().rates.cacheRead.value(), 1'250'000'000LL);
        QCOMPARE(gpt4o->updated(), QStringLiteral("2025-08-01"));
        QCOMPARE(t.find(QStringLiteral("openai/gpt-4.1-mini"))->current().rates.input, 400'000'000LL);
        QCOMPARE(t.find(QStringLiteral("openai/gpt-4.1-mini"))->current().rates.output, 1'600'000'000LL);
        QCOMPARE(t.find(QStringLiteral("anthropic/claude-3-5-haiku-20241022"))->inputPerM(), 0.8);
        QCOMPARE(t.find(QStringLiteral("anthropic/claude-3-5-haiku-20241022"))->outputPerM(), 4.0);
        QCOMPARE(t.find(QStringLiteral("google/gemini-2.5-flash"))->outputPerM(), 2.5);
        // The Gemini API entry beats the Vertex AI one (1.5 / 12).
        QCOMPARE(t.find(QStringLiteral("google/gemini-2.5-pro"))->inputPerM(), 1.25);
        QCOMPARE(t.find(QStringLiteral("google/gemini-2.5-pro"))->outputPerM(), 10.0);
        QCOMPARE(t.find(QStringLiteral("openai/text-embedding-3-small"))->inputPerM(), 0.02);
        QVERIFY(!t.find(QStringLiteral("azure/gpt-4o")));
    }

    void importKeepsTheOldPriceInTheHistory()
    {
        const auto base = PricingTable::fromJson(R"({"updated":"2025-01-01","models":{
            "openai/gpt-4o":{"input":5,"output":15,"source":"legacy seed"},
            "openai/gpt-4.1-mini":{"input":0.4,"output":1.6,"cache_read":0.1,"updated":"2025-06-01"}}})");
        QVERIFY(base);
        const auto imp = parseLiteLlm(
            readFile(test::dataDir() + QStringLiteral("/pricing/litellm-sample.json")), QStringLiteral("2025-08-01"));
        QVERIFY(imp);
        const PricingTable merged
            = mergePricing(*base, imp->entries, QStringLiteral("2025-08-01"), QStringLiteral("x.json"));
        const ModelPrice* gpt4o = merged.find(QStringLiteral("openai/gpt-4o"));
        QCOMPARE(gpt4o->periods.size(), 2);
        QCOMPARE(gpt4o->current().effective, QDate(2025, 8, 1));
        UsageBuckets u;
        u.inputTokens = 1'000'000;
        // A call made the day before the import keeps the old price; from the import day on, the new one.
        QCOMPARE(merged.priceCall(QStringLiteral("openai/gpt-4o"), u, QDate(2025, 7, 31))->total, 5'000'000'000LL);
        QCOMPARE(merged.priceCall(QStringLiteral("openai/gpt-4o"), u, QDate(2025, 8, 1))->total, 2'500'000'000LL);
        // Same rates: the entry is kept as it was (no new period, its own date).
        const ModelPrice* mini = merged.find(QStringLiteral("openai/gpt-4.1-mini"));
        QCOMPARE(mini->periods.size(), 1);
        QCOMPARE(mini->updated(), QStringLiteral("2025-06-01"));
        // Reloading what would be written keeps the history.
        const auto again = PricingTable::fromJson(merged.toIndentedJson());
        QVERIFY(again);
        QCOMPARE(again->id(), merged.id());
    }

    // Both databases leave out of a long-context tier the rates that do not change: the tier keeps the
    // model's. Tiers come out sorted by threshold, whatever the order of their keys.
    void importedTiersKeepTheRatesTheyLeaveOut()
    {
        const auto lite = parseLiteLlm(R"({"gpt-tiered": {"litellm_provider": "openai",
            "input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06, "cache_read_input_token_cost": 1e-07,
            "cache_creation_input_token_cost": 2e-06,
            "input_cost_per_token_above_256k_tokens": 3e-06, "cache_read_input_token_cost_above_256k_tokens": 3e-07,
            "input_cost_per_token_above_128k_tokens": 2e-06, "output_cost_per_token_above_128k_tokens": 8e-06,
            "output_cost_per_token_above_512k_tokens": 9e-06}})",
            QStringLiteral("2025-08-01"));
        QVERIFY(lite);
        QCOMPARE(lite->entries.size(), 1);
        const PricePeriod& lp = lite->entries.first().current();
        QCOMPARE(lp.rates.input, 1'000'000'000LL);
        QCOMPARE(lp.rates.cacheWrite.value(), 2'000'000'000LL);
        QCOMPARE(lp.tiers.size(), 2); // the 512k tier names no input rate: not a tier
        QCOMPARE(lp.tiers[0].aboveInputTokens, 128'000);
        QCOMPARE(lp.tiers[0].rates.input, 2'000'000'000LL);
        QCOMPARE(lp.tiers[0].rates.output, 8'000'000'000LL);
        QCOMPARE(lp.tiers[0].rates.cacheRead.value(), 100'000'000LL); // the model's
        QCOMPARE(lp.tiers[0].rates.cacheWrite.value(), 2'000'000'000LL); // the model's
        QCOMPARE(lp.tiers[1].aboveInputTokens, 256'000);
        QCOMPARE(lp.tiers[1].rates.input, 3'000'000'000LL);
        QCOMPARE(lp.tiers[1].rates.output, 4'000'000'000LL); // the model's
        QCOMPARE(lp.tiers[1].rates.cacheRead.value(), 300'000'000LL);

        const auto dev = parseModelsDev(R"({"google": {"models": {"gemini-tiered": {"cost": {
            "input": 1, "output": 4, "cache_read": 0.1,
            "context_over_256k": {"cache_read": 0.3},
            "context_over_128k": {"input": 2, "output": 8, "cache_write": 2.5}}}}}})",
            QStringLiteral("2025-08-01"));
        QVERIFY(dev);
        QCOMPARE(dev->entries.size(), 1);
        const PricePeriod& dp = dev->entries.first().current();
        QVERIFY(!dp.rates.cacheWrite);
        QCOMPARE(dp.tiers.size(), 2);
        QCOMPARE(dp.tiers[0].aboveInputTokens, 128'000);
        QCOMPARE(dp.tiers[0].rates.input, 2'000'000'000LL);
        QCOMPARE(dp.tiers[0].rates.output, 8'000'000'000LL);
        QCOMPARE(dp.tiers[0].rates.cacheRead.value(), 100'000'000LL); // the model's
        QCOMPARE(dp.tiers[0].rates.cacheWrite.value(), 2'500'000'000LL);
        QCOMPARE(dp.tiers[1].aboveInputTokens, 256'000);
        QCOMPARE(dp.tiers[1].rates.input, 1'000'000'000LL); // the model's
        QCOMPARE(dp.tiers[1].rates.output, 4'000'000'000LL); // the model's
        QCOMPARE(dp.tiers[1].rates.cacheRead.value(), 300'000'000LL);
        QVERIFY(!dp.tiers[1].rates.cacheWrite); // neither the tier nor the model has one
    }

    void liteLlmImportRejectsNonObjects()
    {
        QString error;
        QVERIFY(!parseLiteLlm("[1,2]", QStringLiteral("d"), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!parseLiteLlm("nope", QStringLiteral("d"), &error));
    }

    void mergeAndWriteUserOverride()
    {
        const PricingTable base = PricingTable::load();
        const auto imp = parseLiteLlm(
            readFile(test::dataDir() + QStringLiteral("/pricing/litellm-sample.json")), QStringLiteral("2025-08-01"));
        QVERIFY(imp);
        const PricingTable merged
            = mergePricing(base, imp->entries, QStringLiteral("2025-08-01"), QStringLiteral("x.json"));
        // text-embedding-3-small is new; the other five are merged into bundled entries.
        QCOMPARE(merged.entries().size(), base.entries().size() + 1);
        QCOMPARE(merged.find(QStringLiteral("openai/gpt-4"))->inputPerM(), 30.0); // kept
        QVERIFY(merged.source().contains(base.id()));
        QVERIFY(merged.id().startsWith(QLatin1String("2025-08-01#")));

        QString error;
        const QString path = writeUserPricing(merged, &error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QCOMPARE(path, overridePath());
        const PricingTable reloaded = PricingTable::load(&error);
        QVERIFY(error.isEmpty());
        QCOMPARE(reloaded.id(), merged.id()); // what was written is exactly what is read back
        QCOMPARE(reloaded.entries().size(), merged.entries().size());
    }
};

QTEST_GUILESS_MAIN(TestPricingTable)
#include "tst_pricingtable.moc"
