// Prompts, reply parsing, the judge (LLM + heuristic), citation rule, ranking and second pass
// (docs/pipeline.md).
#include "pipeline/judge.h"
#include "pipeline/prompts.h"
#include "pipeline/replyparse.h"
#include "pipeline/textutil.h"

#include "testjson.h"
#include <QRegularExpression>

#include <QtTest>
#include <set>

using namespace djp;

namespace {

Draft draft(const QString& label, const QString& answer, int evidence, QStringList flags = {})
{
    Draft d;
    d.label = label;
    d.answer = answer;
    for (int i = 0; i < evidence; ++i)
        d.evidence.append(QStringLiteral("Evidence item %1 about the topic").arg(i + 1));
    d.confidence = 0.7;
    d.safetyFlags = flags;
    return d;
}

QString words(int n, const QString& w = QStringLiteral("photosynthesis"))
{
    QStringList l;
    for (int i = 0; i < n; ++i)
        l.append(w);
    return l.join(' ');
}

Policy openaiOnly()
{
    Policy p;
    p.name = "openai_only";
    p.allowedModels = { "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini" };
    return p;
}

// An LLM judge reply scoring display positions 1..n with the given scores.
QString reply(const std::vector<double>& scores, double support = 2)
{
    Json evals = Json::array();
    for (size_t i = 0; i < scores.size(); ++i)
        evals.push_back(Json { { "draft_index", i + 1 }, { "score", scores[i] }, { "reasons", "ok" },
            { "subscores", { { "task_fit", 3 }, { "support", support }, { "clarity", 1 } } } });
    return QString::fromStdString(Json { { "evaluations", evals } }.dump());
}

const RankedDraft& rankedByLabel(const JudgeOutcome& o, const QString& label)
{
    for (const RankedDraft& r : o.ranked)
        if (r.draft.label == label)
            return r;
    qFatal("label not ranked");
}

} // namespace

class TestPipelineJudge : public QObject
{
    Q_OBJECT

private slots:
    // ---- debate prompt --------------------------------------------------------------------------
    void debatePrompt()
    {
        const Prompt p = buildDebatePrompt("Explain photosynthesis", 3);
        QVERIFY(p.user.contains("Task:\nExplain photosynthesis\n"));
        QVERIFY(p.user.contains("\nRequired evidence items: 3\n"));
        QVERIFY(p.user.contains("about 250 words"));
        QVERIFY(p.user.contains("3-5 evidence items"));
        for (const char* key : { "\"answer\"", "\"evidence\"", "\"confidence\"", "\"safety_flags\"" })
            QVERIFY(p.user.contains(key));
        QVERIFY(p.system.contains("JSON"));
        const Prompt none = buildDebatePrompt("Explain photosynthesis in 100 words", 0);
        QVERIFY(!none.user.contains("Required evidence items"));
        QVERIFY(none.user.contains("2-5 evidence items"));
        QVERIFY(!none.user.contains("about 250 words"));
    }
    void debatePromptGrounded()
    {
        std::vector<Source> sources { { 1, "a", "Solar power", "/c/a.md", "Panels convert\nlight." },
            { 2, "b", "Wind power", "/c/b.md", "Turbines spin." } };
        const Prompt p = buildDebatePrompt("Compare solar and wind", 2, sources);
        QVERIFY(p.user.contains("[S1] Solar power: Panels convert light.\n"));
        QVERIFY(p.user.contains("[S2] Wind power: Turbines spin.\n"));
        QVERIFY(p.user.contains("as [S1]"));
        QVERIFY(p.user.contains("Required evidence items: 2"));
    }
    void requestedLength_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<int>("words"); // 0 = not given
        QTest::newRow("plain") << "Explain photosynthesis" << 0;
        QTest::newRow("in N words") << "Explain it in 100 words" << 100;
        QTest::newRow("N-word") << "A 50-word summary of WW2" << 50;
        QTest::newRow("sentences") << "Answer in 3 sentences" << 60;
        QTest::newRow("one sentence") << "Answer in one sentence" << 20;
        QTest::newRow("paragraph") << "Write a paragraph on X" << 120;
        QTest::newRow("version numbers") << "Compare Python 3.12 words" << 0;
    }
    void requestedLength()
    {
        QFETCH(QString, task);
        QFETCH(int, words);
        QCOMPARE(requestedWordCount(task).value_or(0), words);
    }

    // ---- reply parsing ----------------------------------------------------------------------------
    void parseDraft_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("evidence");
        QTest::addColumn<double>("confidence");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<bool>("valid");
        const QString obj
            = J("{'answer': 'Plants make sugar.', 'evidence': ['a', 'b'], 'confidence': 0.8, 'safety_flags': []}");
        QTest::newRow("plain json") << obj << "Plants make sugar." << 2 << 0.8 << QStringList {} << true;
        QTest::newRow("fenced") << "```json\n" + obj + "\n```"
                                << "Plants make sugar." << 2 << 0.8 << QStringList {} << true;
        QTest::newRow("prose around") << "Sure! Here is my answer:\n" + obj + "\nHope it helps {really}."
                                      << "Plants make sugar." << 2 << 0.8 << QStringList {} << true;
        QTest::newRow("braces in strings") << "x {\"answer\": \"use {curly} and \\\"quotes\\\" }\", \"evidence\": "
                                              "[\"e1\", \"e2\"], \"confidence\": 0.6}"
                                           << "use {curly} and \"quotes\" }" << 2 << 0.6 << QStringList {} << true;
        QTest::newRow("earlier non-draft object")
            << J("Format: {'type': 'x'} then {'answer': 'real', 'evidence': [], 'confidence': 0.9}") << "real" << 0
            << 0.9 << QStringList {} << true;
        QTest::newRow("nested draft object")
            << J("{'response': {'answer': 'inner', 'evidence': ['e'], 'confidence': 0.7}}") << "inner" << 1 << 0.7
            << QStringList {} << true;
        QTest::newRow("not json") << "  Plants make sugar from light.  "
                                  << "Plants make sugar from light." << 0 << 0.5 << QStringList { "json_parse_error" }
                                  << true;
        QTest::newRow("broken json") << J("{'answer': 'cut off here") << J("{'answer': 'cut off here") << 0 << 0.5
                                     << QStringList { "json_parse_error" } << true;
        QTest::newRow("fenced prose") << "```\nJust text\n```"
                                      << "Just text" << 0 << 0.5 << QStringList { "json_parse_error" } << true;
        QTest::newRow("wrong types") << J(
            "{'answer': 'A', 'evidence': 'one source', 'confidence': '0.9', 'safety_flags': 'violence'}")
                                     << "A" << 1 << 0.9 << QStringList { "violence", "field_type_coerced" } << true;
        QTest::newRow("evidence objects and numbers")
            << J("{'answer': 'A', 'evidence': [{'source': 'NASA', 'year': 2020}, 42, 'text'], 'confidence': 85}") << "A"
            << 3 << 0.85 << QStringList { "field_type_coerced" } << true;
        QTest::newRow("confidence out of range") << J("{'answer': 'A', 'evidence': [], 'confidence': -3}") << "A" << 0
                                                 << 0.0 << QStringList { "field_type_coerced" } << true;
        QTest::newRow("confidence garbage") << J("{'answer': 'A', 'confidence': 'high'}") << "A" << 0 << 0.5
                                            << QStringList { "field_type_coerced" } << true;
        QTest::newRow("answer not a string")
            << J("{'answer': 42, 'evidence': []}") << "42" << 0 << 0.5 << QStringList { "field_type_coerced" } << true;
        QTest::newRow("empty answer") << J("{'answer': '   ', 'evidence': ['a'], 'confidence': 0.9}") << "" << 1 << 0.9
                                      << QStringList {} << false;
        QTest::newRow("missing answer") << J("{'evidence': ['a'], 'confidence': 0.9}") << "" << 1 << 0.9
                                        << QStringList { "missing_answer" } << false;
        QTest::newRow("empty reply") << ""
                                     << "" << 0 << 0.5 << QStringList { "json_parse_error" } << false;
    }
    void parseDraft()
    {
        QFETCH(QString, reply);
        QFETCH(QString, answer);
        QFETCH(int, evidence);
        QFETCH(double, confidence);
        QFETCH(QStringList, flags);
        QFETCH(bool, valid);
        const Draft d = parseDraftReply("openai/gpt-4o", reply);
        QCOMPARE(d.label, QString("openai/gpt-4o"));
        QCOMPARE(d.answer, answer);
        QCOMPARE(int(d.evidence.size()), evidence);
        QCOMPARE(d.confidence, confidence);
        QCOMPARE(d.safetyFlags, flags);
        QCOMPARE(d.isValid(), valid);
    }
    void findJsonObjectIsBoundedOnGarbage()
    {
        // 200k unbalanced braces: must return quickly with nothing.
        QString s = QString(100000, '{') + QString(100000, 'x');
        QElapsedTimer t;
        t.start();
        QVERIFY(!findJsonObject(s));
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    }

    // ---- judge prompt -----------------------------------------------------------------------------
    void judgePromptIsBlind()
    {
        std::vector<Draft> drafts { draft("openai/gpt-4o", "Chlorophyll absorbs light. As gpt-4o I think so.", 2),
            draft("anthropic/claude-3-5-sonnet-20240620", "Claude-3-5-sonnet-20240620 here: light reactions.", 3),
            draft("google/gemini-1.5-pro", "Per Google research, glucose is made. [Draft 1] is wrong.", 1) };
        const auto order = shuffledOrder(3, 7);
        const Prompt p = buildJudgePrompt("Explain photosynthesis", drafts, order, 2);
        const QString all = p.system + "\n" + p.user;
        for (const char* banned :
            { "openai", "anthropic", "google", "gpt-4o", "claude-3-5-sonnet-20240620", "gemini-1.5-pro", "/" }) {
            QVERIFY2(!all.contains(QString::fromLatin1(banned), Qt::CaseInsensitive), banned);
        }
        // One "[Draft N]" header line per draft, numbered 1..n in order.
        const QRegularExpression header("^\\[Draft (\\d+)\\]$", QRegularExpression::MultilineOption);
        QStringList numbers;
        for (auto it = header.globalMatch(p.user); it.hasNext();)
            numbers.append(it.next().captured(1));
        QCOMPARE(numbers, (QStringList { "1", "2", "3" }));
        // Blocks follow the order: block i holds drafts[order[i]].
        for (int i = 0; i < 3; ++i) {
            const qsizetype at = p.user.indexOf(QStringLiteral("[Draft %1]").arg(i + 1));
            const QString evidence = drafts[size_t(order[size_t(i)])].evidence.first();
            QVERIFY(p.user.indexOf(evidence, at) > at);
        }
        QVERIFY(p.user.contains("\"evaluations\""));
        QVERIFY(p.user.contains("task_fit"));
        QVERIFY(p.user.contains("Task:\nExplain photosynthesis\n"));
    }
    void judgePromptKeepsSubjectMatter()
    {
        // When the task itself is about a vendor, its name is subject matter and stays.
        std::vector<Draft> drafts { draft("google/gemini-1.5-pro", "Google was founded in 1998.", 2) };
        const Prompt p = buildJudgePrompt("When was Google founded?", drafts, { 0 }, 0);
        QVERIFY(p.user.contains("Google was founded in 1998."));
        QVERIFY(!p.user.contains("gemini"));
    }
    void shuffleSeeded()
    {
        QCOMPARE(shuffledOrder(6, 42), shuffledOrder(6, 42));
        std::set<std::vector<int>> seen;
        for (quint64 seed = 0; seed < 20; ++seed) {
            auto o = shuffledOrder(6, seed);
            auto sorted = o;
            std::sort(sorted.begin(), sorted.end());
            QCOMPARE(sorted, (std::vector<int> { 0, 1, 2, 3, 4, 5 }));
            seen.insert(o);
        }
        QVERIFY(seen.size() >= 15); // different seeds give different orders
        QCOMPARE(reversedOrder({ 2, 0, 1 }), (std::vector<int> { 1, 0, 2 }));
        QVERIFY(shuffledOrder(0, 1).empty());
    }

    // ---- judge reply parsing -----------------------------------------------------------------------
    void parseJudgeMapsDisplayIndices()
    {
        const std::vector<int> order { 2, 0, 1 }; // [Draft 1] = draft 2, [Draft 2] = draft 0, [Draft 3] = draft 1
        const JudgePass p = parseJudgeReply("```json\n" + reply({ 9, 5, 7 }) + "\n```", order);
        QVERIFY(p.usable);
        QCOMPARE(p.llm[2]->score, 9.0);
        QCOMPARE(p.llm[0]->score, 5.0);
        QCOMPARE(p.llm[1]->score, 7.0);
        QCOMPARE(p.llm[0]->source, ScoreSource::Llm);
        QCOMPARE(p.llm[0]->subscores->support, 2.0);
        QVERIFY(p.problem.isEmpty());
    }
    void parseJudgeTolerance_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("usable");
        QTest::addColumn<double>("score0"); // -1 = omitted
        QTest::addColumn<double>("score1");
        QTest::addColumn<QString>("problem");
        QTest::newRow("out of range clamped")
            << J("{'evaluations':[{'draft_index':1,'score':14,'reasons':'x','subscores':{'task_fit':6,'support':-1,'"
                 "clarity':3}},{'draft_index':2,'score':-2}]}")
            << true << 10.0 << 0.0 << "5 value(s) clamped";
        QTest::newRow("string numbers") << J(
            "Here: {'evaluations':[{'draft_index':'1','score':'7.5'},{'draft_index':'Draft 2','score':'6/10'}]}")
                                        << true << 7.5 << 6.0 << "";
        QTest::newRow("score from subscores")
            << J("{'evaluations':[{'draft_index':1,'subscores':{'task_fit':3,'support':2,'clarity':1}}]}") << true
            << 6.0 << -1.0 << "";
        QTest::newRow("bad index ignored") << J("{'evaluations':[{'draft_index':0,'score':5},{'draft_index':3,'score':"
                                                "5},{'draft_index':2,'score':4},{'draft_index':2,'score':9}]}")
                                           << true << -1.0 << 4.0 << "3 evaluation(s) ignored";
        QTest::newRow("bare array") << J("[{'draft_index':1,'score':3},{'draft_index':2,'score':8}]") << true << 3.0
                                    << 8.0 << "";
        QTest::newRow("garbage") << "I think draft 1 is best." << false << -1.0 << -1.0 << "unusable";
        QTest::newRow("wrong shape") << J("{'scores':[1,2]}") << false << -1.0 << -1.0 << "unusable";
        QTest::newRow("nothing matched") << J("{'evaluations':[{'draft_index':9,'score':5}]}") << false << -1.0 << -1.0
                                         << "unusable";
    }
    void parseJudgeTolerance()
    {
        QFETCH(QString, text);
        QFETCH(bool, usable);
        QFETCH(double, score0);
        QFETCH(double, score1);
        QFETCH(QString, problem);
        const JudgePass p = parseJudgeReply(text, { 0, 1 });
        QCOMPARE(p.usable, usable);
        QCOMPARE(p.llm[0] ? p.llm[0]->score : -1.0, score0);
        QCOMPARE(p.llm[1] ? p.llm[1]->score : -1.0, score1);
        QVERIFY2(p.problem.contains(problem), qPrintable(p.problem));
        if (p.llm[0] && p.llm[0]->subscores) {
            QVERIFY(p.llm[0]->subscores->taskFit <= 4 && p.llm[0]->subscores->support >= 0);
            QVERIFY(p.llm[0]->subscores->clarity <= 2);
        }
    }

    // ---- judging ----------------------------------------------------------------------------------
    void omittedDraftScoredByHeuristic()
    {
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 3), draft("openai/gpt-4o-mini", words(240), 3) }, 0, openaiOnly() };
        const JudgePass p
            = parseJudgeReply(J("{'evaluations':[{'draft_index':1,'score':6,'reasons':'fine'}]}"), { 1, 0 });
        const JudgeOutcome o = judgeDrafts(ctx, { p });
        QCOMPARE(o.ranked.size(), size_t(2)); // never dropped
        QCOMPARE(o.method, QString("llm"));
        QVERIFY2(o.methodReason.contains("1 scored by the heuristic"), qPrintable(o.methodReason));
        const RankedDraft& mini = rankedByLabel(o, "openai/gpt-4o-mini");
        QCOMPARE(mini.score.score, 6.0);
        QCOMPARE(mini.score.source, ScoreSource::Llm);
        const RankedDraft& big = rankedByLabel(o, "openai/gpt-4o");
        QCOMPARE(big.score.source, ScoreSource::Heuristic);
        QVERIFY(big.score.reasons.startsWith("Heuristic judge"));
        QCOMPARE(big.score.score, heuristicScore(ctx.task, ctx.drafts[0]).score);
    }
    void garbageMeansHeuristicForAll()
    {
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 3), draft("openai/gpt-4o-mini", words(20), 1) }, 0, openaiOnly() };
        const JudgeOutcome o = judgeDrafts(ctx, { parseJudgeReply("The first one.", { 0, 1 }) });
        QCOMPARE(o.method, QString("heuristic"));
        QVERIFY(o.methodReason.contains("judge reply unusable"));
        for (const RankedDraft& r : o.ranked)
            QCOMPARE(r.score.source, ScoreSource::Heuristic);
        QCOMPARE(o.ranked.front().draft.label, QString("openai/gpt-4o"));
        QVERIFY(!o.secondPassAgreed);
        QVERIFY(!needsSecondPass(o, 100)); // no second pass after a failed first one

        const JudgeOutcome failed = judgeDrafts(ctx, { failedJudgePass({ 0, 1 }, "judge call failed: HTTP 503") });
        QCOMPARE(failed.method, QString("heuristic"));
        QCOMPARE(failed.methodReason, QString("judge call failed: HTTP 503"));
        const JudgeOutcome none = judgeDrafts(ctx, {}, "judge not affordable within max_cost_usd");
        QCOMPARE(none.methodReason, QString("judge not affordable within max_cost_usd"));
        QCOMPARE(none.ranked.size(), size_t(2));
    }
    void heuristic_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("evidence");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<double>("taskFit");
        QTest::addColumn<double>("support");
        QTest::addColumn<double>("clarity");
        QTest::addColumn<double>("score");
        QTest::newRow("ideal") << "Explain photosynthesis" << words(250) << 3 << QStringList {} << 4.0 << 4.0 << 2.0
                               << 10.0;
        QTest::newRow("off topic") << "Explain photosynthesis" << words(250, "banana") << 3 << QStringList {} << 0.0
                                   << 4.0 << 2.0 << 6.0;
        QTest::newRow("half the terms") << "Explain photosynthesis chlorophyll" << words(250) << 2 << QStringList {}
                                        << 2.5 << 3.0 << 2.0 << 7.5;
        QTest::newRow("too short") << "Explain photosynthesis" << words(50) << 1 << QStringList {} << 4.0 << 2.0 << 0.0
                                   << 6.0;
        QTest::newRow("requested length")
            << "Explain photosynthesis in 50 words" << words(50) << 0 << QStringList {} << 4.0 << 0.0 << 2.0 << 6.0;
        QTest::newRow("somewhat long") << "Explain photosynthesis" << words(500) << 6 << QStringList {} << 4.0 << 3.0
                                       << 1.0 << 8.0;
        QTest::newRow("parse error") << "Explain photosynthesis" << words(250) << 0
                                     << QStringList { "json_parse_error" } << 4.0 << 0.0 << 2.0 << 5.0;
        QTest::newRow("blocking flag") << "Explain photosynthesis" << words(250) << 3 << QStringList { "Hate_Speech" }
                                       << 0.0 << 0.0 << 0.0 << 0.0;
    }
    void heuristic()
    {
        QFETCH(QString, task);
        QFETCH(QString, answer);
        QFETCH(int, evidence);
        QFETCH(QStringList, flags);
        QFETCH(double, taskFit);
        QFETCH(double, support);
        QFETCH(double, clarity);
        QFETCH(double, score);
        Draft d = draft("openai/gpt-4o", answer, evidence, flags);
        d.evidence.replaceInStrings("topic", "x"); // keep evidence neutral for relevance
        d.evidence.replaceInStrings("Evidence item", "item");
        const DraftScore s = heuristicScore(task, d);
        QCOMPARE(s.subscores->taskFit, taskFit);
        QCOMPARE(s.subscores->support, support);
        QCOMPARE(s.subscores->clarity, clarity);
        QCOMPARE(s.score, score);
        QCOMPARE(s.source, ScoreSource::Heuristic);
    }
    void citationRule()
    {
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 1), draft("openai/gpt-4o-mini", words(250), 3) }, 2, openaiOnly() };
        const JudgeOutcome o = judgeDrafts(ctx, { parseJudgeReply(reply({ 9, 5 }), { 0, 1 }) });
        const RankedDraft& dq = rankedByLabel(o, "openai/gpt-4o");
        QVERIFY(dq.disqualified);
        QCOMPARE(dq.score.score, 0.0);
        QCOMPARE(dq.score.subscores->taskFit, 0.0);
        QCOMPARE(dq.score.subscores->support, 0.0);
        QCOMPARE(dq.score.subscores->clarity, 0.0);
        QCOMPARE(dq.score.reasons, QString("DISQUALIFIED: Only 1 citations, 2 required"));
        QVERIFY(dq.draft.safetyFlags.contains("disqualified_citations"));
        QVERIFY(!dq.qualified());
        QCOMPARE(o.ranked.front().draft.label, QString("openai/gpt-4o-mini"));
        QVERIFY(!rankedByLabel(o, "openai/gpt-4o-mini").disqualified);
        // The debate draft itself is not modified.
        QVERIFY(!ctx.drafts[0].safetyFlags.contains("disqualified_citations"));
    }

    // Ties at each level of the legacy tie-break: score desc, allowed first, support desc, preferred
    // vendor first, label asc.
    void tieBreak_data()
    {
        QTest::addColumn<QString>("labelA");
        QTest::addColumn<double>("scoreA");
        QTest::addColumn<double>("supportA");
        QTest::addColumn<QString>("labelB");
        QTest::addColumn<double>("scoreB");
        QTest::addColumn<double>("supportB");
        QTest::addColumn<QString>("first");
        QTest::newRow("score") << "anthropic/a" << 8.0 << 1.0 << "openai/gpt-4o" << 7.0 << 4.0 << "anthropic/a";
        QTest::newRow("allowed") << "openai/zzz" << 7.0 << 1.0 << "openai/gpt-4o" << 7.0 << 1.0 << "openai/gpt-4o";
        QTest::newRow("allowed beats support")
            << "anthropic/a" << 7.0 << 4.0 << "openai/gpt-4o" << 7.0 << 1.0 << "openai/gpt-4o";
        QTest::newRow("support") << "openai/gpt-4o" << 7.0 << 2.0 << "openai/gpt-4o-mini" << 7.0 << 3.0
                                 << "openai/gpt-4o-mini";
        QTest::newRow("preferred vendor") << "anthropic/a" << 7.0 << 2.0 << "openai/zzz" << 7.0 << 2.0 << "openai/zzz";
        QTest::newRow("label") << "openai/gpt-4o-mini" << 7.0 << 2.0 << "openai/gpt-4o" << 7.0 << 2.0
                               << "openai/gpt-4o";
        QTest::newRow("label, neither preferred")
            << "google/b" << 7.0 << 2.0 << "anthropic/c" << 7.0 << 2.0 << "anthropic/c";
    }
    void tieBreak()
    {
        QFETCH(QString, labelA);
        QFETCH(double, scoreA);
        QFETCH(double, supportA);
        QFETCH(QString, labelB);
        QFETCH(double, scoreB);
        QFETCH(double, supportB);
        QFETCH(QString, first);
        const Policy policy = openaiOnly();
        for (bool swap : { false, true }) {
            std::vector<RankedDraft> v(2);
            v[0].draftIndex = 0;
            v[0].draft.label = labelA;
            v[0].score.score = scoreA;
            v[0].score.subscores = Subscores { 2, supportA, 1 };
            v[0].allowed = policy.allows(labelA);
            v[1].draftIndex = 1;
            v[1].draft.label = labelB;
            v[1].score.score = scoreB;
            v[1].score.subscores = Subscores { 2, supportB, 1 };
            v[1].allowed = policy.allows(labelB);
            if (swap)
                std::swap(v[0], v[1]);
            rankDrafts(v, "openai");
            QCOMPARE(v.front().draft.label, first);
        }
    }
    void tieBreakThroughJudge()
    {
        // Equal LLM scores: the allowed OpenAI draft outranks the Anthropic one shown first.
        JudgeContext ctx { "Explain photosynthesis",
            { draft("anthropic/claude-3-5-sonnet-20240620", words(250), 3),
                draft("openai/gpt-4o-mini", words(250), 3) },
            0, openaiOnly() };
        const JudgeOutcome o = judgeDrafts(ctx, { parseJudgeReply(reply({ 8, 8 }), { 0, 1 }) });
        QCOMPARE(o.ranked.front().draft.label, QString("openai/gpt-4o-mini"));
        QVERIFY(o.ranked.front().allowed);
        QVERIFY(!o.ranked.back().allowed);
    }

    // ---- second pass ------------------------------------------------------------------------------
    void secondPassPredicate_data()
    {
        QTest::addColumn<double>("top");
        QTest::addColumn<double>("second");
        QTest::addColumn<double>("margin");
        QTest::addColumn<bool>("needed");
        QTest::newRow("close") << 8.0 << 7.0 << 2.0 << true;
        QTest::newRow("exactly the margin") << 8.0 << 6.0 << 2.0 << false;
        QTest::newRow("far") << 9.0 << 3.0 << 2.0 << false;
        QTest::newRow("tie, margin 0") << 7.0 << 7.0 << 0.0 << false;
        QTest::newRow("tie") << 7.0 << 7.0 << 1.0 << true;
    }
    void secondPassPredicate()
    {
        QFETCH(double, top);
        QFETCH(double, second);
        QFETCH(double, margin);
        QFETCH(bool, needed);
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 3), draft("openai/gpt-4o-mini", words(250), 3) }, 0, openaiOnly() };
        const JudgeOutcome o = judgeDrafts(ctx, { parseJudgeReply(reply({ top, second }), { 0, 1 }) });
        QCOMPARE(needsSecondPass(o, margin), needed);
    }
    void secondPassSingleDraft()
    {
        JudgeContext ctx { "t", { draft("openai/gpt-4o", words(250), 3) }, 0, openaiOnly() };
        QVERIFY(!needsSecondPass(judgeDrafts(ctx, { parseJudgeReply(reply({ 5 }), { 0 }) }), 5));
    }
    void secondPassAveragesAndAgreement()
    {
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 3), draft("openai/gpt-4o-mini", words(250), 3),
                draft("openai/gpt-4.1", words(250), 3) },
            0, openaiOnly() };
        const std::vector<int> order1 { 1, 2, 0 };
        const std::vector<int> order2 = reversedOrder(order1); // { 0, 2, 1 }
        // Pass 1: gpt-4o-mini 8, gpt-4.1 6, gpt-4o 7. Pass 2 (reversed): gpt-4o 9, gpt-4.1 6, gpt-4o-mini 5.
        const JudgePass p1 = parseJudgeReply(reply({ 8, 6, 7 }, 2), order1);
        const JudgePass p2 = parseJudgeReply(reply({ 9, 6, 5 }, 4), order2);
        const JudgeOutcome first = judgeDrafts(ctx, { p1 });
        QCOMPARE(first.ranked.front().draft.label, QString("openai/gpt-4o-mini"));
        QVERIFY(needsSecondPass(first, 2));
        const JudgeOutcome o = judgeDrafts(ctx, { p1, p2 });
        QCOMPARE(o.passes.size(), size_t(2));
        QCOMPARE(o.passes[0].winner, 1);
        QCOMPARE(o.passes[1].winner, 0);
        QVERIFY(o.secondPassAgreed.has_value());
        QVERIFY(!*o.secondPassAgreed);
        QCOMPARE(rankedByLabel(o, "openai/gpt-4o").score.score, 8.0);
        QCOMPARE(rankedByLabel(o, "openai/gpt-4o-mini").score.score, 6.5);
        QCOMPARE(rankedByLabel(o, "openai/gpt-4.1").score.score, 6.0);
        QCOMPARE(rankedByLabel(o, "openai/gpt-4o").score.subscores->support, 3.0);
        QCOMPARE(o.ranked.front().draft.label, QString("openai/gpt-4o"));
        QVERIFY(!needsSecondPass(o, 2)); // never a third pass

        const JudgeOutcome agree = judgeDrafts(ctx, { p1, parseJudgeReply(reply({ 1, 2, 9 }), order2) });
        QVERIFY(*agree.secondPassAgreed);
    }
    void unusableSecondPassIsNotAveraged()
    {
        JudgeContext ctx { "Explain photosynthesis",
            { draft("openai/gpt-4o", words(250), 3), draft("openai/gpt-4o-mini", words(250), 3) }, 0, openaiOnly() };
        const JudgePass p1 = parseJudgeReply(reply({ 8, 7 }), { 0, 1 });
        const JudgeOutcome o = judgeDrafts(ctx, { p1, failedJudgePass({ 1, 0 }, "judge call failed: timeout") });
        QCOMPARE(o.method, QString("llm"));
        QCOMPARE(rankedByLabel(o, "openai/gpt-4o").score.score, 8.0);
        QVERIFY(!o.secondPassAgreed);
        QVERIFY(o.methodReason.contains("pass 2: judge call failed: timeout"));
    }
    void pythonRepr()
    {
        QCOMPARE(pythonListRepr({ "openai/gpt-4o", "openai/gpt-4o-mini" }),
            QString("['openai/gpt-4o', 'openai/gpt-4o-mini']"));
        QCOMPARE(pythonListRepr({}), QString("[]"));
        QCOMPARE(pythonListRepr({ "it's" }), QString("[\"it's\"]"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineJudge)
#include "tst_pipelinejudge.moc"
