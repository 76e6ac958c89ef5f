#pragma once
// Synthetic run artifacts for benchmarks and tests (never linked into the product: djp_benchdata).
// Three shapes (SyntheticShape). Mixed, the default the tests use: realistic files (~12 KB, like real runs: drafts
// with ~250-word answers, evidence, ranked drafts, publish text, provenance maps, calls[] for 2.0),
// mixing legacy 1.1 (naive timestamps, 2-space indent, minute-resolution names under archive/) and
// 2.0 files (offset timestamps, unique names in the top folder), plus an optional share of corrupt
// files. Output is deterministic for (seed, endMs, count, shares): file i depends only on those.
#include <QString>
#include <QStringList>
#include <string>

namespace djp {

enum class SyntheticShape
{
    // 70 % schema 2.0 + 30 % legacy 1.1 under archive/, plain ASCII texts (what the tests build on).
    Mixed,
    // Like a real legacy folder: only 1.1 (and a few 1.0) files named YYYY.MM.DD-HHMM.json in the top
    // folder, written the way Python's json.dump(indent=2) did (non-ASCII escaped as \uXXXX), 2-5
    // drafts with markdown answers of very different lengths, 0-6 evidence items, ~12 KB on average.
    Legacy,
    // The same realistic texts in schema 2.0 files (raw UTF-8, as our writer emits them).
    Current,
};

struct SyntheticOptions
{
    SyntheticShape shape = SyntheticShape::Mixed;
    int count = 1000; // files written, corrupt ones included
    quint64 seed = 42;
    double legacyShare = 0.3; // share of schema 1.1 files (Mixed only)
    double corruptShare = 0.0; // share of files that are not usable artifacts (problems)
    double noTimestampShare = 0.005; // share of valid runs without a usable timestamp
    qint64 endMs = 0; // newest possible run (UTC ms); 0 = now
    int spanDays = 120; // runs are spread over [endMs - spanDays, endMs]
    int maxThreads = 0; // 0 = QThread::idealThreadCount()
};

struct SyntheticResult
{
    bool ok = false;
    QString error; // first I/O error, when !ok
    int written = 0; // files written
    qint64 bytes = 0; // total bytes written
    int legacyFiles = 0; // valid 1.1 files
    int noTimestamp = 0; // valid files whose timestamp is missing or unparseable
    QStringList corruptFiles; // absolute paths of the corrupt files, sorted
    // Valid 2.0 files whose timestamp is present but unusable ("" or words): the readers load them
    // and list a bad_timestamp problem for each. Absolute paths, sorted.
    QStringList badTimestampFiles;
};

// Writes the files into `dir` (created if needed). Existing files of the same names are replaced.
SyntheticResult writeSyntheticArtifacts(const QString& dir, const SyntheticOptions& options);

// The bytes of one valid artifact (index `i` of the set described by `options`), for tests that want
// to add or rewrite a single file. `legacy` chooses the 1.1 layout.
std::string syntheticArtifactBytes(const SyntheticOptions& options, int i, bool legacy);

} // namespace djp
