#pragma once
// Grounded mode (docs/pipeline.md): a folder of .txt/.md documents, TF-IDF/BM25 retrieval of the passages
// most relevant to the task, numbered sources for the debaters, and counting which sources the
// final text cites. Pure and synchronous (corpus loading reads files: call it off the GUI thread).
#include "core/vocabulary.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace djp {

struct CorpusDocument
{
    QString docId; // path relative to the corpus root, without extension ("energy/solar")
    QString title; // first Markdown heading, else the file name with _/- as spaces
    QString path; // absolute path
    QString text;
};

// Why a file of a grounding corpus could not be used.
enum class CorpusProblemCode
{
    NotFound, // not_found: the corpus folder does not exist
    NotADirectory, // not_a_directory
    TooLarge, // too_large: one file over the per-file limit
    TotalLimit, // total_limit: the corpus is over its total size
    FileLimit, // file_limit: more files than the limit
    Unreadable, // unreadable
    NotUtf8, // not_utf8
    Empty, // empty
};
template <>
inline constexpr std::array<VocabularyEntry<CorpusProblemCode>, 8> kVocabulary<CorpusProblemCode> { {
    { CorpusProblemCode::NotFound, QLatin1String("not_found") },
    { CorpusProblemCode::NotADirectory, QLatin1String("not_a_directory") },
    { CorpusProblemCode::TooLarge, QLatin1String("too_large") },
    { CorpusProblemCode::TotalLimit, QLatin1String("total_limit") },
    { CorpusProblemCode::FileLimit, QLatin1String("file_limit") },
    { CorpusProblemCode::Unreadable, QLatin1String("unreadable") },
    { CorpusProblemCode::NotUtf8, QLatin1String("not_utf8") },
    { CorpusProblemCode::Empty, QLatin1String("empty") },
} };

// A file that could not be used.
struct CorpusProblem
{
    QString path;
    QString code; // a CorpusProblemCode id
    QString detail;
};

struct CorpusLimits
{
    qint64 maxFileBytes = 2 * 1024 * 1024;
    qint64 maxTotalBytes = 64 * 1024 * 1024;
    int maxFiles = 5000;
};

struct Corpus
{
    QString root;
    bool loaded = false; // the folder existed and at least one document was read
    std::vector<CorpusDocument> documents;
    std::vector<CorpusProblem> problems;
};

// Reads *.txt and *.md recursively (hidden files and folders skipped), in sorted path order.
Corpus loadCorpus(const QString& folder, const CorpusLimits& limits = {});

// A numbered source handed to debaters: "[S<number>] <title>: <passage>".
struct Source
{
    int number = 0; // 1-based
    QString docId;
    QString title;
    QString path;
    QString passage;
};

// Splits every document into passages of about `passageWords` words (paragraph-aligned), ranks them
// for `task` with BM25 and returns the best passage of each of the top `k` documents (documents
// without any matching term are not returned), numbered 1..n.
std::vector<Source> retrieveSources(const Corpus& corpus, const QString& task, int k = 5, int passageWords = 120);

struct CitationReport
{
    std::vector<Source> cited; // distinct sources the text cites, in source order
    int required = 0;
    std::optional<QString> failReason; // "Insufficient citations: n found, N required"
};

// Everything the artifact's grounding section needs.
struct GroundingSummary
{
    bool enabled = false;
    bool corpusLoaded = false;
    int corpusDocs = 0;
    std::vector<Source> sources; // what the debaters were given
    CitationReport report; // citations of the final text (report.required = grounded_required)
};

// A source counts as cited when the text contains its marker ([S1], also inside groups like
// [S1, S3] or [S1][S2]) or mentions its title (case-insensitive, titles of 4+ characters).
CitationReport countCitations(const QString& text, const std::vector<Source>& sources, int required);

} // namespace djp
