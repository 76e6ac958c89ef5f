#pragma once
// Publish guardrails (docs/pipeline.md, legacy rules): blocking safety flags, long quoted spans and refusal
// patterns. Every scan is hand-written and linear in the text length (no regex backtracking), so a
// megabyte of adversarial text is checked in milliseconds. Pure functions, safe on any thread.
#include <QString>
#include <QStringList>

namespace djp {

// The legacy blocking flags, lower case.
const QStringList& blockingFlags();
// Case-insensitive, surrounding whitespace ignored.
bool isBlockingFlag(const QString& flag);

// Legacy thresholds: a quoted span blocks when it has at least this many characters AND words.
inline constexpr int kQuoteMinChars = 100;
inline constexpr int kQuoteMinWords = 75;

struct QuotedSpan
{
    qsizetype start = 0; // of the quoted content (inside the quotes)
    qsizetype length = 0;
    int words = 0;
    QString kind; // "double_quote" | "single_quote" | "code_block" | "blockquote"
};

// All quoted spans: "..." (and curly “...”), '...' (an apostrophe inside a word such as don't is not
// a quote), ``` fenced blocks ``` and runs of consecutive lines starting with '>'.
std::vector<QuotedSpan> findQuotedSpans(QStringView text);

// The first refusal pattern found ("I cannot … provide … information", "I'm sorry … I cannot",
// "I don't have … access to", "As an AI … I cannot"), matched case-insensitively within one line and
// at most 200 characters; empty when none.
QString findRefusal(QStringView text);

struct GuardrailResult
{
    bool ok = true;
    QStringList problems; // one short phrase per failed rule
    QString reason() const { return problems.join(QLatin1String("; ")); }
};

GuardrailResult checkGuardrails(const QString& text, const QStringList& safetyFlags);

} // namespace djp
