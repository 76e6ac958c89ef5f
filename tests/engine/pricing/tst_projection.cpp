// Projection (docs/pricing-and-budgets.md) checked against hand-computed figures for the four presets of docs/pipeline.md.
//
// Fixed inputs (prices from tests/data/pricing/pricing-test.json, USD per 1M in/out):
//   gpt-4o 5/15, gpt-4o-mini 0.15/0.6, gpt-4.1 2/8, claude-3-5-sonnet 3/15, gemini-1.5-pro 3.5/10.5,
//   gemini-2.5-flash 0.3/2.5; most expensive known: input 30 (gpt-4), output 75 (claude-opus-4).
//   Debate prompt: system 203 chars + user (the task) padded to 1000 chars = 1203 chars -> ceil(1203/4) = 301.
//   Judge prompt: system 600 chars + 1000 chars per expected draft; judge openai/gpt-4o, max output 1000.
//   Overhead: 200 in / 100 out at the judge model (gpt-4o) = (200*5 + 100*15)/1e6 = 0.0025.
//   Worst-case input is the input BOUND, UTF-8 bytes + 64 (the texts are ASCII, so bytes = chars):
//   debate 1203 + 64 = 1267 (citations do not change a bound), judge 600 + 1000 per draft + 64.
#include "pricing/projection.h"
#include "testpaths.h"

#include <QFile>
#include <QtTest>
#include <chrono>

using namespace djp;

namespace {

const QString kJudge = QStringLiteral("openai/gpt-4o");
constexpr int kJudgeMaxOut = 1000;

QString debateSystem()
{
    return QString(203, QLatin1Char('s'));
}
QString debateUser()
{
    QString task = QStringLiteral("Task: compare the energy density of lithium-ion and sodium-ion batteries.");
    return task.leftJustified(1000, QLatin1Char('.'));
}

std::vector<PlannedCall> presetPlan(const QStringList& debaters, int maxTokens, int citations)
{
    std::vector<PlannedCall> plan;
    for (const QString& d : debaters)
        plan.push_back(PlannedCall::debate(d, debateSystem(), debateUser(), maxTokens, citations));
    plan.push_back(PlannedCall::judge(
        kJudge, QString(600, QLatin1Char('j')), QString(1000 * debaters.size(), QLatin1Char('d')), kJudgeMaxOut));
    plan.push_back(PlannedCall::overhead(kJudge));
    return plan;
}

} // namespace

class TestProjection : public QObject
{
    Q_OBJECT

private:
    PricingTable m_prices;

private slots:
    void initTestCase()
    {
        QFile f(test::dataDir() + QStringLiteral("/pricing/pricing-test.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto t = PricingTable::fromJson(f.readAll());
        QVERIFY(t);
        m_prices = *t;
    }

    void tokenFormula_data()
    {
        QTest::addColumn<int>("stage");
        QTest::addColumn<qint64>("chars");
        QTest::addColumn<int>("maxOut");
        QTest::addColumn<int>("citations");
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("expectedOut");
        QTest::addColumn<qint64>("worstOut");
        // input = ceil(chars/4); debate expected out = min(max, 800)
        QTest::newRow("debate plain") << 0 << qint64(1203) << 1500 << 0 << qint64(301) << qint64(800) << qint64(1500);
        QTest::newRow("debate small max") << 0 << qint64(4) << 500 << 0 << qint64(1) << qint64(500) << qint64(500);
        QTest::newRow("debate empty prompt") << 0 << qint64(0) << 800 << 0 << qint64(0) << qint64(800) << qint64(800);
        // 2 citations: +40 %: in ceil(301*1.4 = 421.4) = 422, out 800*1.4 = 1120
        QTest::newRow("debate 2 citations")
            << 0 << qint64(1203) << 1500 << 2 << qint64(422) << qint64(1120) << qint64(1500);
        // 3 citations: +60 %: in ceil(481.6) = 482, out min(1200, 1280) = 1200 (never above the worst case)
        QTest::newRow("debate 3 citations")
            << 0 << qint64(1203) << 1200 << 3 << qint64(482) << qint64(1200) << qint64(1200);
        QTest::newRow("judge") << 1 << qint64(2600) << 1000 << 0 << qint64(650) << qint64(300) << qint64(1000);
        QTest::newRow("judge small max") << 1 << qint64(10) << 200 << 0 << qint64(3) << qint64(200) << qint64(200);
        QTest::newRow("overhead") << 2 << qint64(99999) << 5000 << 0 << qint64(200) << qint64(100) << qint64(100);
    }
    void tokenFormula()
    {
        QFETCH(int, stage);
        QFETCH(qint64, chars);
        QFETCH(int, maxOut);
        QFETCH(int, citations);
        PlannedCall c { static_cast<CallStage>(stage), QStringLiteral("openai/gpt-4o"), chars, maxOut, citations,
            false };
        const TokenEstimate t = estimateTokens(c);
        QTEST(t.input, "input");
        QTEST(t.expectedOutput, "expectedOut");
        QTEST(t.worstOutput, "worstOut");
    }

    // quick: 800 tokens, 2 debaters (fastpath, openai_only): gpt-4o + gpt-4o-mini, no citations.
    //   gpt-4o      in 301, out 800: (301*5 + 800*15)/1e6 = (1505 + 12000)/1e6 = 0.013505 (= worst: max 800)
    //   gpt-4o-mini in 301, out 800: (301*0.15 + 800*0.6)/1e6 = (45.15 + 480)/1e6 = 0.00052515
    //   judge 600+2000 = 2600 chars -> 650 in; expected (650*5 + 300*15)/1e6 = 0.00775,
    //         worst (3250 + 1000*15)/1e6 = 0.01825
    //   expected = 0.013505 + 0.00052515 + 0.00775 + 0.0025 = 0.02428015
    //   worst    = 0.013505 + 0.00052515 + 0.01825 + 0.0025 = 0.03478015
    //   tokens expected 2*(301+800) + (650+300) + 300 = 3452
    //   worst: gpt-4o 1267*5 + 800*15 = 18335 -> 0.018335; mini 1267*0.15 + 800*0.6 = 670.05 -> 0.00067005
    //          judge 2664*5 + 1000*15 = 28320 -> 0.02832; total 0.01900505 + 0.02832 + 0.0025 = 0.04982505
    //          tokens 2*(1267+800) + (2664+1000) + 300 = 8098
    void presetQuick()
    {
        const Projection p = project(m_prices, presetPlan({ "openai/gpt-4o", "openai/gpt-4o-mini" }, 800, 0));
        QVERIFY(p.complete());
        QCOMPARE(p.debate.calls, 2);
        QCOMPARE(p.debate.expectedUsd, 0.013505 + 0.00052515);
        QCOMPARE(p.debate.worstUsd, 0.01900505);
        QCOMPARE(p.judge.expectedUsd, 0.00775);
        QCOMPARE(p.judge.worstUsd, 0.02832);
        QCOMPARE(p.overhead.expectedUsd, 0.0025);
        QCOMPARE(p.overhead.worstUsd, 0.0025);
        QCOMPARE(p.total.expectedUsd, 0.02428015);
        QCOMPARE(p.total.worstUsd, 0.04982505);
        QCOMPARE(p.total.worstNano, qint64(49825050));
        QCOMPARE(p.total.expectedTokens(), qint64(3452));
        QCOMPARE(p.total.worstTokens(), qint64(8098));
        QCOMPARE(p.pricingId, m_prices.id());
    }

    // thorough: 1500 tokens, 4 debaters, 2 citations (+40 %): in 422, expected out 1120, worst 1500.
    //   gpt-4.1  exp (422*2 + 1120*8)    = 844 + 8960    -> 0.009804;  worst 844 + 12000   -> 0.012844
    //   gpt-4o   exp (422*5 + 1120*15)   = 2110 + 16800  -> 0.01891;   worst 2110 + 22500  -> 0.02461
    //   4o-mini  exp (422*0.15 + 1120*0.6) = 63.3 + 672  -> 0.0007353; worst 63.3 + 900    -> 0.0009633
    //   sonnet   exp (422*3 + 1120*15)   = 1266 + 16800  -> 0.018066;  worst 1266 + 22500  -> 0.023766
    //   debate exp 0.0475153, worst 0.0621833
    //   judge 600+4000 chars -> 1150 in: exp (5750 + 4500) -> 0.01025; worst (5750 + 15000) -> 0.02075
    //   expected = 0.0475153 + 0.01025 + 0.0025 = 0.0602653; worst = 0.0621833 + 0.02075 + 0.0025 = 0.0854333
    //   tokens expected 4*(422+1120) + 1450 + 300 = 7918
    //   worst (input bound 1267): 4.1 2534 + 12000 -> 0.014534; 4o 6335 + 22500 -> 0.028835;
    //         mini 190.05 + 900 -> 0.00109005; sonnet 3801 + 22500 -> 0.026301; debate 0.07076005
    //         judge 4664*5 + 15000 -> 0.03832; total 0.07076005 + 0.03832 + 0.0025 = 0.11158005
    //         tokens 4*(1267+1500) + (4664+1000) + 300 = 17032
    void presetThorough()
    {
        const QStringList debaters { "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini",
            "anthropic/claude-3-5-sonnet-20240620" };
        const Projection p = project(m_prices, presetPlan(debaters, 1500, 2));
        QCOMPARE(p.debate.calls, 4);
        QCOMPARE(p.debate.expectedUsd, 0.0475153);
        QCOMPARE(p.debate.worstUsd, 0.07076005);
        QCOMPARE(p.judge.expectedUsd, 0.01025);
        QCOMPARE(p.judge.worstUsd, 0.03832);
        QCOMPARE(p.total.expectedUsd, 0.0602653);
        QCOMPARE(p.total.worstUsd, 0.11158005);
        QCOMPARE(p.total.expectedTokens(), qint64(7918));
        QCOMPARE(p.total.worstTokens(), qint64(17032));
        QCOMPARE(p.debate.expectedInputTokens, qint64(4 * 422));
        QCOMPARE(p.debate.expectedOutputTokens, qint64(4 * 1120));

        // Per model: each priced with its own model, not the dearest (the legacy mistake).
        QCOMPARE(p.debateExpectedUsd(QStringLiteral("openai/gpt-4o-mini")), 0.0007353);
        QCOMPARE(p.debateExpectedUsd(QStringLiteral("openai/gpt-4.1")), 0.009804);
        QCOMPARE(p.byModel.size(), size_t(4));
        QCOMPARE(p.byModel[1].label, QStringLiteral("openai/gpt-4o"));
        // gpt-4o debates and judges and pays the overhead: 0.01891 + 0.01025 + 0.0025
        QCOMPARE(p.byModel[1].cost.expectedUsd, 0.01891 + 0.01025 + 0.0025);
        QCOMPARE(p.byModel[1].cost.calls, 3);
        QCOMPARE(p.byModel[3].cost.worstUsd, 0.026301);
    }

    // research: 1200 tokens, 5 debaters, 3 citations (+60 %): in 482, expected out min(1200, 1280) = 1200 = worst.
    //   gpt-4.1      (482*2 + 1200*8)      = 964 + 9600      -> 0.010564
    //   gpt-4o-mini  (482*0.15 + 1200*0.6) = 72.3 + 720      -> 0.0007923
    //   gemini-1.5-pro (482*3.5 + 1200*10.5) = 1687 + 12600  -> 0.014287
    //   sonnet       (482*3 + 1200*15)     = 1446 + 18000    -> 0.019446
    //   gemini-2.5-flash (482*0.3 + 1200*2.5) = 144.6 + 3000 -> 0.0031446
    //   debate 0.0482339 (expected = worst)
    //   judge 600+5000 chars -> 1400 in: exp (7000 + 4500) -> 0.0115; worst (7000 + 15000) -> 0.022
    //   expected = 0.0482339 + 0.0115 + 0.0025 = 0.0622339; worst = 0.0482339 + 0.022 + 0.0025 = 0.0727339
    //   tokens expected 5*(482+1200) + 1700 + 300 = 10410
    //   worst (input bound 1267): 4.1 2534 + 9600 -> 0.012134; mini 190.05 + 720 -> 0.00091005;
    //         1.5-pro 4434.5 + 12600 -> 0.0170345; sonnet 3801 + 18000 -> 0.021801; 2.5-flash 380.1 + 3000
    //         -> 0.0033801; debate 0.05525965; judge 5664*5 + 15000 -> 0.04332;
    //         total 0.05525965 + 0.04332 + 0.0025 = 0.10107965; tokens 5*(1267+1200) + 6664 + 300 = 19299
    void presetResearch()
    {
        const QStringList debaters { "openai/gpt-4.1", "openai/gpt-4o-mini", "google/gemini-1.5-pro",
            "anthropic/claude-3-5-sonnet-20240620", "google/gemini-2.5-flash" };
        const Projection p = project(m_prices, presetPlan(debaters, 1200, 3));
        QCOMPARE(p.debate.expectedUsd, 0.0482339);
        QCOMPARE(p.debate.worstUsd, 0.05525965);
        QCOMPARE(p.judge.expectedUsd, 0.0115);
        QCOMPARE(p.judge.worstUsd, 0.04332);
        QCOMPARE(p.total.expectedUsd, 0.0622339);
        QCOMPARE(p.total.worstUsd, 0.10107965);
        QCOMPARE(p.total.expectedTokens(), qint64(10410));
        QCOMPARE(p.total.worstTokens(), qint64(19299));
        QCOMPARE(p.debateExpectedUsd(QStringLiteral("google/gemini-1.5-pro")), 0.014287);
    }

    // deterministic: 1000 tokens, 3 debaters, no citations: in 301, expected out 800, worst 1000.
    //   gpt-4.1  exp 602 + 6400 -> 0.007002;       worst 602 + 8000 -> 0.008602
    //   gpt-4o   exp 1505 + 12000 -> 0.013505;     worst 1505 + 15000 -> 0.016505
    //   4o-mini  exp 45.15 + 480 -> 0.00052515;    worst 45.15 + 600 -> 0.00064515
    //   debate exp 0.02103215, worst 0.02575215
    //   judge 600+3000 chars -> 900 in: exp (4500 + 4500) -> 0.009; worst (4500 + 15000) -> 0.0195
    //   expected = 0.02103215 + 0.009 + 0.0025 = 0.03253215; worst = 0.02575215 + 0.0195 + 0.0025 = 0.04775215
    //   tokens expected 3*1101 + 1200 + 300 = 4803
    //   worst (input bound 1267): 4.1 2534 + 8000 -> 0.010534; 4o 6335 + 15000 -> 0.021335;
    //         mini 190.05 + 600 -> 0.00079005; debate 0.03265905; judge 3664*5 + 15000 -> 0.03332;
    //         total 0.06847905; tokens 3*(1267+1000) + 4664 + 300 = 11765
    void presetDeterministic()
    {
        const Projection p
            = project(m_prices, presetPlan({ "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini" }, 1000, 0));
        QCOMPARE(p.debate.expectedUsd, 0.02103215);
        QCOMPARE(p.debate.worstUsd, 0.03265905);
        QCOMPARE(p.judge.expectedUsd, 0.009);
        QCOMPARE(p.judge.worstUsd, 0.03332);
        QCOMPARE(p.total.expectedUsd, 0.03253215);
        QCOMPARE(p.total.worstUsd, 0.06847905);
        QCOMPARE(p.total.expectedTokens(), qint64(4803));
        QCOMPARE(p.total.worstTokens(), qint64(11765));
    }

    // An unpriced debater is projected at the most expensive known price (in 30, out 75) and flagged:
    //   expected (301*30 + 800*75)/1e6 = (9030 + 60000)/1e6 = 0.06903; worst (1267*30 + 1500*75)/1e6 = 0.15051
    void unpricedIsFailSafeAndFlagged()
    {
        std::vector<PlannedCall> plan { PlannedCall::debate(
                                            QStringLiteral("acme/mystery-1"), debateSystem(), debateUser(), 1500, 0),
            PlannedCall::debate(QStringLiteral("acme/mystery-1"), debateSystem(), debateUser(), 1500, 0),
            PlannedCall::overhead(QStringLiteral("openai/gpt-4o")) };
        const Projection p = project(m_prices, plan);
        QVERIFY(!p.complete());
        QCOMPARE(p.unpricedLabels, QStringList { QStringLiteral("acme/mystery-1") }); // listed once
        QCOMPARE(p.calls[0].expectedUsd, 0.06903);
        QCOMPARE(p.calls[0].worstUsd, 0.15051);
        QVERIFY(!p.calls[0].priced);
        QVERIFY(p.calls[2].priced);
        QCOMPARE(p.byModel.size(), size_t(2));
        QVERIFY(!p.byModel[0].priced);
        QCOMPARE(p.total.expectedUsd, 2 * 0.06903 + 0.0025);
        QVERIFY(formatProjection(p).contains(QLatin1String("acme/mystery-1")));
        QVERIFY(formatProjection(p).contains(QLatin1String("most expensive known price")));
    }

    // A possible second judge pass counts in the worst case only.
    void worstCaseOnlyCalls()
    {
        std::vector<PlannedCall> plan { PlannedCall::judge(kJudge, QString(), QString(2600, QLatin1Char('d')), 1000) };
        plan.push_back(plan.front());
        plan.back().worstCaseOnly = true;
        const Projection p = project(m_prices, plan);
        QCOMPARE(p.judge.calls, 1);
        QCOMPARE(p.judge.expectedUsd, 0.00775);
        QCOMPARE(p.judge.worstUsd, 2 * 0.02832); // input bound 2600 + 64
        QCOMPARE(p.total.expectedTokens(), qint64(950));
        QCOMPARE(p.total.worstTokens(), qint64(2 * 3664));
    }

    void formatShowsStagesAndTotals()
    {
        const Projection p = project(m_prices, presetPlan({ "openai/gpt-4o", "openai/gpt-4o-mini" }, 800, 0));
        const QString text = formatProjection(p);
        for (const char* needle :
            { "debate", "judge", "overhead", "total", "$0.0243", "$0.0498", "3452", "8098", "openai/gpt-4o-mini" })
            QVERIFY2(text.contains(QLatin1String(needle)), needle);
    }

    // The launch form re-projects on every change: it must stay in microseconds.
    void projectionIsCheap()
    {
        const auto plan = presetPlan({ "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini",
                                         "anthropic/claude-3-5-sonnet-20240620", "google/gemini-2.5-flash" },
            1200, 3);
        constexpr int kRounds = 2000;
        double sink = 0;
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kRounds; ++i)
            sink += project(m_prices, plan).total.expectedUsd;
        const double usPerCall
            = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / kRounds;
        qInfo("projection of 7 calls: %.2f us", usPerCall);
        QVERIFY(sink > 0);
        QVERIFY2(usPerCall < 200.0, qPrintable(QString::number(usPerCall)));
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
