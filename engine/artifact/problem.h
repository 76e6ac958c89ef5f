#pragma once
#include "core/vocabulary.h"

#include <QMetaType>
#include <QString>

namespace djp {

// Why a file in the runs directory could not be used as a run artifact, or a note of what the store put
// right before reading (store/runsfolderrepair.h). The engine reports codes and facts; front ends choose
// the words (ui/display/vocabularytext.h). The ids are stable: they are written by `djp metrics --json`,
// `djp validate`, `djp team push` and kept in the run index.
enum class ProblemCode
{
    IoError, // io_error
    NotRegularFile, // not_regular_file
    Empty, // empty
    TooLarge, // too_large
    Binary, // binary
    NotJson, // not_json (syntax error, truncated, NaN, comments)
    TooDeep, // too_deep
    NotObject, // not_object
    NoSchemaVersion, // no_schema_version
    NoRunMetadata, // no_run_metadata
    UnsupportedVersion, // unsupported_version
    WrongType, // wrong_type
    BadTimestamp, // bad_timestamp
    TeamHistory, // team_history (the app could not fetch an artifact from the team database)
    RecoveredTemp, // recovered_temp
    RemovedTemp, // removed_temp
    KeptTemp, // kept_temp
    RecoveredInterruptedRun, // recovered_interrupted_run
    JournalError, // journal_error
    RepairError, // repair_error
    RejectedByServer, // rejected_by_server (`djp team push`: the database refused the row)
};

// parseVocabulary<ProblemCode>() gives nullopt for a code this version does not know (e.g. read from a newer index):
// shown as the raw id.
template <>
inline constexpr std::array<VocabularyEntry<ProblemCode>, 21> kVocabulary<ProblemCode> { {
    { ProblemCode::IoError, QLatin1String("io_error") },
    { ProblemCode::NotRegularFile, QLatin1String("not_regular_file") },
    { ProblemCode::Empty, QLatin1String("empty") },
    { ProblemCode::TooLarge, QLatin1String("too_large") },
    { ProblemCode::Binary, QLatin1String("binary") },
    { ProblemCode::NotJson, QLatin1String("not_json") },
    { ProblemCode::TooDeep, QLatin1String("too_deep") },
    { ProblemCode::NotObject, QLatin1String("not_object") },
    { ProblemCode::NoSchemaVersion, QLatin1String("no_schema_version") },
    { ProblemCode::NoRunMetadata, QLatin1String("no_run_metadata") },
    { ProblemCode::UnsupportedVersion, QLatin1String("unsupported_version") },
    { ProblemCode::WrongType, QLatin1String("wrong_type") },
    { ProblemCode::BadTimestamp, QLatin1String("bad_timestamp") },
    { ProblemCode::TeamHistory, QLatin1String("team_history") },
    { ProblemCode::RecoveredTemp, QLatin1String("recovered_temp") },
    { ProblemCode::RemovedTemp, QLatin1String("removed_temp") },
    { ProblemCode::KeptTemp, QLatin1String("kept_temp") },
    { ProblemCode::RecoveredInterruptedRun, QLatin1String("recovered_interrupted_run") },
    { ProblemCode::JournalError, QLatin1String("journal_error") },
    { ProblemCode::RepairError, QLatin1String("repair_error") },
    { ProblemCode::RejectedByServer, QLatin1String("rejected_by_server") },
} };

struct Problem
{
    QString path; // absolute path of the file
    QString code; // the JSON id of a ProblemCode; kept as a string so that a foreign code survives as-is
    QString detail; // facts: byte offset, field path, expected type...

    std::optional<ProblemCode> kind() const { return parseVocabulary<ProblemCode>(code); }
    bool is(ProblemCode c) const { return code == vocabularyId(c); }
};

} // namespace djp

Q_DECLARE_METATYPE(djp::Problem)
