// Adaptive debater selection (docs/pricing-and-budgets.md): the legacy vendor thresholds and our fit-to-budget dropping.
//
// Fit-to-budget figures (prices of tests/data/pricing/pricing-test.json; debate prompt 1203 chars ->
// 301 in, 800 out; judge openai/gpt-4o with 600 + 1000 chars per draft, 300 out; overhead 0.0025):
//   debate: gpt-4o-mini 0.00052515, gpt-4o 0.013505, sonnet (903 + 12000)/1e6 = 0.012903,
//           gemini-2.5-flash (90.3 + 2000)/1e6 = 0.0020903
//   judge:  4 drafts 1150 in -> 0.01025; 3 drafts 900 -> 0.009; 2 drafts 650 -> 0.00775; 1 draft 400 -> 0.0065
//   roster of 4: 0.00052515 + 0.013505 + 0.012903 + 0.0020903 + 0.01025 + 0.0025 = 0.04177345
//   without gpt-4o:                       0.00052515 + 0.012903 + 0.0020903 + 0.009 + 0.0025 = 0.02701845
//   without gpt-4o and sonnet:            0.00052515 + 0.0020903 + 0.00775 + 0.0025           = 0.01286545
//   mini alone:                           0.00052515 + 0.0065 + 0.0025                         = 0.00952515
#include "budget/debaterselection.h"
#include "testpaths.h"

#include <QFile>
#include <QtTest>

using namespace djp;

Q_DECLARE_METATYPE(std::optional<double>)

namespace {

const QStringList kMixed { "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620", "google/gemini-1.5-pro",
    "openai/gpt-4o-mini", "anthropic/claude-3-haiku-20240307" };
const QStringList kFour { "openai/gpt-4o-mini", "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620",
    "google/gemini-2.5-flash" };

QStringList labelsOf(const std::vector<DroppedDebater>& d)
{
    QStringList out;
    for (const auto& x : d)
        out << x.label;
    return out;
}

} // namespace

class TestDebaterSelection : public QObject
{
    Q_OBJECT

private:
    PricingTable m_prices;

    RosterProjector projector()
    {
        return [this](const QStringList& roster) {
            std::vector<PlannedCall> plan;
            for (const QString& d : roster)
                plan.push_back(
                    PlannedCall::debate(d, QString(203, QLatin1Char('s')), QString(1000, QLatin1Char('u')), 800, 0));
            plan.push_back(PlannedCall::judge(QStringLiteral("openai/gpt-4o"), QString(600, QLatin1Char('j')),
                QString(1000 * roster.size(), QLatin1Char('d')), 1000));
            plan.push_back(PlannedCall::overhead(QStringLiteral("openai/gpt-4o")));
            return project(m_prices, plan);
        };
    }

private slots:
    void initTestCase()
    {
        QFile f(test::dataDir() + QStringLiteral("/pricing/pricing-test.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_prices = PricingTable::fromJson(f.readAll()).value();
    }

    void vendorThresholds_data()
    {
        QTest::addColumn<std::optional<double>>("maxCost");
        QTest::addColumn<bool>("fastpath");
        QTest::addColumn<QStringList>("selected");
        QTest::addColumn<QString>("reason");
        const QStringList openaiOnly { "openai/gpt-4o", "openai/gpt-4o-mini" };
        const QStringList oneOther { "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620", "openai/gpt-4o-mini",
            "anthropic/claude-3-haiku-20240307" };
        QTest::newRow("0.019") << std::optional<double>(0.019) << false << openaiOnly
                               << "max_cost_preferred_vendor_only";
        QTest::newRow("0.02") << std::optional<double>(0.02) << false << oneOther << "max_cost_one_other_vendor";
        QTest::newRow("0.049") << std::optional<double>(0.049) << false << oneOther << "max_cost_one_other_vendor";
        QTest::newRow("0.05") << std::optional<double>(0.05) << false << kMixed << "";
        QTest::newRow("no max") << std::optional<double>() << false << kMixed << "";
        QTest::newRow("fastpath") << std::optional<double>() << true << openaiOnly << "fastpath";
        QTest::newRow("fastpath + 0.03") << std::optional<double>(0.03) << true << openaiOnly << "fastpath";
        QTest::newRow("fastpath + 0.01") << std::optional<double>(0.01) << true << openaiOnly
                                         << "max_cost_preferred_vendor_only";
    }
    void vendorThresholds()
    {
        QFETCH(std::optional<double>, maxCost);
        QFETCH(bool, fastpath);
        QFETCH(QStringList, selected);
        QFETCH(QString, reason);
        DebaterSelectionOptions o;
        o.maxCostUsd = maxCost;
        o.fastpath = fastpath;
        const DebaterSelection s = selectDebaters(kMixed, o, {});
        QCOMPARE(s.selected, selected);
        QCOMPARE(s.dropped.size(), size_t(kMixed.size() - selected.size()));
        for (const auto& d : s.dropped) {
            QCOMPARE(dropReasonName(d.reason), reason);
            QVERIFY(!d.detail.isEmpty());
            QVERIFY(!selected.contains(d.label));
        }
    }

    void preferredVendorIsConfigurable()
    {
        DebaterSelectionOptions o;
        o.preferredVendor = QStringLiteral("anthropic");
        o.maxCostUsd = 0.01;
        QCOMPARE(selectDebaters(kMixed, o, {}).selected,
            QStringList({ "anthropic/claude-3-5-sonnet-20240620", "anthropic/claude-3-haiku-20240307" }));
    }

    void neverBelowOneDebater()
    {
        DebaterSelectionOptions o;
        o.maxCostUsd = 0.01;
        const DebaterSelection s
            = selectDebaters({ "google/gemini-1.5-pro", "anthropic/claude-3-haiku-20240307" }, o, {});
        QCOMPARE(s.selected, QStringList { QStringLiteral("google/gemini-1.5-pro") });
        QCOMPARE(labelsOf(s.dropped), QStringList { QStringLiteral("anthropic/claude-3-haiku-20240307") });
    }

    void fitToBudget_data()
    {
        QTest::addColumn<double>("budget");
        QTest::addColumn<QStringList>("dropped");
        QTest::addColumn<double>("projected");
        QTest::addColumn<bool>("fits");
        QTest::newRow("fits as is") << 0.05 << QStringList() << 0.04177345 << true;
        QTest::newRow("exactly the full roster") << 0.04177345 << QStringList() << 0.04177345 << true;
        QTest::newRow("drop one") << 0.03 << QStringList { "openai/gpt-4o" } << 0.02701845 << true;
        QTest::newRow("exactly after one") << 0.02701845 << QStringList { "openai/gpt-4o" } << 0.02701845 << true;
        QTest::newRow("drop two") << 0.02 << QStringList { "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620" }
                                  << 0.01286545 << true;
        QTest::newRow("down to one, still too dear")
            << 0.001
            << QStringList { "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620", "google/gemini-2.5-flash" }
            << 0.00952515 << false;
    }
    void fitToBudget()
    {
        QFETCH(double, budget);
        QFETCH(QStringList, dropped);
        QFETCH(double, projected);
        QFETCH(bool, fits);
        DebaterSelectionOptions o;
        o.budgetUsd = budget;
        const DebaterSelection s = selectDebaters(kFour, o, projector());
        QCOMPARE(labelsOf(s.dropped), dropped);
        for (const auto& d : s.dropped) {
            QCOMPARE(d.reason, DropReason::OverBudget);
            QVERIFY2(d.detail.contains(QLatin1String("exceeds budget")), qPrintable(d.detail));
        }
        QStringList expected = kFour;
        for (const QString& d : dropped)
            expected.removeOne(d);
        QCOMPARE(s.selected, expected); // roster order kept
        QCOMPARE(s.projectedUsd, projected);
        QCOMPARE(s.fits, fits);
        QCOMPARE(s.limitUsd.value(), budget);
    }

    void dropDetailNamesTheNumbers()
    {
        DebaterSelectionOptions o;
        o.budgetUsd = 0.03;
        const DebaterSelection s = selectDebaters(kFour, o, projector());
        QCOMPARE(s.dropped.size(), size_t(1));
        QCOMPARE(s.dropped[0].detail,
            QStringLiteral("projected cost $0.0418 exceeds budget $0.0300; dearest debater ($0.0135 expected)"));
    }

    // Vendor rule first, then the fit: max_cost 0.04 (< 0.05) drops google; the limit is
    // min(budget 0.03, max_cost 0.04) = 0.03; [mini, gpt-4o, sonnet] = 0.03843315 > 0.03 -> drop gpt-4o;
    // [mini, sonnet] = 0.00052515 + 0.012903 + 0.00775 + 0.0025 = 0.02367815.
    void vendorRuleThenFit()
    {
        DebaterSelectionOptions o;
        o.maxCostUsd = 0.04;
        o.budgetUsd = 0.03;
        const DebaterSelection s = selectDebaters(kFour, o, projector());
        QCOMPARE(s.selected, QStringList({ "openai/gpt-4o-mini", "anthropic/claude-3-5-sonnet-20240620" }));
        QCOMPARE(labelsOf(s.dropped), QStringList({ "google/gemini-2.5-flash", "openai/gpt-4o" }));
        QCOMPARE(s.dropped[0].reason, DropReason::OneOtherVendor);
        QCOMPARE(s.dropped[1].reason, DropReason::OverBudget);
        QCOMPARE(s.projectedUsd, 0.02367815);
        QVERIFY(s.fits);

        // max_cost alone (0.04) is also a limit for the fit: [mini, gpt-4o, sonnet] = 0.03843315 fits.
        o.budgetUsd.reset();
        const DebaterSelection t = selectDebaters(kFour, o, projector());
        QCOMPARE(
            t.selected, QStringList({ "openai/gpt-4o-mini", "openai/gpt-4o", "anthropic/claude-3-5-sonnet-20240620" }));
        QCOMPARE(t.projectedUsd, 0.03843315);
    }

    // Equal costs: the later debater in roster order goes first.
    void tiesDropTheLaterDebater()
    {
        const auto flat = [](const char* label, double usdPerM) {
            PriceRates rates;
            rates.input = rates.output = ratePerMFromUsd(usdPerM);
            return ModelPrice::simple(QString::fromLatin1(label), rates);
        };
        const PricingTable prices = PricingTable::fromEntries(
            { flat("x/a", 1), flat("y/b", 1), flat("z/c", 0.5) }, QStringLiteral("2025-01-01"), QStringLiteral("test"));
        DebaterSelectionOptions o;
        o.budgetUsd = 0.0;
        const DebaterSelection s = selectDebaters({ "x/a", "y/b", "z/c" }, o, [&prices](const QStringList& roster) {
            std::vector<PlannedCall> plan;
            for (const QString& d : roster)
                plan.push_back(PlannedCall::debate(d, {}, QStringLiteral("four"), 100, 0));
            return project(prices, plan);
        });
        QCOMPARE(labelsOf(s.dropped), QStringList({ "y/b", "x/a" }));
        QCOMPARE(s.selected, QStringList { QStringLiteral("z/c") });
        QVERIFY(!s.fits); // budget 0 and a positive projection: the gate will block
    }
};

QTEST_GUILESS_MAIN(TestDebaterSelection)
#include "tst_debaterselection.moc"
