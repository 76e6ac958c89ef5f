#include "pipeline/guardrails.h"

#include "pipeline/textutil.h"

namespace djp {

const QStringList& blockingFlags()
{
    static const QStringList flags { QStringLiteral("policy_violation"), QStringLiteral("hate_speech"),
        QStringLiteral("harassment"), QStringLiteral("violence"), QStringLiteral("illegal_content"),
        QStringLiteral("privacy_violation"), QStringLiteral("copyright_violation"),
        QStringLiteral("disqualified_citations") };
    return flags;
}

bool isBlockingFlag(const QString& flag)
{
    return blockingFlags().contains(flag.trimmed().toLower());
}

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber();
}

void addSpan(std::vector<QuotedSpan>& out, QStringView text, qsizetype start, qsizetype end, const char* kind)
{
    if (end <= start)
        return;
    QuotedSpan s;
    s.start = start;
    s.length = end - start;
    s.words = wordCount(text.mid(start, end - start));
    s.kind = QString::fromLatin1(kind);
    out.push_back(s);
}

// Pairs quotes left to right: each opening quote is closed by the next closing quote. Every
// character is visited a bounded number of times.
void scanDoubleQuotes(QStringView t, std::vector<QuotedSpan>& out)
{
    qsizetype i = 0;
    const qsizetype n = t.size();
    bool straightOpen = true; // false once a straight quote was found unclosed (none later can close)
    bool curlyOpen = true;
    while (i < n) {
        const QChar c = t[i];
        const bool straight = c == QLatin1Char('"') && straightOpen;
        const bool curly = c == QChar(0x201C) && curlyOpen;
        if (straight || curly) {
            const QChar close = straight ? QLatin1Char('"') : QChar(0x201D);
            qsizetype j = i + 1;
            while (j < n && t[j] != close)
                ++j;
            if (j >= n) {
                (straight ? straightOpen : curlyOpen) = false;
                ++i;
                continue;
            }
            addSpan(out, t, i + 1, j, "double_quote");
            i = j + 1;
        } else {
            ++i;
        }
    }
}

// A single quote opens when not preceded by a word character and closes when not followed by one,
// so apostrophes in "don't" or "the users' files" are not taken for quotes.
void scanSingleQuotes(QStringView t, std::vector<QuotedSpan>& out)
{
    const qsizetype n = t.size();
    auto isQuote = [](QChar c) { return c == QLatin1Char('\'') || c == QChar(0x2018) || c == QChar(0x2019); };
    qsizetype i = 0;
    while (i < n) {
        if (isQuote(t[i]) && (i == 0 || !isWordChar(t[i - 1])) && i + 1 < n && !t[i + 1].isSpace()) {
            qsizetype j = i + 1;
            while (j < n && !(isQuote(t[j]) && (j + 1 >= n || !isWordChar(t[j + 1])) && !t[j - 1].isSpace()))
                ++j;
            if (j >= n)
                return;
            addSpan(out, t, i + 1, j, "single_quote");
            i = j + 1;
        } else {
            ++i;
        }
    }
}

void scanCodeBlocks(QStringView t, std::vector<QuotedSpan>& out)
{
    const QLatin1String fence("```");
    qsizetype from = 0;
    while (true) {
        const qsizetype open = t.indexOf(fence, from);
        if (open < 0)
            return;
        const qsizetype close = t.indexOf(fence, open + 3);
        if (close < 0)
            return;
        addSpan(out, t, open + 3, close, "code_block");
        from = close + 3;
    }
}

void scanBlockquotes(QStringView t, std::vector<QuotedSpan>& out)
{
    QString content;
    qsizetype blockStart = -1;
    auto flush = [&] {
        if (blockStart >= 0 && !content.isEmpty()) {
            QuotedSpan s;
            s.start = blockStart;
            s.length = content.size();
            s.words = wordCount(content);
            s.kind = QStringLiteral("blockquote");
            out.push_back(s);
        }
        content.clear();
        blockStart = -1;
    };
    qsizetype lineStart = 0;
    const qsizetype n = t.size();
    while (lineStart <= n) {
        qsizetype lineEnd = t.indexOf(QLatin1Char('\n'), lineStart);
        if (lineEnd < 0)
            lineEnd = n;
        QStringView line = t.mid(lineStart, lineEnd - lineStart).trimmed();
        if (line.startsWith(QLatin1Char('>'))) {
            if (blockStart < 0)
                blockStart = lineStart;
            if (!content.isEmpty())
                content += QLatin1Char('\n');
            content += line.mid(1).trimmed();
        } else {
            flush();
        }
        lineStart = lineEnd + 1;
    }
    flush();
}

// Finds `needle` (lower case ASCII) in hay[from, limit); only that window is searched, so the scan
// stays linear in the text length.
qsizetype findIn(QStringView hay, QLatin1String needle, qsizetype from, qsizetype limit)
{
    if (from >= limit)
        return -1;
    const qsizetype idx = hay.mid(from, limit - from).indexOf(needle);
    return idx >= 0 ? from + idx : -1;
}

} // namespace

std::vector<QuotedSpan> findQuotedSpans(QStringView text)
{
    std::vector<QuotedSpan> out;
    scanDoubleQuotes(text, out);
    scanSingleQuotes(text, out);
    scanCodeBlocks(text, out);
    scanBlockquotes(text, out);
    return out;
}

QString findRefusal(QStringView text)
{
    struct Pattern
    {
        std::vector<QLatin1String> parts;
        const char* name;
    };
    static const std::vector<Pattern> patterns {
        { { QLatin1String("i cannot"), QLatin1String("provide"), QLatin1String("information") },
            "I cannot ... provide ... information" },
        { { QLatin1String("i'm sorry"), QLatin1String("i cannot") }, "I'm sorry ... I cannot" },
        { { QLatin1String("i am sorry"), QLatin1String("i cannot") }, "I'm sorry ... I cannot" },
        { { QLatin1String("i don't have"), QLatin1String("access to") }, "I don't have ... access to" },
        { { QLatin1String("i do not have"), QLatin1String("access to") }, "I don't have ... access to" },
        { { QLatin1String("as an ai"), QLatin1String("i cannot") }, "As an AI ... I cannot" },
    };
    constexpr qsizetype kWindow = 200;
    QString lower = text.toString().toLower();
    lower.replace(QChar(0x2019), QLatin1Char('\'')); // curly apostrophe
    lower.replace(QLatin1String("can't"), QLatin1String("cannot"));
    lower.replace(QLatin1String("can not"), QLatin1String("cannot"));
    const QStringView hay(lower);
    for (const Pattern& p : patterns) {
        qsizetype from = 0;
        while (true) {
            const qsizetype start = hay.indexOf(p.parts.front(), from);
            if (start < 0)
                break;
            from = start + 1;
            const qsizetype afterFirst = start + p.parts.front().size();
            if ((start > 0 && isWordChar(hay[start - 1])) || (afterFirst < hay.size() && isWordChar(hay[afterFirst])))
                continue; // "as an aid" is not "as an ai"
            qsizetype lineEnd = hay.indexOf(QLatin1Char('\n'), start);
            if (lineEnd < 0)
                lineEnd = hay.size();
            const qsizetype limit = std::min(lineEnd, start + kWindow);
            qsizetype pos = start + p.parts.front().size();
            bool matched = true;
            for (size_t k = 1; k < p.parts.size() && matched; ++k) {
                const qsizetype at = findIn(hay, p.parts[k], pos, limit);
                matched = at >= 0;
                pos = at + p.parts[k].size();
            }
            if (matched)
                return QString::fromLatin1(p.name);
        }
    }
    return {};
}

GuardrailResult checkGuardrails(const QString& text, const QStringList& safetyFlags)
{
    GuardrailResult r;
    QStringList blocking;
    for (const QString& f : safetyFlags)
        if (isBlockingFlag(f))
            blocking.append(f.trimmed().toLower());
    blocking.removeDuplicates();
    if (!blocking.isEmpty())
        r.problems.append(QStringLiteral("blocking safety flags: %1").arg(blocking.join(QLatin1String(", "))));
    for (const QuotedSpan& s : findQuotedSpans(text)) {
        if (s.length >= kQuoteMinChars && s.words >= kQuoteMinWords) {
            r.problems.append(QStringLiteral("long quoted span (%1, %2 characters, %3 words)")
                                  .arg(s.kind)
                                  .arg(s.length)
                                  .arg(s.words));
            break;
        }
    }
    if (const QString refusal = findRefusal(text); !refusal.isEmpty())
        r.problems.append(QStringLiteral("refusal pattern \"%1\"").arg(refusal));
    r.ok = r.problems.isEmpty();
    return r;
}

} // namespace djp
