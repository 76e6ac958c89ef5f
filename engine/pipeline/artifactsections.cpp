#include "pipeline/artifactsections.h"

#include "core/strings.h"
#include "pipeline/artifactredaction.h"

#include <algorithm>

namespace djp {

namespace {

Json stringList(const QStringList& list)
{
    Json a = Json::array();
    for (const QString& s : list)
        a.push_back(ss(s));
    return a;
}

Json stringOrNull(const QString& s)
{
    return s.isEmpty() ? Json(nullptr) : Json(ss(s));
}

Json subscoresJson(const Subscores& s)
{
    return Json { { "task_fit", s.taskFit }, { "support", s.support }, { "clarity", s.clarity } };
}

// Length in Unicode code points, as the legacy tool's len(text).
qint64 codePoints(const QString& s)
{
    qint64 n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i].isHighSurrogate() && i + 1 < s.size() && s[i + 1].isLowSurrogate())
            ++i;
        ++n;
    }
    return n;
}

Json evaluationJson(int draftIndex, const DraftScore& s)
{
    Json e { { "draft_index", draftIndex }, { "score", s.score }, { "reasons", ss(s.reasons) },
        { "source", ss(scoreSourceName(s.source)) } };
    if (s.subscores)
        e["subscores"] = subscoresJson(*s.subscores);
    return e;
}

} // namespace

Json draftJson(const Draft& d)
{
    return Json { { "provider", ss(d.label) }, { "answer", ss(d.answer) }, { "evidence", stringList(d.evidence) },
        { "confidence", d.confidence }, { "safety_flags", stringList(d.safetyFlags) } };
}

Json debateSection(const PipelineResult& r)
{
    Json drafts = Json::array();
    for (const Draft& d : r.drafts)
        drafts.push_back(draftJson(d));
    Json invalid = Json::array();
    for (const InvalidDraft& d : r.invalidDrafts)
        invalid.push_back(Json { { "provider", ss(d.label) }, { "reason", ss(d.reason) } });
    return Json { { "drafts", std::move(drafts) }, { "total_drafts", r.drafts.size() },
        { "invalid_drafts", std::move(invalid) } };
}

Json judgeSection(const PipelineResult& r)
{
    const JudgeOutcome& j = r.judge;
    Json ranked = Json::array();
    for (const RankedDraft& rd : j.ranked) {
        Json e = draftJson(rd.draft);
        e["score"] = rd.score.score;
        e["reasons"] = ss(rd.score.reasons);
        if (rd.score.subscores)
            e["subscores"] = subscoresJson(*rd.score.subscores);
        e["score_source"] = ss(scoreSourceName(rd.score.source));
        e["draft_index"] = rd.draftIndex;
        e["disqualified"] = rd.disqualified;
        e["allowed"] = rd.allowed;
        ranked.push_back(std::move(e));
    }
    Json passes = Json::array();
    for (size_t i = 0; i < j.passes.size(); ++i) {
        const PassSummary& p = j.passes[i];
        Json evals = Json::array();
        for (int idx : p.order) // in display order
            evals.push_back(evaluationJson(idx, p.scores[size_t(idx)]));
        Json pass { { "pass", i + 1 }, { "method", p.usable ? "llm" : "heuristic" }, { "order", p.order },
            { "evaluations", std::move(evals) }, { "winner_index", p.winner } };
        if (!p.problem.isEmpty())
            pass["problem"] = ss(p.problem);
        passes.push_back(std::move(pass));
    }
    const RankedDraft* w = j.winner();
    return Json { { "ranked_drafts", std::move(ranked) },
        { "winner_provider", w ? Json(ss(w->draft.label)) : Json(nullptr) }, { "total_ranked", j.ranked.size() },
        { "method", ss(j.method.isEmpty() ? QStringLiteral("heuristic") : j.method) },
        { "method_reason", ss(j.methodReason) }, { "passes", std::move(passes) },
        { "second_pass_agreed", j.secondPassAgreed ? Json(*j.secondPassAgreed) : Json(nullptr) } };
}

Json publishSection(const PipelineResult& r)
{
    const PublishDecision& p = r.publish;
    Json out { { "status", ss(p.status) }, { "provider", stringOrNull(p.provider) }, { "text", ss(p.text) },
        { "text_length", codePoints(p.text) } };
    if (!p.reason.isEmpty())
        out["reason"] = ss(p.reason);
    writePublishRedaction(out, r.redaction);
    out["note"] = stringOrNull(p.note);
    return out;
}

Json groundingSection(const PipelineResult& r)
{
    const GroundingSummary& g = r.grounding;
    Json citations = Json::array();
    for (const Source& s : g.report.cited)
        citations.push_back(Json { { "doc_id", ss(s.docId) }, { "title", ss(s.title) }, { "path", ss(s.path) } });
    Json sources = Json::array();
    for (const Source& s : g.sources)
        sources.push_back(Json {
            { "number", s.number }, { "doc_id", ss(s.docId) }, { "title", ss(s.title) }, { "path", ss(s.path) } });
    return Json { { "enabled", g.enabled }, { "corpus_loaded", g.corpusLoaded }, { "corpus_docs", g.corpusDocs },
        { "required_citations", g.enabled ? g.report.required : 0 }, { "citations", std::move(citations) },
        { "grounded_fail_reason", g.report.failReason ? Json(ss(*g.report.failReason)) : Json(nullptr) },
        { "sources", std::move(sources) } };
}

Json parametersSection(const RunConfig& c, const QString& redactionRules)
{
    auto optNumber = [](const auto& o) { return o ? Json(*o) : Json(nullptr); };
    return Json { { "max_tokens", c.maxTokens }, { "temperature", c.temperature },
        { "allowed_models", stringList(c.policy.allowedModels) },
        // Legacy readers compare require_citations with ints: 0 when not required, never null.
        { "require_citations", std::max(0, c.requireCitations) }, { "policy", ss(c.policy.name) },
        { "fastpath", c.fastpath }, { "max_debaters", c.maxDebaters }, { "timeout_s", c.timeoutS },
        { "margin_threshold", c.marginThreshold }, { "seed", optNumber(c.seed) }, { "preset_name", ss(c.presetName) },
        { "grounded_corpus", stringOrNull(c.groundedCorpus) }, { "grounded_required", c.groundedRequired },
        { "redact", c.redact }, { "redaction_rules", c.redact ? stringOrNull(redactionRules) : Json(nullptr) },
        { "budget_usd", optNumber(c.budgetUsd) }, { "budget_tokens", optNumber(c.budgetTokens) },
        { "max_cost_usd", optNumber(c.maxCostUsd) }, { "debaters", stringList(c.debaters) },
        { "judge_model", ss(c.judgeModel) }, { "offline", c.offline },
        { "reasoning_effort", stringOrNull(c.reasoningEffort) }, { "thinking_budget", c.thinkingBudget } };
}

void addPipelineSections(Json& doc, const PipelineResult& r)
{
    doc["debate"] = debateSection(r);
    doc["judge"] = judgeSection(r);
    doc["publish"] = publishSection(r);
    doc["grounding"] = groundingSection(r);
    doc["redaction"] = redactionSection(r.redaction);
}

} // namespace djp
