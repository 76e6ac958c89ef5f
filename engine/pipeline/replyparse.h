#pragma once
// Tolerant parsing of model replies that were asked for a JSON object (docs/pipeline.md): code fences
// and prose around the JSON are ignored. Pure functions, safe on any thread.
#include "core/jsonutil.h"
#include "pipeline/draft.h"

#include <QString>
#include <optional>

namespace djp {

// The first balanced {...} in `text` that parses as a JSON object. When `preferredKey` is given, the
// first such object containing that key wins over earlier objects without it. Brace matching is
// string-aware inside the candidate; at most a bounded number of candidates are tried, so the cost
// stays linear-ish on long prose.
std::optional<Json> findJsonObject(const QString& text, const char* preferredKey = nullptr);

// Parses a debater reply into a Draft for `label`.
// - JSON found: answer/evidence/confidence/safety_flags are read; wrong types are coerced (a string
//   evidence becomes one item, numbers become text, a numeric string confidence is parsed, values
//   out of 0..1 are clamped) and the draft gets the flag "field_type_coerced"; a missing answer gives
//   an empty (invalid) draft with the flag "missing_answer".
// - No JSON object: the raw reply (trimmed, fences stripped) becomes the answer, confidence 0.5,
//   flag "json_parse_error".
Draft parseDraftReply(const QString& label, const QString& reply);

} // namespace djp
