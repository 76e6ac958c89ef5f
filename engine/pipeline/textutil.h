#pragma once
// Small text helpers shared by the heuristic judge, grounding retrieval and guardrails.
// Pure functions, safe on any thread.
#include <QString>
#include <QStringList>
#include <optional>

namespace djp {

// Lower-cased alphanumeric terms of length >= 3 with common English stop words removed, in order
// of appearance (duplicates kept). Used for word-overlap relevance and TF-IDF/BM25.
QStringList contentTerms(QStringView text);

// Number of whitespace-separated words.
int wordCount(QStringView text);

// The answer length a task asks for, in words: "in 100 words", "a 50-word summary", "3 sentences"
// (x 20 words), "one sentence" (20), "one paragraph" (120). nullopt when the task does not say.
std::optional<int> requestedWordCount(QStringView task);

// Default answer length asked of debaters when the task does not say (docs/pipeline.md).
inline constexpr int kDefaultAnswerWords = 250;

// Python-style repr of a list of strings, as the legacy tool wrote it in publish reasons:
// ['openai/gpt-4o', 'openai/gpt-4o-mini'] (or [] when empty).
QString pythonListRepr(const QStringList& items);

} // namespace djp
