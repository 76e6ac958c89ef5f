#pragma once
// Prompt texts for debaters and the judge (docs/pipeline.md). The simulated provider parses two
// exact phrases from them: "Required evidence items: N" and the "[Draft N]" block headers.
// Pure functions, safe on any thread.
#include "pipeline/draft.h"
#include "pipeline/grounding.h"

#include <QString>
#include <vector>

namespace djp {

struct Prompt
{
    QString system;
    QString user;
};

// Debate prompt. requireCitations > 0 adds the line "Required evidence items: N"; non-empty
// sources adds the numbered sources and asks the model to cite them as [S1].
Prompt buildDebatePrompt(const QString& task, int requireCitations, const std::vector<Source>& sources = {});

// A seeded permutation of 0..n-1 (Fisher-Yates over std::mt19937_64 with a fixed reduction, so the
// order is identical on every platform for a given seed).
std::vector<int> shuffledOrder(int n, quint64 seed);
// The order reversed, for the second judge pass.
std::vector<int> reversedOrder(std::vector<int> order);

// Judge prompt. `order[i]` is the index into `drafts` shown as "[Draft i+1]". The prompt is blind:
// it holds no provider name or label; labels and model ids of the drafts' own models that appear in
// a draft's text are masked as "[model]" unless the task itself mentions them.
// `maxDraftBytes` > 0 bounds each draft's block (answer + evidence) to that many UTF-8 bytes: a longer
// one is cut and ends in kJudgeDraftCutMarker, so an oversized reply never inflates the judge's input
// beyond what was projected and reserved for it (judgeDraftByteLimit()).
Prompt buildJudgePrompt(const QString& task, const std::vector<Draft>& drafts, const std::vector<int>& order,
    int requireCitations, qsizetype maxDraftBytes = 0);

// Bytes a debater's draft may take in the judge prompt: 6 UTF-8 bytes per answer token allowed, more
// than any natural text needs (English runs near 4, CJK near 3).
inline constexpr qsizetype kJudgeBytesPerDraftToken = 6;
inline qsizetype judgeDraftByteLimit(int maxTokens)
{
    return kJudgeBytesPerDraftToken * qMax(1, maxTokens);
}
inline const char* const kJudgeDraftCutMarker = "\n[draft cut: longer than the judge reads]\n";

} // namespace djp
