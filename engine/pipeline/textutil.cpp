#include "pipeline/textutil.h"

#include <QRegularExpression>
#include <QSet>

namespace djp {

namespace {

const QSet<QString>& stopWords()
{
    static const QSet<QString> words = [] {
        const char* list[] = { "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her",
            "was", "one", "our", "out", "has", "have", "him", "his", "how", "its", "may", "new", "now", "old", "see",
            "two", "way", "who", "did", "get", "let", "say", "she", "too", "use", "that", "this", "with", "from",
            "they", "will", "would", "there", "their", "what", "about", "which", "when", "make", "like", "time", "just",
            "know", "take", "into", "your", "some", "could", "them", "than", "then", "these", "those", "been", "also",
            "were", "does", "each", "such", "very", "much", "more", "most", "other", "over", "only", "should", "being",
            "while", "where", "here", "after", "before", "because", "between", "both", "through", "during", "without",
            "within", "under", "above", "again", "further", "once", "why", "own", "same", "few", "nor", "off", "yes",
            "itself", "ours", "yours", "theirs", "please", "explain", "describe", "write", "give", "provide", "answer",
            "words", "word", "short", "brief" };
        QSet<QString> s;
        for (const char* w : list)
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

} // namespace

QStringList contentTerms(QStringView text)
{
    QStringList out;
    QString current;
    auto flush = [&] {
        if (current.size() >= 3 && !stopWords().contains(current))
            out.append(current);
        current.clear();
    };
    for (QChar c : text) {
        if (c.isLetterOrNumber())
            current.append(c.toLower());
        else
            flush();
    }
    flush();
    return out;
}

int wordCount(QStringView text)
{
    int n = 0;
    bool inWord = false;
    for (QChar c : text) {
        if (c.isSpace()) {
            inWord = false;
        } else if (!inWord) {
            inWord = true;
            ++n;
        }
    }
    return n;
}

std::optional<int> requestedWordCount(QStringView task)
{
    static const QRegularExpression wordsRe(
        QStringLiteral("(?<![\\d.])(\\d{1,4})\\s*-?\\s*words?\\b"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression sentencesRe(
        QStringLiteral("\\b(\\d{1,2}|one|a|single|two|three|four|five)\\s*-?\\s*sentences?\\b"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression paragraphRe(
        QStringLiteral("\\b(one|a|single)\\s*-?\\s*paragraph\\b"), QRegularExpression::CaseInsensitiveOption);
    const QString t = task.toString();
    if (auto m = wordsRe.match(t); m.hasMatch()) {
        const int n = m.captured(1).toInt();
        if (n > 0)
            return n;
    }
    if (auto m = sentencesRe.match(t); m.hasMatch()) {
        const QString w = m.captured(1).toLower();
        static const QStringList names { QStringLiteral("zero"), QStringLiteral("one"), QStringLiteral("two"),
            QStringLiteral("three"), QStringLiteral("four"), QStringLiteral("five") };
        int n = names.indexOf(w);
        if (w == QLatin1String("a") || w == QLatin1String("single"))
            n = 1;
        if (n < 0)
            n = w.toInt();
        if (n > 0)
            return n * 20;
    }
    if (paragraphRe.match(t).hasMatch())
        return 120;
    return std::nullopt;
}

QString pythonListRepr(const QStringList& items)
{
    QStringList parts;
    for (const QString& s : items) {
        // repr() prefers single quotes and switches to double quotes when the text holds a single
        // quote but no double quote; otherwise single quotes are escaped.
        const bool useDouble = s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"'));
        const QChar q = useDouble ? QLatin1Char('"') : QLatin1Char('\'');
        QString body = s;
        body.replace(QLatin1String("\\"), QLatin1String("\\\\"));
        if (!useDouble)
            body.replace(QLatin1String("'"), QLatin1String("\\'"));
        parts.append(q + body + q);
    }
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

} // namespace djp
