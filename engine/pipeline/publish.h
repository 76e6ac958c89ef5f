#pragma once
// Publish decision (docs/pipeline.md). Pure and synchronous.
#include "artifact/runrecord.h"
#include "pipeline/grounding.h"
#include "pipeline/guardrails.h"
#include "pipeline/judge.h"

#include <QString>
#include <optional>

namespace djp {

struct PublishDecision
{
    QString status = vocabularyId(RunStatus::None); // a RunStatus id
    QString provider; // label of the shown draft; empty when none
    QString text; // the shown draft's answer (empty when none)
    QString reason; // empty for a clean publish
    QString note; // e.g. "published draft is not the judge's winner"
    int rankedIndex = -1; // position in JudgeOutcome::ranked of the shown draft
};

// Walks the ranking: the first qualified draft (score > 0, not disqualified) whose label the policy
// allows and that passes the guardrails is published (with a note when it is not the judge's
// winner). Otherwise, in this order:
//   nothing ranked                          -> none, "No ranked drafts available"
//   no qualified draft                      -> advisory_only, "All drafts disqualified: <label: reason>; ..."
//                                              (the top draft is shown only if it passes the guardrails)
//   best qualified draft fails guardrails   -> none, "Top draft validation failed: <problems>"
//   best qualified draft not allowed        -> advisory_only, "Winner <label> not in allowed list ['a', 'b']"
PublishDecision decidePublish(const std::vector<RankedDraft>& ranked, const Policy& policy);

// Grounded mode: a published decision whose text cites fewer sources than required becomes
// advisory_only with the report's reason ("Insufficient citations: n found, N required"); an
// advisory decision gets the shortfall appended to its reason.
void applyGroundingShortfall(PublishDecision& decision, const CitationReport& report);

} // namespace djp
