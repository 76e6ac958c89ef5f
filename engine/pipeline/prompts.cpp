#include "pipeline/prompts.h"

#include "pipeline/textutil.h"

#include <QRegularExpression>
#include <algorithm>
#include <random>

namespace djp {

namespace {

const QString kJsonOnly = QStringLiteral("Reply with a single JSON object and nothing else.");

// A pattern matching the labels, model ids and vendor names of the drafts' models (longest first),
// minus any the task itself mentions (then they are subject matter, not authorship). Invalid (never
// matching) when there is nothing to mask.
QRegularExpression identityPattern(const QString& task, const std::vector<Draft>& drafts)
{
    QStringList terms;
    for (const Draft& d : drafts) {
        const qsizetype slash = d.label.indexOf(QLatin1Char('/'));
        terms.append(d.label);
        if (slash > 0) {
            terms.append(d.label.mid(slash + 1));
            terms.append(d.label.left(slash));
        }
    }
    terms.removeDuplicates();
    terms.removeIf([&](const QString& t) { return t.size() < 3 || task.contains(t, Qt::CaseInsensitive); });
    if (terms.isEmpty())
        return QRegularExpression();
    std::sort(terms.begin(), terms.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
    QStringList escaped;
    for (const QString& t : terms)
        escaped.append(QRegularExpression::escape(t));
    return QRegularExpression(
        QStringLiteral("(?<![A-Za-z0-9])(?:%1)(?![A-Za-z0-9])").arg(escaped.join(QLatin1Char('|'))),
        QRegularExpression::CaseInsensitiveOption);
}

// What every prompt opens with: the model's role, which ends by asking for JSON only, and the task.
Prompt openPrompt(const QString& role, const QString& task)
{
    Prompt p;
    p.system = role + kJsonOnly;
    p.user = QStringLiteral("Task:\n") + task.trimmed() + QStringLiteral("\n\n");
    return p;
}

QString maskIdentity(QString text, const QRegularExpression& identity)
{
    if (!identity.pattern().isEmpty())
        text.replace(identity, QStringLiteral("[model]"));
    // A draft must not be able to fake a block header.
    text.replace(QLatin1String("[Draft"), QLatin1String("(Draft"), Qt::CaseInsensitive);
    return text;
}

} // namespace

Prompt buildDebatePrompt(const QString& task, int requireCitations, const std::vector<Source>& sources)
{
    Prompt p = openPrompt(QStringLiteral("You are one of several expert debaters answering the same task "
                                         "independently. Be accurate and specific, and do not invent facts or "
                                         "sources. "),
        task);
    QString& u = p.user;
    if (requestedWordCount(task))
        u += QStringLiteral("Answer the task in the length it asks for.\n");
    else
        u += QStringLiteral("Answer the task in about %1 words unless the task asks for another length.\n")
                 .arg(kDefaultAnswerWords);
    const int lo = std::max(2, requireCitations);
    const int hi = std::max(5, requireCitations);
    u += QStringLiteral("Support the answer with %1-%2 evidence items: specific facts, data or references a reader "
                        "can check.\n")
             .arg(lo)
             .arg(hi);
    if (requireCitations > 0)
        u += QStringLiteral("Required evidence items: %1\n").arg(requireCitations);
    if (!sources.empty()) {
        u += QStringLiteral("\nSources:\n");
        for (const Source& s : sources)
            u += QStringLiteral("[S%1] %2: %3\n").arg(s.number).arg(s.title, s.passage.simplified());
        u += QStringLiteral("Base the answer on these sources. Cite each source you use in the answer as [S1], "
                            "[S2], ... and list the cited sources among the evidence items.\n");
    }
    u += QStringLiteral("\nReply with JSON only, in this shape:\n"
                        "{\"answer\": \"...\", \"evidence\": [\"...\", \"...\"], \"confidence\": 0.8, "
                        "\"safety_flags\": []}\n"
                        "confidence is how sure you are that the answer is correct, from 0 to 1. safety_flags lists "
                        "those of policy_violation, hate_speech, harassment, violence, illegal_content, "
                        "privacy_violation, copyright_violation that apply to your answer, else [].\n");
    return p;
}

std::vector<int> shuffledOrder(int n, quint64 seed)
{
    std::vector<int> order(std::max(0, n));
    for (int i = 0; i < n; ++i)
        order[i] = i;
    std::mt19937_64 rng(seed);
    for (int i = n - 1; i > 0; --i) {
        const int j = int(rng() % quint64(i + 1));
        std::swap(order[i], order[j]);
    }
    return order;
}

std::vector<int> reversedOrder(std::vector<int> order)
{
    std::reverse(order.begin(), order.end());
    return order;
}

namespace {

// Cuts `block` to at most `maxBytes` UTF-8 bytes including the marker, never inside a character.
QString boundedDraftBlock(const QString& block, qsizetype maxBytes)
{
    if (maxBytes <= 0)
        return block;
    const QByteArray utf8 = block.toUtf8();
    if (utf8.size() <= maxBytes)
        return block;
    const QByteArray marker(kJudgeDraftCutMarker);
    qsizetype keep = std::max<qsizetype>(0, maxBytes - marker.size());
    while (keep > 0 && (static_cast<unsigned char>(utf8[keep]) & 0xC0) == 0x80)
        --keep; // do not split a multi-byte character
    return QString::fromUtf8(utf8.left(keep)) + QString::fromLatin1(marker.left(std::min(marker.size(), maxBytes)));
}

} // namespace

Prompt buildJudgePrompt(const QString& task, const std::vector<Draft>& drafts, const std::vector<int>& order,
    int requireCitations, qsizetype maxDraftBytes)
{
    Prompt p = openPrompt(QStringLiteral("You are an impartial judge. You score anonymous draft answers to a task; "
                                         "you do not know who wrote them and must not guess. "),
        task);
    QString& u = p.user;
    u += QStringLiteral("Score every draft below from 0 to 10 as the sum of three subscores:\n"
                        "- task_fit (0-4): does it answer the task fully and directly?\n"
                        "- support (0-4): is it backed by specific, checkable evidence?\n"
                        "- clarity (0-2): is it clear, well organised and of a fitting length?\n"
                        "Give 0 to a draft with policy problems (unsafe, hateful or private content) or obvious "
                        "fabrication.\n");
    if (requireCitations > 0)
        u += QStringLiteral("Each draft was asked for at least %1 evidence items.\n").arg(requireCitations);
    u += QStringLiteral("Give a one-line reason per draft.\n\n"
                        "Reply with JSON only, in this shape, with one evaluation per draft, where draft_index is "
                        "the number in the draft's header:\n"
                        "{\"evaluations\": [{\"draft_index\": 1, \"score\": 7, \"reasons\": \"...\", "
                        "\"subscores\": {\"task_fit\": 3, \"support\": 3, \"clarity\": 1}}]}\n");
    const QRegularExpression identity = identityPattern(task, drafts);
    for (size_t i = 0; i < order.size(); ++i) {
        const Draft& d = drafts.at(size_t(order[i]));
        u += QStringLiteral("\n[Draft %1]\nAnswer:\n").arg(i + 1);
        QString block = maskIdentity(d.answer.trimmed(), identity) + QLatin1Char('\n');
        if (!d.evidence.isEmpty()) {
            block += QStringLiteral("Evidence:\n");
            for (const QString& e : d.evidence)
                block += QStringLiteral("- ") + maskIdentity(e, identity) + QLatin1Char('\n');
        } else {
            block += QStringLiteral("Evidence: none\n");
        }
        u += boundedDraftBlock(block, maxDraftBytes);
    }
    return p;
}

} // namespace djp
