#pragma once
// Everything the pipeline decided for one run, as plain values: what the run controller collects
// and artifactsections.h turns into the artifact's debate/judge/publish/grounding sections.
#include "pipeline/draft.h"
#include "pipeline/grounding.h"
#include "pipeline/judge.h"
#include "pipeline/publish.h"
#include "pipeline/redaction.h"

#include <QString>
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
    bool redactionApplied = false; // redaction was on for this run
    std::vector<RedactionEvent> redactionEvents;
};

// Redacts every text the artifact stores: the task, each draft's answer and evidence, the ranked
// copies, judge reasons (ranked and per pass), the method reason, and the publish text, reason and
// note. Events are aggregated over distinct texts: a ranked copy or the published text, identical
// to a draft already counted, does not count again. Sets redactionApplied and redactionEvents.
void redactPipelineResult(const Redactor& redactor, PipelineResult& result);

} // namespace djp
