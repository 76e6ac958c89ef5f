#pragma once
// The last redaction pass over a finished run artifact (docs/pipeline.md, "Redaction"). The pipeline
// redacts its own texts first (redactPipelineResult); this pass then walks every string value of the
// document, so text that reaches the artifact another way (trace name, corpus path, stop reason,
// call errors, whatever a later field adds) is redacted too. Only machine-made identifiers and
// enumerations (ids, labels, statuses, versions) are left alone: they never hold user or model text.
//
// Pure; thread-safe for distinct documents.
#include "core/jsonutil.h"
#include "pipeline/pipelineresult.h"
#include "pipeline/redaction.h"
#include "pipeline/runartifact.h"

#include <QString>
#include <map>
#include <vector>

namespace djp {

// Redacts every free-text string of `doc` in place and adds what it replaced to `tally`.
void redactArtifactStrings(const Redactor& redactor, Json& doc, RedactionTally& tally);

// Writes publish.redacted, publish.redaction_events and the "redaction" section from `tally`.
void writeRedactionSummary(Json& doc, const RedactionTally& tally);
// Writes redacted and redaction_events into the publish section `publish`.
void writePublishRedaction(Json& publish, const RedactionTally& tally);

// The artifact of a run as the engine stores it: with a redactor, redactPipelineResult() on
// `result` (so what the caller shows afterwards is redacted too), buildRunArtifact(), then the last
// pass and the summary; without one, buildRunArtifact() alone (redaction off).
Json buildRedactedRunArtifact(const RunPlan& plan, PipelineResult& result, const std::vector<CallRecord>& calls,
    const RunFacts& facts, const Redactor* redactor);

// The "redaction" section alone: {enabled, any_redacted, replacements, fields}.
Json redactionSection(const RedactionTally& tally);

} // namespace djp
