#pragma once
// A debater's parsed reply (docs/pipeline.md). Plain value.
#include <QString>
#include <QStringList>

namespace djp {

struct Draft
{
    QString label; // "vendor/model" that produced it (artifact field `provider`)
    QString answer;
    QStringList evidence;
    double confidence = 0.5; // 0..1
    QStringList safetyFlags; // from the model, plus parse flags such as "json_parse_error"

    // A draft is valid when its answer is non-empty (docs/pipeline.md); invalid drafts are not judged.
    bool isValid() const { return !answer.trimmed().isEmpty(); }
};

// Flags the parser adds (they describe the reply, they do not block publishing).
namespace draftflags {
inline const QString kJsonParseError = QStringLiteral("json_parse_error");
inline const QString kFieldTypeCoerced = QStringLiteral("field_type_coerced");
inline const QString kMissingAnswer = QStringLiteral("missing_answer");
inline const QString kDisqualifiedCitations = QStringLiteral("disqualified_citations");
} // namespace draftflags

} // namespace djp
