// The contract between the pipeline's prompts/parsers and the simulated provider (docs/providers.md): the
// simulator reads "Required evidence items: N" and "[Draft N]" blocks from our prompts, and its replies
// go through our real parsing, judging and publishing code paths.
#include "pipeline/judge.h"
#include "pipeline/prompts.h"
#include "pipeline/publish.h"
#include "pipeline/replyparse.h"
#include "pipeline/runrequest.h"
#include "providers/simulator.h"

#include <QtTest>

using namespace djp;

class TestSimulatorContract : public QObject
{
    Q_OBJECT

private slots:
    void fullPassThroughSimulator_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("task");
        QTest::newRow("quick") << "quick"
                               << "Explain how photosynthesis turns light into chemical energy";
        QTest::newRow("thorough") << "thorough"
                                  << "Compare solar and wind power for a small town";
        QTest::newRow("research") << "research"
                                  << "Summarise the causes of the 2008 financial crisis in 120 words";
        QTest::newRow("deterministic") << "deterministic"
                                       << "Why is the sky blue?";
    }
    void fullPassThroughSimulator()
    {
        QFETCH(QString, preset);
        QFETCH(QString, task);
        RunRequest req;
        req.task = task;
        req.preset = preset;
        const ResolveResult rr = resolveRunConfig(req);
        QVERIFY(rr.config);
        const RunConfig& cfg = *rr.config;

        const Prompt dp = buildDebatePrompt(cfg.task, cfg.requireCitations);
        std::vector<Draft> drafts;
        for (const QString& label : cfg.debaters) {
            ChatRequest r { "debate", label, dp.system, dp.user, cfg.maxTokens, cfg.temperature, cfg.seed, 60000, {},
                0 };
            const Draft d = parseDraftReply(label, SimulatedProvider::draftText(r));
            QVERIFY2(d.isValid(), qPrintable(label));
            QVERIFY2(!d.safetyFlags.contains("json_parse_error"), qPrintable(d.answer.left(200)));
            QVERIFY(d.evidence.size() >= std::max(2, cfg.requireCitations));
            QVERIFY(d.confidence > 0.0 && d.confidence <= 1.0);
            drafts.push_back(d);
        }

        JudgeContext ctx { cfg.task, drafts, cfg.requireCitations, cfg.policy };
        const auto order = shuffledOrder(int(drafts.size()), quint64(cfg.seed.value_or(7)));
        const Prompt jp = buildJudgePrompt(cfg.task, drafts, order, cfg.requireCitations);
        ChatRequest jr { "judge", cfg.judgeModel, jp.system, jp.user, 1200, cfg.judgeTemperature, cfg.seed, 60000, {},
            0 };
        const JudgePass pass = parseJudgeReply(SimulatedProvider::judgeText(jr), order);
        QVERIFY2(pass.usable, qPrintable(pass.problem));
        QVERIFY2(pass.problem.isEmpty(), qPrintable(pass.problem));
        const JudgeOutcome out = judgeDrafts(ctx, { pass });
        QCOMPARE(out.method, QString("llm"));
        QCOMPARE(out.ranked.size(), drafts.size());
        for (const RankedDraft& r : out.ranked) {
            QCOMPARE(r.score.source, ScoreSource::Llm); // the simulator scored every draft block
            QVERIFY(!r.disqualified);
        }
        const PublishDecision pub = decidePublish(out.ranked, cfg.policy);
        QCOMPARE(pub.status, QString("published"));
        QVERIFY(cfg.policy.allows(pub.provider));
    }
    void simulatorSeesDisplayOrder()
    {
        // Two drafts of very different quality: the simulator's scores must land on the right drafts
        // whatever the shuffled display order.
        Draft good;
        good.label = "openai/gpt-4o";
        QStringList w;
        for (int i = 0; i < 240; ++i)
            w.append(i % 2 ? "photosynthesis" : "chlorophyll");
        good.answer = w.join(' ');
        good.evidence = { "a", "b", "c", "d", "e" };
        Draft poor;
        poor.label = "openai/gpt-4o-mini";
        poor.answer = "Bananas.";
        JudgeContext ctx { "Explain photosynthesis and chlorophyll", { poor, good }, 0, {} };
        for (quint64 seed = 0; seed < 6; ++seed) {
            const auto order = shuffledOrder(2, seed);
            const Prompt jp = buildJudgePrompt(ctx.task, ctx.drafts, order, 0);
            ChatRequest jr { "judge", "openai/gpt-4o", jp.system, jp.user, 1200, 0.1, std::nullopt, 60000, {}, 0 };
            const JudgeOutcome out = judgeDrafts(ctx, { parseJudgeReply(SimulatedProvider::judgeText(jr), order) });
            QCOMPARE(out.ranked.front().draft.label, QString("openai/gpt-4o"));
            QCOMPARE(out.ranked.front().score.source, ScoreSource::Llm);
        }
    }
};

QTEST_GUILESS_MAIN(TestSimulatorContract)
#include "tst_simulatorcontract.moc"
