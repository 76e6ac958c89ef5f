#pragma once
// The artifact sections the pipeline owns (docs/artifact-format.md), with the legacy 1.1 field names, matching
// resources/schema/run-artifact-2.0.schema.json. Field meanings are documented in docs/pipeline.md.
#include "core/jsonutil.h"
#include "pipeline/pipelineresult.h"
#include "pipeline/runrequest.h"

namespace djp {

Json draftJson(const Draft& d); // provider, answer, evidence, confidence, safety_flags
Json debateSection(const PipelineResult& r); // drafts, total_drafts (+ invalid_drafts)
Json judgeSection(const PipelineResult& r); // ranked_drafts, winner_provider, total_ranked, method, ...
Json publishSection(const PipelineResult& r); // status, provider, text, text_length, reason?, redacted, ...
Json groundingSection(const PipelineResult& r); // enabled, corpus_loaded, corpus_docs, required_citations, ...

// run_metadata.parameters from the resolved configuration (every key the 2.0 schema requires, plus
// grounded_corpus, grounded_required, redaction_rules, debaters and judge_model).
// `redactionRules` is where the rules came from (Redactor::origin()), empty when redaction is off.
Json parametersSection(const RunConfig& config, const QString& redactionRules = QString());

// Sets doc["debate"], doc["judge"], doc["publish"], doc["grounding"] and doc["redaction"].
void addPipelineSections(Json& doc, const PipelineResult& r);

} // namespace djp
