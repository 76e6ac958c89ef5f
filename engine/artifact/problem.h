#pragma once
#include <QMetaType>
#include <QString>

namespace djp {

// A file in the runs directory that could not be used as a run artifact. The engine reports codes
// and facts; front ends choose the words. Codes (stable, used in `djp metrics --json`):
//   io_error, empty, too_large, binary, not_json (syntax error, truncated, NaN, comments),
//   too_deep, not_object, no_schema_version, no_run_metadata, unsupported_version, wrong_type
// and notes on what the store put right before reading (store/runsfolderrepair.h): recovered_temp,
// removed_temp, kept_temp, recovered_interrupted_run, journal_error, repair_error
struct Problem
{
    QString path; // absolute path of the file
    QString code; // one of the codes above
    QString detail; // facts: byte offset, field path, expected type...
};

} // namespace djp

Q_DECLARE_METATYPE(djp::Problem)
