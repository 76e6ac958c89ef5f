// Price of a call (docs/pricing.md): the bucket formula, long-context tiers, price history boundaries,
// exact rates, unpriced and fail-safe. Every expected figure below is worked out by hand in the row's
// comment from the rates in tests/data/pricing/pricing-history-tiers.json.
#include "pricing/money.h"
#include "pricing/pricingtable.h"
#include "testpaths.h"

#include <QFile>
#include <QtTest>

using namespace djp;

namespace {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

PricingTable fixture()
{
    QString error;
    const auto t = PricingTable::fromJson(
        readFile(test::dataDir() + QStringLiteral("/pricing/pricing-history-tiers.json")), &error);
    if (!t)
        qFatal("fixture: %s", qPrintable(error));
    return *t;
}

UsageBuckets usage(qint64 in, qint64 cacheRead, qint64 cacheWrite, qint64 out)
{
    UsageBuckets u;
    u.inputTokens = in;
    u.cacheReadTokens = cacheRead;
    u.cacheWriteTokens = cacheWrite;
    u.outputTokens = out;
    return u;
}

} // namespace

class TestPriceCall : public QObject
{
    Q_OBJECT

private slots:
    void priceCall_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("day"); // "" = current rates
        QTest::addColumn<qint64>("in");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        QTest::addColumn<qint64>("out");
        QTest::addColumn<qint64>("expInput");
        QTest::addColumn<qint64>("expCacheRead");
        QTest::addColumn<qint64>("expCacheWrite");
        QTest::addColumn<qint64>("expOutput");
        QTest::addColumn<QString>("tier");

        // 600 × 2.5/1M = $0.0015; 400 × 1.25/1M = $0.0005; 500 × 10/1M = $0.005
        QTest::newRow("gpt-4o cached, today")
            << "openai/gpt-4o"
            << "2026-01-01" << 1000LL << 400LL << 0LL << 500LL << 1'500'000LL << 500'000LL << 0LL << 5'000'000LL << "";
        QTest::newRow("gpt-4o, current when no day")
            << "openai/gpt-4o"
            << "" << 1000LL << 400LL << 0LL << 500LL << 1'500'000LL << 500'000LL << 0LL << 5'000'000LL << "";
        // New price from its effective day on.
        QTest::newRow("gpt-4o on the day of the change")
            << "openai/gpt-4o"
            << "2024-10-01" << 1000LL << 400LL << 0LL << 500LL << 1'500'000LL << 500'000LL << 0LL << 5'000'000LL << "";
        // The day before: legacy 5/15 with no cache rate, so cached reads cost the input rate:
        // 600 × 5/1M = $0.003; 400 × 5/1M = $0.002; 500 × 15/1M = $0.0075
        QTest::newRow("gpt-4o the day before the change") << "openai/gpt-4o"
                                                          << "2024-09-30" << 1000LL << 400LL << 0LL << 500LL
                                                          << 3'000'000LL << 2'000'000LL << 0LL << 7'500'000LL << "";
        // Exactly 200,000 input tokens is not "above": base rates.
        // 40,000 × 3 = $0.12; 150,000 × 0.3 = $0.045; 10,000 × 3.75 = $0.0375; 1,000 × 15 = $0.015
        QTest::newRow("sonnet 4.5 at the tier threshold")
            << "anthropic/claude-sonnet-4-5"
            << "2026-01-01" << 200'000LL << 150'000LL << 10'000LL << 1000LL << 120'000'000LL << 45'000'000LL
            << 37'500'000LL << 15'000'000LL << "";
        // One token more: the tier's rates for the whole call.
        // 40,001 × 6 = $0.240006; 150,000 × 0.6 = $0.09; 10,000 × 7.5 = $0.075; 1,000 × 22.5 = $0.0225
        QTest::newRow("sonnet 4.5 above the tier threshold")
            << "anthropic/claude-sonnet-4-5"
            << "2026-01-01" << 200'001LL << 150'000LL << 10'000LL << 1000LL << 240'006'000LL << 90'000'000LL
            << 75'000'000LL << 22'500'000LL << "above_200000_input_tokens";
        // Tier inside an older period: 200,000 × 2.5 = $0.5; 100,000 × 0.625 = $0.0625; 2,000 × 15 = $0.03
        QTest::newRow("gemini 2.5 pro tier, old period")
            << "google/gemini-2.5-pro"
            << "2025-06-16" << 300'000LL << 100'000LL << 0LL << 2000LL << 500'000'000LL << 62'500'000LL << 0LL
            << 30'000'000LL << "above_200000_input_tokens";
        // Same call from 2025-06-17: cache read 100,000 × 0.25 = $0.025
        QTest::newRow("gemini 2.5 pro tier, new period")
            << "google/gemini-2.5-pro"
            << "2025-06-17" << 300'000LL << 100'000LL << 0LL << 2000LL << 500'000'000LL << 25'000'000LL << 0LL
            << 30'000'000LL << "above_200000_input_tokens";
        // Before every dated period: the oldest known rates (2025-03-25).
        QTest::newRow("gemini 2.5 pro before its first price")
            << "google/gemini-2.5-pro"
            << "2024-01-01" << 300'000LL << 100'000LL << 0LL << 2000LL << 500'000'000LL << 62'500'000LL << 0LL
            << 30'000'000LL << "above_200000_input_tokens";
        // A tier without a cache_write rate bills cache writes at the tier's input rate:
        // 150,000 × 2.5 = $0.375; 50,000 × 0.25 = $0.0125; 50,000 × 2.5 = $0.125; 0 output
        QTest::newRow("gemini 2.5 pro tier cache write at tier input")
            << "google/gemini-2.5-pro"
            << "2026-01-01" << 250'000LL << 50'000LL << 50'000LL << 0LL << 375'000'000LL << 12'500'000LL
            << 125'000'000LL << 0LL << "above_200000_input_tokens";
        // No cache rates at all: cache buckets at the input rate, 0.1/1M = 100 nano per token.
        QTest::newRow("gemini 2.0 flash without cache rates")
            << "google/gemini-2.0-flash"
            << "2026-01-01" << 1000LL << 500LL << 100LL << 0LL << 40'000LL << 50'000LL << 10'000LL << 0LL << "";
        // 0.0375/1M = 37.5 nano per token: one token rounds up to 38 nano.
        QTest::newRow("sub-nano rate rounds up") << "google/gemini-1.5-flash-8b"
                                                 << "" << 1LL << 0LL << 0LL << 0LL << 38LL << 0LL << 0LL << 0LL << "";
        // Old "cached_input" key read as cache_read (0.01/1M = 10 nano/token); 2 × 37.5 = 75 exactly;
        // 1 × 150 output.
        QTest::newRow("cached_input is cache_read")
            << "google/gemini-1.5-flash-8b"
            << "" << 3LL << 1LL << 0LL << 1LL << 75LL << 10LL << 0LL << 150LL << "";
        // More cached than input (a confused vendor): the uncached part is 0, cached still billed.
        QTest::newRow("cached above input")
            << "openai/gpt-4o"
            << "" << 100LL << 150LL << 0LL << 0LL << 0LL << 187'500LL << 0LL << 0LL << "";
        // o3's price cut: 1,000 × 10 = $0.01 + 1,000 × 40 = $0.04 the day before; 2 + 8 ($0.002 + $0.008) from the day.
        QTest::newRow("o3 before its price cut")
            << "openai/o3"
            << "2025-06-09" << 1000LL << 0LL << 0LL << 1000LL << 10'000'000LL << 0LL << 0LL << 40'000'000LL << "";
        QTest::newRow("o3 from its price cut")
            << "openai/o3"
            << "2025-06-10" << 1000LL << 0LL << 0LL << 1000LL << 2'000'000LL << 0LL << 0LL << 8'000'000LL << "";
        QTest::newRow("zero tokens cost zero") << "openai/o3"
                                               << "" << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL << 0LL << "";
    }
    void priceCall()
    {
        QFETCH(QString, label);
        QFETCH(QString, day);
        QFETCH(qint64, in);
        QFETCH(qint64, cacheRead);
        QFETCH(qint64, cacheWrite);
        QFETCH(qint64, out);
        QFETCH(qint64, expInput);
        QFETCH(qint64, expCacheRead);
        QFETCH(qint64, expCacheWrite);
        QFETCH(qint64, expOutput);
        QFETCH(QString, tier);
        const PricingTable t = fixture();
        const QDate date = day.isEmpty() ? QDate() : QDate::fromString(day, Qt::ISODate);
        const auto c = t.priceCall(label, usage(in, cacheRead, cacheWrite, out), date);
        QVERIFY(c);
        QCOMPARE(c->input, expInput);
        QCOMPARE(c->cacheRead, expCacheRead);
        QCOMPARE(c->cacheWrite, expCacheWrite);
        QCOMPARE(c->output, expOutput);
        QCOMPARE(c->total, expInput + expCacheRead + expCacheWrite + expOutput);
        QCOMPARE(c->tier, tier);
        QCOMPARE(c->pricingId, t.id());
        // The fail-safe price of a priced label is its own price.
        bool priced = false;
        const CallPrice f = t.priceCallFailSafe(label, usage(in, cacheRead, cacheWrite, out), date, &priced);
        QVERIFY(priced);
        QCOMPARE(f.total, c->total);
    }

    void reasoningIsPartOfOutput()
    {
        const PricingTable t = fixture();
        UsageBuckets u = usage(1000, 0, 0, 500);
        const auto plain = t.priceCall(QStringLiteral("openai/o3"), u, QDate(2026, 1, 1));
        u.reasoningTokens = 400; // already inside the 500 output tokens
        const auto withReasoning = t.priceCall(QStringLiteral("openai/o3"), u, QDate(2026, 1, 1));
        QVERIFY(plain && withReasoning);
        QCOMPARE(withReasoning->total, plain->total);
        QCOMPARE(withReasoning->output, 4'000'000LL); // 500 × 8/1M
    }

    void unpricedIsAStateAndFailSafeUsesMaxRates()
    {
        const PricingTable t = fixture();
        QVERIFY(!t.priceCall(QStringLiteral("acme/mystery-1"), usage(1000, 0, 0, 100), QDate()).has_value());
        QVERIFY(!t.priceCall(QStringLiteral("anthropic/gpt-4o"), usage(1, 0, 0, 0), QDate())); // label must match
        QVERIFY(t.priceCall(QStringLiteral("gpt-4o"), usage(1, 0, 0, 0), QDate())); // bare model name matches

        // Highest rate per bucket anywhere (periods and tiers): input 10 (o3 before its cut), output 40
        // (same), cache read 5 (gpt-4o's legacy period has no cache rate, so its input rate), cache write
        // 10 (o3's old period, at its input rate).
        const auto& max = t.maxRates();
        QVERIFY(max);
        QCOMPARE(max->input, 10'000'000'000LL);
        QCOMPARE(max->output, 40'000'000'000LL);
        QCOMPARE(max->cacheReadRate(), 5'000'000'000LL);
        QCOMPARE(max->cacheWriteRate(), 10'000'000'000LL);
        bool priced = true;
        // 800 × 10 = $0.008; 100 × 5 = $0.0005; 100 × 10 = $0.001; 100 × 40 = $0.004
        const CallPrice c
            = t.priceCallFailSafe(QStringLiteral("acme/mystery-1"), usage(1000, 100, 100, 100), QDate(), &priced);
        QVERIFY(!priced);
        QCOMPARE(c.total, 13'500'000LL);
        QCOMPARE(c.input, 8'000'000LL);
        QCOMPARE(c.cacheRead, 500'000LL);
        QCOMPARE(c.cacheWrite, 1'000'000LL);
        QCOMPARE(c.output, 4'000'000LL);
        QCOMPARE(c.pricingId, t.id());
        // The 0.1 wrappers agree.
        QCOMPARE(t.failSafeCost(QStringLiteral("acme/mystery-1"), 1000, 100), 0.014); // 1000 × 10 + 100 × 40 per 1M
        QCOMPARE(t.maxInputPrice(), 10.0);
        QCOMPARE(t.maxOutputPrice(), 40.0);
    }

    void emptyTableMakesEverythingUnaffordable()
    {
        const auto t = PricingTable::fromJson(R"({"models":{}})");
        QVERIFY(t);
        bool priced = true;
        const CallPrice c = t->priceCallFailSafe(QStringLiteral("x/y"), usage(10, 0, 0, 1), QDate(), &priced);
        QVERIFY(!priced);
        QVERIFY(c.total >= kNanoUsdSaturation);
        QCOMPARE(t->priceCallFailSafe(QStringLiteral("x/y"), usage(0, 0, 0, 0), QDate()).total, 0LL);
        QVERIFY(!t->maxRates());
    }

    void hugeCallsSaturateInsteadOfOverflowing()
    {
        const PricingTable t = fixture();
        const auto c
            = t.priceCall(QStringLiteral("openai/o3"), usage(std::numeric_limits<qint64>::max() / 2, 0, 0, 1), QDate());
        QVERIFY(c);
        QCOMPARE(c->total, kNanoUsdSaturation);
    }

    void ratesAreReadExactly_data()
    {
        QTest::addColumn<QByteArray>("number");
        QTest::addColumn<qint64>("nanoPerM");
        QTest::newRow("0.075") << QByteArray("0.075") << 75'000'000LL;
        QTest::newRow("0.1") << QByteArray("0.1") << 100'000'000LL;
        QTest::newRow("2.5") << QByteArray("2.5") << 2'500'000'000LL;
        QTest::newRow("int 15") << QByteArray("15") << 15'000'000'000LL;
        QTest::newRow("1.1") << QByteArray("1.1") << 1'100'000'000LL;
        QTest::newRow("0.0375") << QByteArray("0.0375") << 37'500'000LL;
        QTest::newRow("exponent 3.75e-1") << QByteArray("3.75e-1") << 375'000'000LL;
        QTest::newRow("0.30000000000000004 rounds up") << QByteArray("0.30000000000000004") << 300'000'001LL;
    }
    void ratesAreReadExactly()
    {
        QFETCH(QByteArray, number);
        QFETCH(qint64, nanoPerM);
        const auto t
            = PricingTable::fromJson(R"({"models":{"x/m":{"input":)" + number + R"(,"output":)" + number + "}}}");
        QVERIFY(t);
        QCOMPARE(t->find(QStringLiteral("x/m"))->current().rates.input, nanoPerM);
        // Written back and read again, the rate is unchanged.
        const auto again = PricingTable::fromJson(t->toCanonicalJson());
        QVERIFY(again);
        QCOMPARE(again->find(QStringLiteral("x/m"))->current().rates.input, nanoPerM);
        QCOMPARE(again->id(), t->id());
    }

    void historyAndTiersSurviveARoundTrip()
    {
        const PricingTable t = fixture();
        const auto again = PricingTable::fromJson(t.toIndentedJson());
        QVERIFY(again);
        QCOMPARE(again->id(), t.id());
        QCOMPARE(again->entries().size(), t.entries().size());
        for (qsizetype i = 0; i < t.entries().size(); ++i) {
            QCOMPARE(again->entries().at(i).label, t.entries().at(i).label);
            QVERIFY(again->entries().at(i).periods == t.entries().at(i).periods);
        }
        const ModelPrice* gpt4o = t.find(QStringLiteral("openai/gpt-4o"));
        QCOMPARE(gpt4o->periods.size(), 2);
        QCOMPARE(gpt4o->current().effective, QDate(2024, 10, 1));
        QCOMPARE(gpt4o->periods.first().source, QStringLiteral("legacy seed"));
    }

    void invalidTiersAndHistoriesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("tier without threshold")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"tiers":[{"input":2,"output":2}]}}})")
            << "above_input_tokens";
        QTest::newRow("tier zero threshold") << QByteArray(
            R"({"models":{"a/b":{"input":1,"output":1,"tiers":[{"above_input_tokens":0,"input":2,"output":2}]}}})")
                                             << "above_input_tokens";
        QTest::newRow("tier missing output")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"tiers":[{"above_input_tokens":5,"input":2}]}}})")
            << "output";
        QTest::newRow("duplicate tier") << QByteArray(
            R"({"models":{"a/b":{"input":1,"output":1,"tiers":[{"above_input_tokens":5,"input":2,)"
            R"("output":2},{"above_input_tokens":5,"input":3,"output":3}]}}})")
                                        << "two tiers";
        QTest::newRow("tiers not array") << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"tiers":{}}}})")
                                         << "tiers";
        QTest::newRow("history without current effective")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"history":[{"input":2,"output":2}]}}})")
            << "effective";
        QTest::newRow("history newer than current")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"effective":"2025-01-01",)"
                          R"("history":[{"effective":"2025-02-01","input":2,"output":2}]}}})")
            << "not older";
        QTest::newRow("history same day")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"effective":"2025-01-01",)"
                          R"("history":[{"effective":"2024-01-01","input":2,"output":2},)"
                          R"({"effective":"2024-01-01","input":3,"output":3}]}}})")
            << "two prices";
        QTest::newRow("two undated history entries")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"effective":"2025-01-01",)"
                          R"("history":[{"input":2,"output":2},{"input":3,"output":3}]}}})")
            << "oldest";
        QTest::newRow("bad date") << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"effective":"2025-13-01"}}})")
                                  << "effective";
        QTest::newRow("cache_read and cached_input disagree")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"cache_read":0.1,"cached_input":0.2}}})")
            << "cached_input";
        QTest::newRow("negative cache write")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"cache_write":-1}}})") << "cache_write";
        QTest::newRow("history entry bad rate")
            << QByteArray(R"({"models":{"a/b":{"input":1,"output":1,"effective":"2025-01-01",)"
                          R"("history":[{"input":"x","output":2}]}}})")
            << "history 1";
    }
    void invalidTiersAndHistoriesAreRejected()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!PricingTable::fromJson(json, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("a/b")), qPrintable(error));
    }

    void moneyConversionsAreExact()
    {
        QCOMPARE(usdToNanoCeil(0.3), 300'000'000LL);
        QCOMPARE(usdToNanoFloor(0.3), 300'000'000LL);
        QCOMPARE(usdToNanoCeil(0.1 + 0.2), 300'000'001LL); // 0.30000000000000004 really is above 0.3
        QCOMPARE(usdToNanoFloor(0.1 + 0.2), 300'000'000LL);
        QCOMPARE(usdToNanoCeil(1e-12), 1LL);
        QCOMPARE(usdToNanoFloor(1e-12), 0LL);
        QCOMPARE(usdToNanoCeil(-1.0), 0LL);
        QCOMPARE(usdToNanoCeil(std::numeric_limits<double>::infinity()), kNanoUsdSaturation);
        QCOMPARE(nanoToDecimal(43'654'600), QStringLiteral("0.0436546"));
        QCOMPARE(nanoToDecimal(2'500'000'000), QStringLiteral("2.5"));
        QCOMPARE(nanoToDecimal(0), QStringLiteral("0"));
        QCOMPARE(nanoToDecimal(1), QStringLiteral("0.000000001"));
        QCOMPARE(shortestDecimal(nanoToUsd(43'654'600)), std::string("0.0436546"));
        // Summing in nano never shows float noise: 0.1 + 0.2 as nano is 0.3 exactly.
        QCOMPARE(shortestDecimal(nanoToUsd(usdToNanoCeil(0.1) + usdToNanoCeil(0.2))), std::string("0.3"));
        QCOMPARE(scaleDecimal("1.25e-07", 15), std::optional<qint64>(125'000'000));
        QCOMPARE(scaleDecimal("12", 0), std::optional<qint64>(12));
        QVERIFY(!scaleDecimal("-1", 9));
        QVERIFY(!scaleDecimal("1e30", 9));
        QVERIFY(!scaleDecimal("abc", 9));
        QVERIFY(!scaleDecimal("", 9));
    }
};

QTEST_GUILESS_MAIN(TestPriceCall)
#include "tst_pricecall.moc"
