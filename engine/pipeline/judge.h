#pragma once
// Judging (docs/pipeline.md): parsing the LLM judge's reply, the heuristic judge, the legacy citation rule,
// the legacy ranking tie-break and the optional second pass. Pure and synchronous; the run
// controller makes the calls and feeds the replies in.
//
// Flow:
//   order = shuffledOrder(drafts.size(), seed); prompt = buildJudgePrompt(task, drafts, order, N);
//   pass1 = parseJudgeReply(reply, order)            // or failedJudgePass(order, "judge call failed: ...")
//   out = judgeDrafts(ctx, {pass1});
//   if (needsSecondPass(out, margin)) { order2 = reversedOrder(order); ...; out = judgeDrafts(ctx, {pass1, pass2}); }
#include "pipeline/draft.h"
#include "pipeline/presets.h"

#include <QString>
#include <optional>
#include <vector>

namespace djp {

struct Subscores
{
    double taskFit = 0.0; // 0..4
    double support = 0.0; // 0..4
    double clarity = 0.0; // 0..2
};

enum class ScoreSource
{
    Llm,
    Heuristic,
    Mixed
};
QString scoreSourceName(ScoreSource s); // "llm" | "heuristic" | "mixed"

struct DraftScore
{
    double score = 0.0; // 0..10
    QString reasons;
    std::optional<Subscores> subscores;
    ScoreSource source = ScoreSource::Heuristic;
};

// One judge pass as parsed from the reply. `order[i]` is the draft shown as "[Draft i+1]".
struct JudgePass
{
    std::vector<int> order;
    bool usable = false; // at least one evaluation mapped to a draft
    QString problem; // why unusable, or what was off (ignored/clamped entries)
    std::vector<std::optional<DraftScore>> llm; // per draft index; nullopt = the judge omitted it
};

// Tolerant parse (fences, prose, numeric strings, "reasons" as a list). Display indices are 1-based;
// out-of-range or duplicate indices are ignored, out-of-range scores/subscores clamped; a missing
// score is the sum of the subscores when they are given.
JudgePass parseJudgeReply(const QString& reply, const std::vector<int>& order);
// A pass whose call failed (or was not affordable): every draft will be scored by the heuristic.
JudgePass failedJudgePass(const std::vector<int>& order, const QString& why);

// The documented heuristic judge (docs/pipeline.md):
//   task_fit = 4 x min(1, 1.25 x share of the task's content terms found in the answer + evidence)
//   support  = by evidence count: 0 -> 0, 1 -> 2, 2 -> 3, 3..5 -> 4, more -> 3
//   clarity  = length fit vs the task's requested length (else ~250 words): ratio 0.6..1.5 -> 2,
//              0.3..0.6 or 1.5..2.5 -> 1, else 0
//   score    = sum, minus 1 for json_parse_error; any blocking safety flag -> 0.
DraftScore heuristicScore(const QString& task, const Draft& draft);

struct JudgeContext
{
    QString task;
    std::vector<Draft> drafts; // the drafts that were judged (valid ones), indexed by JudgePass::order
    int requireCitations = 0;
    Policy policy; // allowed labels + preferred vendor, for the tie-break
};

struct RankedDraft
{
    int draftIndex = -1; // into JudgeContext::drafts
    Draft draft; // copy; gets the flag disqualified_citations when the citation rule applies
    DraftScore score;
    bool disqualified = false;
    bool allowed = false; // label allowed to publish by the policy

    bool qualified() const { return !disqualified && score.score > 0.0; }
};

struct PassSummary
{
    std::vector<int> order;
    bool usable = false;
    QString problem;
    std::vector<DraftScore> scores; // per draft index, omitted ones filled by the heuristic
    int winner = -1; // draft index ranked first by this pass alone
};

struct JudgeOutcome
{
    std::vector<RankedDraft> ranked; // best first
    QString method; // "llm" | "heuristic"
    QString methodReason;
    std::vector<PassSummary> passes;
    std::optional<bool> secondPassAgreed; // set when two usable passes were combined

    const RankedDraft* winner() const { return ranked.empty() ? nullptr : &ranked.front(); }
};

// Scores every draft (LLM where the judge answered, heuristic otherwise; never dropped), averages
// usable passes, applies the citation rule ("DISQUALIFIED: Only n citations, N required") and ranks
// with the legacy tie-break: score desc, allowed first, support desc, preferred vendor first, label
// asc. With no pass at all (no judge call affordable), `noPassReason` becomes the method reason.
JudgeOutcome judgeDrafts(
    const JudgeContext& ctx, const std::vector<JudgePass>& passes, const QString& noPassReason = QString());

// True when the top two scores are closer than `marginThreshold` (and at least two drafts exist),
// and the first pass was a usable LLM pass.
bool needsSecondPass(const JudgeOutcome& outcome, double marginThreshold);

// Sorts with the legacy tie-break (exposed for tests and for re-ranking).
void rankDrafts(std::vector<RankedDraft>& drafts, const QString& preferredVendor);

} // namespace djp
