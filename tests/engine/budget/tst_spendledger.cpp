// In-run reservations (docs/pricing-and-budgets.md): a call is made only if its worst case fits; measured spend never
// exceeds the cap when every call's output is within its max_tokens.
#include "budget/spendledger.h"
#include "testpaths.h"

#include <QFile>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <random>

using namespace djp;

namespace {

PricingTable testPrices()
{
    QFile f(test::dataDir() + QStringLiteral("/pricing/pricing-test.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return PricingTable::fromJson(f.readAll()).value_or(PricingTable {});
}

} // namespace

class TestSpendLedger : public QObject
{
    Q_OBJECT

private slots:
    void capsFromOptions()
    {
        QCOMPARE(SpendCaps::fromOptions(0.05, 0.02, std::nullopt).usd.value(), 0.02);
        QCOMPARE(SpendCaps::fromOptions(0.01, 0.02, std::nullopt).usd.value(), 0.01);
        QCOMPARE(SpendCaps::fromOptions(std::nullopt, 0.02, std::nullopt).usd.value(), 0.02);
        QCOMPARE(SpendCaps::fromOptions(0.03, std::nullopt, 500).usd.value(), 0.03);
        QCOMPARE(SpendCaps::fromOptions(0.03, std::nullopt, 500).tokens.value(), qint64(500));
        QVERIFY(!SpendCaps::fromOptions(std::nullopt, std::nullopt, std::nullopt).usd);
        QCOMPARE(SpendCaps::fromOptions(-1.0, std::nullopt, std::nullopt).usd.value(), 0.0);
    }

    void reserveSettleRelease()
    {
        SpendLedger ledger(SpendCaps { 0.01, std::nullopt });
        const auto a = ledger.tryReserve(0.006, 100);
        QVERIFY(a);
        QVERIFY(!ledger.tryReserve(0.005, 100)); // 0.006 + 0.005 > 0.01
        QCOMPARE(ledger.snapshot().refused, 1);
        QCOMPARE(ledger.snapshot().reservedUsd, 0.006);
        QCOMPARE(ledger.snapshot().remainingUsd.value(), 0.004);

        QVERIFY(ledger.settle(*a, 0.004, 80));
        QVERIFY(!ledger.settle(*a, 0.004, 80)); // closed
        QCOMPARE(ledger.spentUsd(), 0.004);
        const auto b = ledger.tryReserve(0.006, 10); // 0.004 + 0.006 = 0.01 exactly: allowed
        QVERIFY(b);
        QCOMPARE(ledger.snapshot().remainingUsd.value(), 0.0);
        QVERIFY(!ledger.wouldFit(0.000000001, 0));
        QVERIFY(ledger.release(*b));
        QVERIFY(!ledger.release(*b));
        const LedgerSnapshot s = ledger.snapshot();
        QCOMPARE(s.spentUsd, 0.004);
        QCOMPARE(s.reservedUsd, 0.0);
        QCOMPARE(s.remainingUsd.value(), 0.006);
        QCOMPARE(s.spentTokens, qint64(80));
        QCOMPARE(s.granted, 2);
        QCOMPARE(s.settled, 1);
        QCOMPARE(s.released, 1);
        QCOMPARE(s.refused, 1);
        QCOMPARE(s.openReservations, 0);
        QCOMPARE(s.overruns, 0);
    }

    void tokenCap()
    {
        SpendLedger ledger(SpendCaps { std::nullopt, 1000 });
        const auto a = ledger.tryReserve(5.0, 600);
        QVERIFY(a);
        QVERIFY(!ledger.tryReserve(0.0, 401));
        QVERIFY(ledger.tryReserve(0.0, 400));
        QCOMPARE(ledger.snapshot().remainingTokens.value(), qint64(0));
        QVERIFY(!ledger.snapshot().remainingUsd); // no USD cap
    }

    void zeroCapAllowsOnlyFreeCalls()
    {
        SpendLedger ledger(SpendCaps { 0.0, std::nullopt });
        QVERIFY(!ledger.tryReserve(1e-9, 1));
        QVERIFY(ledger.tryReserve(0.0, 1));
    }

    void noCapNeverRefuses()
    {
        SpendLedger ledger;
        for (int i = 0; i < 100; ++i)
            QVERIFY(ledger.tryReserve(1000.0, 1'000'000));
        QCOMPARE(ledger.snapshot().reservedUsd, 100000.0);
    }

    // Held reservations count against the cap; an overrun past the cap is recorded exactly and then
    // refuses every new reservation, even a free one.
    void heldAndOverrun()
    {
        SpendLedger ledger(SpendCaps::fromOptions(0.01, std::nullopt, std::nullopt));
        const auto a = ledger.tryReserveNano(4'000'000, 10);
        QVERIFY(a);
        QCOMPARE(*ledger.reservation(*a), std::make_pair(qint64(4'000'000), qint64(10)));
        QVERIFY(ledger.hold(*a));
        QVERIFY(!ledger.hold(*a)); // closed
        LedgerSnapshot s = ledger.snapshot();
        QCOMPARE(s.heldNano, qint64(4'000'000));
        QCOMPARE(s.spentNano, qint64(0));
        QCOMPARE(s.held, 1);
        QVERIFY(!ledger.tryReserveNano(6'000'001, 0)); // 0.004 held + 0.006000001 > 0.01
        const auto b = ledger.tryReserveNano(6'000'000, 0);
        QVERIFY(b);
        QVERIFY(!ledger.capExceeded());
        QVERIFY(ledger.settleNano(*b, 20'000'000, 0)); // the provider reported far more than reserved
        s = ledger.snapshot();
        QVERIFY(s.capExceeded);
        QCOMPARE(s.overrunNano, qint64(20'000'000 + 4'000'000 - 10'000'000));
        QCOMPARE(s.overruns, 1);
        QVERIFY(!ledger.tryReserveNano(0, 0)); // nothing starts after an overrun
        QCOMPARE(capUsdToNano(0.3), qint64(300'000'000));
        QCOMPARE(capUsdToNano(0.1 + 0.2), qint64(300'000'000)); // 0.30000000000000004 floors to 0.3
    }

    void overrunIsCounted()
    {
        SpendLedger ledger(SpendCaps { 1.0, std::nullopt });
        const auto a = ledger.tryReserve(0.01, 100);
        QVERIFY(ledger.settle(*a, 0.02, 100)); // the model ignored max_tokens
        QCOMPARE(ledger.snapshot().overruns, 1);
        QCOMPARE(ledger.spentUsd(), 0.02); // the truth is recorded
    }

    void unpricedReservesAtMostExpensivePrice()
    {
        const PricingTable prices = testPrices();
        QVERIFY(!prices.isEmpty());
        // Cap 0.05: unpriced worst case 1000 in + 500 out at 30/75 = 0.03 + 0.0375 = 0.0675 -> refused;
        // the same tokens on gpt-4o (5/15) = 0.005 + 0.0075 = 0.0125 -> granted.
        SpendLedger ledger(SpendCaps { 0.05, std::nullopt });
        QVERIFY(!ledger.tryReserveCall(prices, QStringLiteral("acme/mystery"), 1000, 500));
        const auto id = ledger.tryReserveCall(prices, QStringLiteral("openai/gpt-4o"), 1000, 500);
        QVERIFY(id);
        QCOMPARE(ledger.snapshot().reservedUsd, 0.0125);
        QCOMPARE(ledger.snapshot().reservedTokens, qint64(1500));
        QVERIFY(ledger.settleCall(prices, *id, QStringLiteral("openai/gpt-4o"), 800, 200)); // 0.004 + 0.003
        QCOMPARE(ledger.spentUsd(), 0.007);
        // An unpriced call settles at the fail-safe price too: 100 in + 100 out = 0.003 + 0.0075.
        const auto u = ledger.tryReserveCall(prices, QStringLiteral("acme/mystery"), 100, 100);
        QVERIFY(u);
        QVERIFY(ledger.settleCall(prices, *u, QStringLiteral("acme/mystery"), 100, 100));
        QCOMPARE(ledger.spentUsd(), 0.007 + 0.0105);
    }

    void inputBoundCoversEveryCharacter()
    {
        // UTF-8 bytes + 64: "é" is 2 bytes, "漢" 3 bytes.
        QCOMPARE(inputTokensUpperBound(QStringLiteral("ab"), QString::fromUtf8("é漢")), qint64(2 + 5 + 64));
    }

    // The invariant, property style: over a grid of caps, rosters and max_tokens, simulated runs whose
    // debaters run concurrently (all reserve before any finishes, then finish in random order, retrying
    // in between), followed by the judge. Outcomes are random: success with output <= max_tokens and
    // input <= the reserved bound, failure without usage (released), failure after partial usage.
    // Spent never exceeds the cap, and every refusal is counted.
    void invariantGrid()
    {
        const PricingTable prices = testPrices();
        const std::vector<double> caps { 0.0, 0.0001, 0.001, 0.005, 0.01, 0.02, 0.05, 0.2, 1.0 };
        const std::vector<QStringList> rosters {
            { "openai/gpt-4o-mini" },
            { "openai/gpt-4o", "openai/gpt-4o-mini" },
            { "openai/gpt-4.1", "anthropic/claude-3-5-sonnet-20240620", "google/gemini-1.5-pro", "openai/gpt-4" },
            { "openai/gpt-4o", "acme/unpriced-model", "google/gemini-2.5-flash" },
        };
        const std::vector<int> maxTokens { 200, 800, 1500 };
        const std::vector<std::optional<qint64>> tokenCaps { std::nullopt, 3000 };
        std::mt19937 rng(20250701);
        int runs = 0, totalRefused = 0, totalSettled = 0, maxOpen = 0;

        struct InFlight
        {
            QString label;
            qint64 inputBound;
            int attempt;
            ReservationId id;
        };
        for (double cap : caps) {
            for (const QStringList& roster : rosters) {
                for (int maxOut : maxTokens) {
                    for (const auto& tokenCap : tokenCaps) {
                        for (int seed = 0; seed < 8; ++seed, ++runs) {
                            SpendLedger ledger(SpendCaps { cap, tokenCap });
                            double measuredSum = 0.0;
                            qint64 measuredTokens = 0;
                            int refusedHere = 0;
                            auto checkInvariant = [&] {
                                const LedgerSnapshot s = ledger.snapshot();
                                QVERIFY2(s.spentUsd <= cap,
                                    qPrintable(QStringLiteral("spent %1 > cap %2").arg(s.spentUsd).arg(cap)));
                                QVERIFY(s.spentUsd + s.reservedUsd <= cap + 1e-12);
                                if (tokenCap)
                                    QVERIFY(s.spentTokens + s.reservedTokens <= *tokenCap);
                                maxOpen = std::max(maxOpen, s.openReservations);
                            };
                            // Starts an attempt; false when the ledger refuses (the call ends as skipped_budget).
                            std::vector<InFlight> inFlight;
                            auto start = [&](const QString& label, qint64 inputBound, int attempt) {
                                const auto id = ledger.tryReserveCall(prices, label, inputBound, maxOut);
                                if (!id) {
                                    ++refusedHere;
                                    return;
                                }
                                inFlight.push_back({ label, inputBound, attempt, *id });
                            };
                            auto stage = [&](const QStringList& calls) {
                                for (const QString& label : calls)
                                    start(label, std::uniform_int_distribution<qint64>(50, 2500)(rng), 1);
                                checkInvariant();
                                while (!inFlight.empty()) {
                                    const size_t pick
                                        = std::uniform_int_distribution<size_t>(0, inFlight.size() - 1)(rng);
                                    const InFlight f = inFlight[pick];
                                    inFlight.erase(inFlight.begin() + static_cast<std::ptrdiff_t>(pick));
                                    const int outcome = std::uniform_int_distribution<int>(0, 9)(rng);
                                    if (outcome < 2) { // failed without usage
                                        QVERIFY(ledger.release(f.id));
                                    } else {
                                        const qint64 in = std::uniform_int_distribution<qint64>(1, f.inputBound)(rng);
                                        const qint64 out
                                            = outcome < 4 ? 0 : std::uniform_int_distribution<qint64>(0, maxOut)(rng);
                                        QVERIFY(ledger.settleCall(prices, f.id, f.label, in, out));
                                        measuredSum += prices.failSafeCost(f.label, in, out);
                                        measuredTokens += in + out;
                                    }
                                    checkInvariant();
                                    if (outcome < 4 && f.attempt < 3) // failed: retry
                                        start(f.label, f.inputBound, f.attempt + 1);
                                }
                            };
                            stage(roster); // debaters, concurrently
                            stage({ QStringLiteral("openai/gpt-4o") }); // the judge
                            const LedgerSnapshot s = ledger.snapshot();
                            QVERIFY(measuredSum <= cap + 1e-12);
                            QCOMPARE(s.spentTokens, measuredTokens);
                            QCOMPARE(s.refused, refusedHere);
                            QCOMPARE(s.overruns, 0);
                            QCOMPARE(s.openReservations, 0);
                            QCOMPARE(s.granted, s.settled + s.released);
                            totalRefused += refusedHere;
                            totalSettled += s.settled;
                        }
                    }
                }
            }
        }
        qInfo("%d runs, %d attempts settled, %d refused, up to %d reservations open at once", runs, totalSettled,
            totalRefused, maxOpen);
        // The grid must exercise both sides of the cap, with concurrent reservations.
        QVERIFY(totalRefused > 100);
        QVERIFY(totalSettled > 1000);
        QCOMPARE(maxOpen, 4);
    }

    // Concurrent debaters: reservations from several threads keep the cap.
    void invariantUnderConcurrency()
    {
        constexpr double kCap = 0.5;
        SpendLedger ledger(SpendCaps { kCap, std::nullopt });
        std::atomic<int> refused { 0 }, attempts { 0 };
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 6; ++t) {
            threads.emplace_back(QThread::create([&, t] {
                std::mt19937 rng(1000 + t);
                for (int i = 0; i < 3000; ++i) {
                    const double worst = std::uniform_real_distribution<double>(0.0001, 0.01)(rng);
                    ++attempts;
                    const auto id = ledger.tryReserve(worst, 10);
                    if (!id) {
                        ++refused;
                        continue;
                    }
                    if (rng() % 4 == 0)
                        ledger.release(*id);
                    else
                        ledger.settle(*id, worst * std::uniform_real_distribution<double>(0.0, 1.0)(rng), 5);
                }
            }));
            threads.back()->start();
        }
        for (auto& th : threads)
            QVERIFY(th->wait(30000));
        const LedgerSnapshot s = ledger.snapshot();
        QVERIFY(s.spentUsd <= kCap);
        QCOMPARE(s.refused, refused.load());
        QCOMPARE(s.granted + s.refused, attempts.load());
        QCOMPARE(s.granted, s.settled + s.released);
        QVERIFY(s.refused > 0);
        QVERIFY(s.spentUsd > kCap * 0.9); // the cap was actually approached
    }
};

QTEST_GUILESS_MAIN(TestSpendLedger)
#include "tst_spendledger.moc"
