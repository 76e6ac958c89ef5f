#pragma once
// Everything the pipeline decided for one run, as plain values: what the run controller collects
// and artifactsections.h turns into the artifact's debate/judge/publish/grounding sections.
#include "pipeline/draft.h"
#include "pipeline/grounding.h"
#include "pipeline/judge.h"
#include "pipeline/publish.h"
#include "pipeline/redaction.h"

#include <QString>
#include <map>
#include <vector>

namespace djp {

struct InvalidDraft
{
    QString label;
    QString reason; // e.g. "empty answer"
};

struct PipelineResult
{
    QString task; // as stored in run_metadata.task
    std::vector<Draft> drafts; // valid drafts = the judged ones (JudgeContext::drafts)
    std::vector<InvalidDraft> invalidDrafts; // replies that gave no usable draft
    JudgeOutcome judge;
    PublishDecision publish;
    GroundingSummary grounding;
    RedactionTally redaction; // what redactPipelineResult() replaced; disabled when it did not run
};

// Redacts every text the result holds: the task, each draft's answer, evidence and
// safety flags, invalid-draft reasons, the ranked copies, judge reasons (ranked and per pass), pass
// problems, the method reason, the publish text, reason and note, and grounding titles, paths,
// document ids and the fail reason. Events are aggregated over distinct texts: a ranked copy or
// the published text, identical to a draft already counted, does not count again. Sets `redaction`.
void redactPipelineResult(const Redactor& redactor, PipelineResult& result);

} // namespace djp
