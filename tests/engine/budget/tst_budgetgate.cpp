// Budget gates (docs/pricing-and-budgets.md): thresholds, exact legacy wording, budget 0, token budgets, the seed
// scenario.
#include "budget/budgetgate.h"
#include "pricing/money.h"
#include "testpaths.h"

#include <QFile>
#include <QtTest>

using namespace djp;

Q_DECLARE_METATYPE(djp::GateStatus)

class TestBudgetGate : public QObject
{
    Q_OBJECT

private slots:
    void usdGate_data()
    {
        QTest::addColumn<double>("projected");
        QTest::addColumn<double>("budget");
        QTest::addColumn<GateStatus>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("well under") << 0.5 << 1.0 << GateStatus::Ok
                                    << "Projected cost $0.5000 is 50% of budget $1.0000";
        QTest::newRow("exactly 90%") << 0.9 << 1.0 << GateStatus::Ok
                                     << "Projected cost $0.9000 is 90% of budget $1.0000";
        // 0.09 / 0.1 is 0.8999999999999999 in binary, 0.27 vs 0.3 * 0.9 is 0.27000000000000002: both on the boundary.
        QTest::newRow("exactly 90% (0.09/0.1)")
            << 0.09 << 0.1 << GateStatus::Ok << "Projected cost $0.0900 is 90% of budget $0.1000";
        QTest::newRow("exactly 90% (0.27/0.3)")
            << 0.27 << 0.3 << GateStatus::Ok << "Projected cost $0.2700 is 90% of budget $0.3000";
        QTest::newRow("just above 90%") << 0.9001 << 1.0 << GateStatus::Warning
                                        << "Projected cost $0.9001 is 90% of budget $1.0000";
        QTest::newRow("95%") << 0.095 << 0.1 << GateStatus::Warning
                             << "Projected cost $0.0950 is 95% of budget $0.1000";
        QTest::newRow("exactly 100%") << 1.0 << 1.0 << GateStatus::Warning
                                      << "Projected cost $1.0000 is 100% of budget $1.0000";
        QTest::newRow("exactly 100% (0.3)")
            << 0.1 + 0.2 << 0.3 << GateStatus::Warning << "Projected cost $0.3000 is 100% of budget $0.3000";
        QTest::newRow("just above 100%") << 1.0001 << 1.0 << GateStatus::Blocked
                                         << "Projected cost $1.0001 exceeds budget $1.0000";
        // Digits are added until the two amounts differ, so the message never reads "$1.0000 exceeds $1.0000".
        QTest::newRow("barely above 100%")
            << 1.00000002 << 1.0 << GateStatus::Blocked << "Projected cost $1.00000002 exceeds budget $1.00000000";
        QTest::newRow("tiny budget") << 0.0602653 << 0.0001 << GateStatus::Blocked
                                     << "Projected cost $0.0603 exceeds budget $0.0001";
        QTest::newRow("tiny projection") << 0.0000123 << 0.01 << GateStatus::Ok
                                         << "Projected cost $0.000012 is 0% of budget $0.010000";
        QTest::newRow("budget 0, zero projection")
            << 0.0 << 0.0 << GateStatus::Ok << "Projected cost $0.0000 is 0% of budget $0.0000";
        QTest::newRow("budget 0, positive projection")
            << 0.0001 << 0.0 << GateStatus::Blocked << "Projected cost $0.0001 exceeds budget $0.0000";
        QTest::newRow("budget 0, tiny projection")
            << 0.00000004 << 0.0 << GateStatus::Blocked << "Projected cost $0.000000040 exceeds budget $0.000000000";
        QTest::newRow("negative budget = 0")
            << 0.01 << -5.0 << GateStatus::Blocked << "Projected cost $0.0100 exceeds budget $0.0000";
    }
    void usdGate()
    {
        QFETCH(double, projected);
        QFETCH(double, budget);
        QFETCH(GateStatus, status);
        QFETCH(QString, message);
        const GateResult r = evaluateGate(projected, 0, Budgets { budget, std::nullopt });
        QCOMPARE(r.status, status);
        QCOMPARE(r.checks.size(), size_t(1));
        QCOMPARE(gateRecordMessage(r.checks[0]), message);
        QCOMPARE(gateRecordMessages(r).isEmpty(), status == GateStatus::Ok);
        QCOMPARE(r.blocked(), status == GateStatus::Blocked);
    }

    void tokenGate_data()
    {
        QTest::addColumn<qint64>("projected");
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<GateStatus>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("exactly 90%") << qint64(900) << qint64(1000) << GateStatus::Ok
                                     << "Projected tokens 900 is 90% of budget 1000 tokens";
        QTest::newRow("just above 90%") << qint64(901) << qint64(1000) << GateStatus::Warning
                                        << "Projected tokens 901 is 90% of budget 1000 tokens";
        QTest::newRow("exactly 100%") << qint64(1000) << qint64(1000) << GateStatus::Warning
                                      << "Projected tokens 1000 is 100% of budget 1000 tokens";
        QTest::newRow("just above 100%") << qint64(1001) << qint64(1000) << GateStatus::Blocked
                                         << "Projected tokens 1001 exceeds budget 1000 tokens";
        QTest::newRow("budget 0, zero") << qint64(0) << qint64(0) << GateStatus::Ok
                                        << "Projected tokens 0 is 0% of budget 0 tokens";
        QTest::newRow("budget 0, one") << qint64(1) << qint64(0) << GateStatus::Blocked
                                       << "Projected tokens 1 exceeds budget 0 tokens";
    }
    void tokenGate()
    {
        QFETCH(qint64, projected);
        QFETCH(qint64, budget);
        QFETCH(GateStatus, status);
        QFETCH(QString, message);
        const GateResult r = evaluateGate(123.0, projected, Budgets { std::nullopt, budget });
        QCOMPARE(r.status, status);
        QCOMPARE(r.checks.size(), size_t(1));
        QCOMPARE(r.checks[0].kind, GateCheck::Kind::Tokens);
        QCOMPARE(gateRecordMessage(r.checks[0]), message);
    }

    void worstOfBothBudgets()
    {
        QCOMPARE(evaluateGate(0.1, 2000, Budgets { 1.0, 1000 }).status, GateStatus::Blocked);
        QCOMPARE(evaluateGate(2.0, 10, Budgets { 1.0, 1000 }).status, GateStatus::Blocked);
        const GateResult w = evaluateGate(0.95, 10, Budgets { 1.0, 1000 });
        QCOMPARE(w.status, GateStatus::Warning);
        QCOMPARE(
            gateRecordMessages(w), QStringList { QStringLiteral("Projected cost $0.9500 is 95% of budget $1.0000") });
        const GateResult both = evaluateGate(2.0, 2000, Budgets { 1.0, 1000 });
        QCOMPARE(gateRecordMessages(both).size(), 2);
        QCOMPARE(both.checks[0].kind, GateCheck::Kind::Usd);
        const GateResult none = evaluateGate(1e9, 1'000'000'000, Budgets {});
        QCOMPARE(none.status, GateStatus::Ok);
        QVERIFY(none.checks.empty());
        QCOMPARE(vocabularyId(GateStatus::Warning), QStringLiteral("warning"));
    }

    // Seed scenario: thorough preset (4 debaters, max_tokens 1500, 2 citations) with budget_usd 0.0001.
    // Hand-computed in tst_projection (presetThorough): expected total $0.0602653.
    void thoroughPresetWithTinyBudgetIsBlocked()
    {
        QFile f(test::dataDir() + QStringLiteral("/pricing/pricing-test.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto prices = PricingTable::fromJson(f.readAll());
        QVERIFY(prices);
        const QString sys(203, QLatin1Char('s')), user(1000, QLatin1Char('u'));
        std::vector<PlannedCall> plan;
        for (const char* d :
            { "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/claude-3-5-sonnet-20240620" })
            plan.push_back(PlannedCall::debate(QString::fromLatin1(d), sys, user, 1500, 2));
        plan.push_back(PlannedCall::judge(
            QStringLiteral("openai/gpt-4o"), QString(600, QLatin1Char('j')), QString(4000, QLatin1Char('d')), 1000));
        plan.push_back(PlannedCall::overhead(QStringLiteral("openai/gpt-4o")));
        const Projection p = project(*prices, plan);
        QCOMPARE(p.total.expectedUsd, 0.0602653);

        const GateResult r = evaluateGate(p, Budgets { 0.0001, std::nullopt });
        QVERIFY(r.blocked());
        QCOMPARE(
            gateRecordMessages(r), QStringList { QStringLiteral("Projected cost $0.0603 exceeds budget $0.0001") });

        // The same with the bundled table: blocked whatever today's prices are, and the message keeps its shape.
        const GateResult bundled
            = evaluateGate(project(PricingTable::bundled(), plan), Budgets { 0.0001, std::nullopt });
        QVERIFY(bundled.blocked());
        QVERIFY(gateRecordMessages(bundled).first().startsWith(QLatin1String("Projected cost $")));
        QVERIFY(gateRecordMessages(bundled).first().endsWith(QLatin1String(" exceeds budget $0.0001")));
    }

    void unpricedModelsAreSaid()
    {
        QFile f(test::dataDir() + QStringLiteral("/pricing/pricing-test.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto prices = PricingTable::fromJson(f.readAll());
        const Projection p = project(
            *prices, { PlannedCall::debate(QStringLiteral("acme/x"), {}, QString(400, QLatin1Char('u')), 100, 0) });
        // (100*30 + 100*75)/1e6 = 0.0105 at the most expensive known prices
        QCOMPARE(p.total.expectedUsd, 0.0105);
        const GateResult r = evaluateGate(p, Budgets { 1.0, std::nullopt });
        QCOMPARE(r.status, GateStatus::Ok);
        QCOMPARE(gateRecordMessages(r),
            QStringList { QStringLiteral("Unpriced models budgeted at the most expensive known price: acme/x") });
    }

    void usdFormatting()
    {
        QCOMPARE(formatUsd(0.0123), QStringLiteral("$0.0123"));
        QCOMPARE(formatUsd(12.5), QStringLiteral("$12.5000"));
        QCOMPARE(formatUsd(0.0001), QStringLiteral("$0.0001"));
        QCOMPARE(formatUsd(0.00001234), QStringLiteral("$0.000012"));
        QCOMPARE(formatUsd(0.0), QStringLiteral("$0.0000"));
        QCOMPARE(formatUsd(std::numeric_limits<double>::infinity()), QStringLiteral("$unknown"));
    }
};

QTEST_GUILESS_MAIN(TestBudgetGate)
#include "tst_budgetgate.moc"
