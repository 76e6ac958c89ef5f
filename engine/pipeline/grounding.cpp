#include "pipeline/grounding.h"

#include "pipeline/textutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>
#include <algorithm>
#include <cmath>

namespace djp {

namespace {

QString titleFor(const QString& text, const QFileInfo& fi)
{
    for (QStringView line : QStringView(text).split(QLatin1Char('\n'))) {
        const QStringView t = line.trimmed();
        if (t.isEmpty())
            continue;
        if (t.startsWith(QLatin1Char('#'))) {
            qsizetype i = 0;
            while (i < t.size() && t[i] == QLatin1Char('#'))
                ++i;
            const QString heading = t.mid(i).trimmed().toString();
            if (!heading.isEmpty())
                return heading;
        }
        break;
    }
    QString name = fi.completeBaseName();
    name.replace(QLatin1Char('_'), QLatin1Char(' '));
    name.replace(QLatin1Char('-'), QLatin1Char(' '));
    return name.simplified();
}

struct Passage
{
    int doc = 0;
    QString text;
    QHash<QString, int> tf;
    int length = 0;
};

void addChunk(std::vector<Passage>& out, int doc, const QString& text)
{
    if (text.trimmed().isEmpty())
        return;
    Passage p;
    p.doc = doc;
    p.text = text.trimmed();
    out.push_back(std::move(p));
}

// Paragraph-aligned chunks of about `target` words; longer paragraphs are cut by words.
void splitPassages(std::vector<Passage>& out, int doc, const QString& text, int target)
{
    static const QRegularExpression blank(QStringLiteral("\\n\\s*\\n"));
    QString chunk;
    int chunkWords = 0;
    for (const QString& para : text.split(blank, Qt::SkipEmptyParts)) {
        const QString p = para.trimmed();
        const int words = wordCount(p);
        if (words > 2 * target) {
            addChunk(out, doc, chunk);
            chunk.clear();
            chunkWords = 0;
            const QStringList w = p.simplified().split(QLatin1Char(' '));
            for (qsizetype i = 0; i < w.size(); i += target)
                addChunk(out, doc, w.mid(i, target).join(QLatin1Char(' ')));
            continue;
        }
        if (chunkWords > 0 && chunkWords + words > target) {
            addChunk(out, doc, chunk);
            chunk.clear();
            chunkWords = 0;
        }
        chunk += (chunk.isEmpty() ? QString() : QStringLiteral("\n\n")) + p;
        chunkWords += words;
    }
    addChunk(out, doc, chunk);
}

} // namespace

Corpus loadCorpus(const QString& folder, const CorpusLimits& limits)
{
    Corpus c;
    const QFileInfo rootInfo(folder);
    c.root = rootInfo.absoluteFilePath();
    if (!rootInfo.exists()) {
        c.problems.push_back(
            { c.root, vocabularyId(CorpusProblemCode::NotFound), QStringLiteral("corpus folder does not exist") });
        return c;
    }
    if (!rootInfo.isDir()) {
        c.problems.push_back(
            { c.root, vocabularyId(CorpusProblemCode::NotADirectory), QStringLiteral("corpus is not a folder") });
        return c;
    }
    QStringList paths;
    QDirIterator it(c.root,
        { QStringLiteral("*.txt"), QStringLiteral("*.md"), QStringLiteral("*.TXT"), QStringLiteral("*.MD"),
            QStringLiteral("*.markdown") },
        QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        paths.append(it.next());
    paths.sort();
    const QDir root(c.root);
    qint64 total = 0;
    for (const QString& path : paths) {
        const QFileInfo fi(path);
        if (int(c.documents.size()) >= limits.maxFiles) {
            c.problems.push_back({ path, vocabularyId(CorpusProblemCode::FileLimit),
                QStringLiteral("more than %1 files; the rest were skipped").arg(limits.maxFiles) });
            break;
        }
        if (fi.size() > limits.maxFileBytes) {
            c.problems.push_back({ path, vocabularyId(CorpusProblemCode::TooLarge),
                QStringLiteral("%1 bytes, limit %2").arg(fi.size()).arg(limits.maxFileBytes) });
            continue;
        }
        if (total + fi.size() > limits.maxTotalBytes) {
            c.problems.push_back({ path, vocabularyId(CorpusProblemCode::TotalLimit),
                QStringLiteral("corpus larger than %1 bytes; the rest were skipped").arg(limits.maxTotalBytes) });
            break;
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            c.problems.push_back({ path, vocabularyId(CorpusProblemCode::Unreadable), f.errorString() });
            continue;
        }
        const QByteArray bytes = f.readAll();
        total += bytes.size();
        QStringDecoder dec(QStringDecoder::Utf8);
        QString text = dec.decode(bytes);
        if (dec.hasError()) {
            c.problems.push_back(
                { path, vocabularyId(CorpusProblemCode::NotUtf8), QStringLiteral("not valid UTF-8 text") });
            continue;
        }
        if (text.startsWith(QChar(0xFEFF)))
            text.remove(0, 1);
        if (text.trimmed().isEmpty()) {
            c.problems.push_back({ path, vocabularyId(CorpusProblemCode::Empty), QStringLiteral("no text") });
            continue;
        }
        CorpusDocument d;
        const QString rel = root.relativeFilePath(path);
        d.docId = rel.left(rel.size() - fi.suffix().size() - 1);
        d.title = titleFor(text, fi);
        d.path = fi.absoluteFilePath();
        d.text = text;
        c.documents.push_back(std::move(d));
    }
    c.loaded = !c.documents.empty();
    return c;
}

std::vector<Source> retrieveSources(const Corpus& corpus, const QString& task, int k, int passageWords)
{
    std::vector<Source> out;
    QStringList query = contentTerms(task);
    query.removeDuplicates();
    if (query.isEmpty() || k <= 0 || corpus.documents.empty())
        return out;

    std::vector<Passage> passages;
    for (size_t d = 0; d < corpus.documents.size(); ++d)
        splitPassages(passages, int(d), corpus.documents[d].text, std::max(20, passageWords));
    QHash<QString, int> df;
    double totalLength = 0.0;
    for (Passage& p : passages) {
        QStringList terms = contentTerms(p.text);
        terms += contentTerms(corpus.documents[size_t(p.doc)].title); // a passage inherits its title
        p.length = int(terms.size());
        totalLength += p.length;
        for (const QString& t : terms)
            ++p.tf[t];
        for (auto it = p.tf.cbegin(); it != p.tf.cend(); ++it)
            ++df[it.key()];
    }
    const double n = double(passages.size());
    const double avgLength = std::max(1.0, totalLength / n);
    constexpr double k1 = 1.5;
    constexpr double b = 0.75;

    // Best BM25 passage per document.
    std::vector<std::pair<double, int>> best(corpus.documents.size(), { 0.0, -1 });
    for (size_t pi = 0; pi < passages.size(); ++pi) {
        const Passage& p = passages[pi];
        double score = 0.0;
        for (const QString& q : query) {
            const int f = p.tf.value(q);
            if (f == 0)
                continue;
            const double dfq = df.value(q);
            const double idf = std::log(1.0 + (n - dfq + 0.5) / (dfq + 0.5));
            score += idf * (f * (k1 + 1.0)) / (f + k1 * (1.0 - b + b * p.length / avgLength));
        }
        auto& slot = best[size_t(p.doc)];
        if (score > slot.first)
            slot = { score, int(pi) };
    }
    std::vector<int> docs;
    for (size_t d = 0; d < best.size(); ++d)
        if (best[d].second >= 0)
            docs.push_back(int(d));
    std::sort(docs.begin(), docs.end(), [&](int a, int c) {
        if (best[size_t(a)].first != best[size_t(c)].first)
            return best[size_t(a)].first > best[size_t(c)].first;
        return corpus.documents[size_t(a)].docId < corpus.documents[size_t(c)].docId;
    });
    for (int d : docs) {
        if (int(out.size()) >= k)
            break;
        const CorpusDocument& doc = corpus.documents[size_t(d)];
        Source s;
        s.number = int(out.size()) + 1;
        s.docId = doc.docId;
        s.title = doc.title;
        s.path = doc.path;
        s.passage = passages[size_t(best[size_t(d)].second)].text;
        out.push_back(std::move(s));
    }
    return out;
}

CitationReport countCitations(const QString& text, const std::vector<Source>& sources, int required)
{
    CitationReport r;
    r.required = required;
    QSet<int> numbers;
    // [S1], [S1, S3], [s2; S4], [S1][S2]: every S<digits> token inside a short bracket group. One
    // linear pass: each ']' looks back at most 80 characters to the last '['.
    qsizetype lastOpen = -1;
    for (qsizetype close = 0; close < text.size(); ++close) {
        if (text[close] == QLatin1Char('[')) {
            lastOpen = close;
            continue;
        }
        if (text[close] != QLatin1Char(']') || lastOpen < 0)
            continue;
        const qsizetype open = lastOpen;
        lastOpen = -1;
        if (close - open > 80)
            continue;
        const QStringView inside = QStringView(text).mid(open + 1, close - open - 1);
        for (qsizetype i = 0; i < inside.size(); ++i) {
            if ((inside[i] == QLatin1Char('S') || inside[i] == QLatin1Char('s'))
                && (i == 0 || !inside[i - 1].isLetterOrNumber())) {
                qsizetype j = i + 1;
                while (j < inside.size() && inside[j].isDigit())
                    ++j;
                if (j > i + 1 && (j == inside.size() || !inside[j].isLetter()))
                    numbers.insert(inside.mid(i + 1, j - i - 1).toInt());
            }
        }
    }
    for (const Source& s : sources) {
        const bool titleUsable = s.title.size() >= 8 || s.title.contains(QLatin1Char(' '));
        if (numbers.contains(s.number) || (titleUsable && text.contains(s.title, Qt::CaseInsensitive)))
            r.cited.push_back(s);
    }
    const int found = int(r.cited.size());
    if (found < required)
        r.failReason = QStringLiteral("Insufficient citations: %1 found, %2 required").arg(found).arg(required);
    return r;
}

} // namespace djp
