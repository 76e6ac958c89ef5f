#pragma once
// Side-by-side comparison of 2–4 run artifacts: what `djp compare` prints and what the Studio's
// Compare window shows (both use this, so they never disagree). Rows are facts read from each
// artifact — task, parameters, outcome, each debater's rank, score and judge reasons, per-model calls,
// tokens and cost, totals — one value per run, with `differs` set when the runs disagree.
// Values are plain text in a neutral form (numbers as written by the engine, USD with 6 decimals);
// the GUI and the CLI decide how to present them.
//
// Threading: pure functions; compareArtifacts() reads files, so call it off the GUI thread.
#include "core/jsonutil.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace djp {

struct ComparisonRow
{
    QString section; // "run", "parameters", "outcome", "drafts", "models", "totals"
    QString field; // e.g. "task", "max_tokens", "openai/gpt-4o score"
    QStringList values; // one per run; "" when the run has no such value
    bool differs = false;
};

struct RunComparison
{
    QStringList paths; // absolute, in the order given
    QStringList runNames; // short names for column titles: file name without ".json"
    std::vector<ComparisonRow> rows;
    QStringList errors; // "<path>: <code>: <detail>" for files that could not be read
    bool ok() const { return errors.isEmpty() && paths.size() >= 2; }
};

inline constexpr int kMinComparedRuns = 2;
inline constexpr int kMaxComparedRuns = 4;

// Rows from already loaded documents (tests, the GUI when it has them); `paths` name the columns.
RunComparison compareDocuments(const QStringList& paths, const std::vector<Json>& documents);
// Loads each artifact with the same acceptance rules as every reader, then compares. Fewer than 2 or
// more than 4 paths is an error (in `errors`).
RunComparison compareArtifacts(const QStringList& paths);

// Text for a terminal: one block per section, a column per run, "*" before rows that differ.
QString comparisonText(const RunComparison& comparison);
// {"runs": [{path, name}], "rows": [{section, field, values: [...], differs}], "errors": [...]}.
Json comparisonJson(const RunComparison& comparison);

} // namespace djp
