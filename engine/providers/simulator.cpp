#include "providers/simulator.h"

#include "providers/modelcapabilities.h"

#include "core/jsonutil.h"
#include "core/strings.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QtEndian>
#include <algorithm>
#include <cmath>
#include <random>

namespace djp {

namespace {

// ---- determinism -------------------------------------------------------------------------------

quint64 stableHash(const QString& text)
{
    const QByteArray digest = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    return qFromLittleEndian<quint64>(digest.constData());
}

QString requestKey(const ChatRequest& r)
{
    return QString::number(r.seed.value_or(0)) + u'\x1f' + r.label + u'\x1f' + r.stage + u'\x1f' + r.system + u'\x1f'
        + r.user;
}

// Uniform value in [0, 1) from a hash, independent of the standard library's distributions.
double unitFrom(quint64 h)
{
    return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

// mt19937_64's output sequence is fixed by the C++ standard, so texts are stable across platforms.
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_gen(seed)
    { }
    int below(int n) { return n <= 0 ? 0 : static_cast<int>(m_gen() % static_cast<quint64>(n)); }
    double unit() { return unitFrom(m_gen()); }
    template <typename T> const T& pick(const std::vector<T>& v)
    {
        return v[static_cast<size_t>(below(static_cast<int>(v.size())))];
    }

private:
    std::mt19937_64 m_gen;
};

// ---- prompt conventions ------------------------------------------------------------------------

const QRegularExpression& draftMarker()
{
    static const QRegularExpression re(QStringLiteral("^\\s*\\[Draft\\s+(\\d+)\\]\\s*$"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    return re;
}

QString extractTask(const QString& user)
{
    static const QRegularExpression taskLine(QStringLiteral("^\\s*Task:\\s*(.*)$"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    QString head = user;
    const auto marker = draftMarker().match(user);
    if (marker.hasMatch())
        head = user.left(marker.capturedStart());
    const auto m = taskLine.match(head);
    if (!m.hasMatch())
        return head.trimmed();
    // The task is the rest of that paragraph.
    QString task = m.captured(1);
    const QStringList rest = head.mid(m.capturedEnd()).split(u'\n');
    for (int i = 1; i < rest.size(); ++i) { // rest[0] is the remainder of the "Task:" line (empty)
        if (rest[i].trimmed().isEmpty())
            break;
        task += u' ' + rest[i].trimmed();
    }
    return task.trimmed();
}

int targetWords(const QString& task)
{
    static const QRegularExpression re(
        QStringLiteral("\\b(\\d{1,4})\\s*-?\\s*words?\\b"), QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(task);
    if (!m.hasMatch())
        return 250;
    return std::clamp(m.captured(1).toInt(), 10, 2000);
}

int requiredEvidence(const QString& prompt)
{
    static const QRegularExpression line(
        QStringLiteral("Required evidence items:\\s*(\\d+)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression phrase(
        QStringLiteral("at least\\s+(\\d+)\\s+(?:citations?|evidence items?|sources?)"),
        QRegularExpression::CaseInsensitiveOption);
    for (const auto* re : { &line, &phrase }) {
        const auto m = re->match(prompt);
        if (m.hasMatch())
            return std::clamp(m.captured(1).toInt(), 0, 20);
    }
    return 0;
}

const QSet<QString>& stopWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char* w :
            { "about", "above", "after", "again", "against", "also", "answer", "because", "been", "before", "being",
                "below", "between", "both", "could", "does", "doing", "draft", "drafts", "during", "each", "evidence",
                "explain", "from", "further", "give", "have", "having", "here", "into", "items", "json", "just", "more",
                "most", "only", "other", "over", "please", "required", "same", "should", "some", "such", "than", "that",
                "their", "them", "then", "there", "these", "they", "this", "those", "through", "under", "until", "very",
                "what", "when", "where", "which", "while", "with", "would", "words", "word", "your", "task", "write",
                "describe", "discuss", "summarize", "summarise", "using", "make", "many", "much", "will", "must",
                "summary", "essay", "note", "short", "brief", "paragraph", "paragraphs", "overview", "assess",
                "compare", "analyse", "analyze", "outline", "provide", "list", "reply", "respond", "citations",
                "sources", "least", "include", "including", "based", "within", "without", "less", "ways" })
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

QStringList wordsOf(const QString& text)
{
    static const QRegularExpression word(QStringLiteral("[\\p{L}][\\p{L}\\p{N}'-]*"));
    QStringList out;
    for (auto it = word.globalMatch(text); it.hasNext();)
        out << it.next().captured(0).toLower();
    return out;
}

QStringList keywords(const QString& task)
{
    QStringList out;
    for (const QString& w : wordsOf(task)) {
        if (w.size() >= 4 && !stopWords().contains(w) && !out.contains(w))
            out << w;
        if (out.size() == 12)
            break;
    }
    return out;
}

QString capitalized(QString s)
{
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

// ---- drafts ------------------------------------------------------------------------------------

const std::vector<QString>& sentenceTemplates()
{
    static const std::vector<QString> t = {
        QStringLiteral("A practical view of {a} starts with what it is meant to achieve and for whom."),
        QStringLiteral("Most of the evidence on {a} points to trade-offs rather than a single right answer."),
        QStringLiteral("{a} interacts with {b} in ways that matter most when the stakes are high."),
        QStringLiteral("In practice, organisations that handle {a} well measure outcomes early and adjust."),
        QStringLiteral(
            "The strongest argument for taking {a} seriously is its effect on {b}, which is well documented."),
        QStringLiteral(
            "Critics of current approaches to {a} point to costs, risks and uneven results across settings."),
        QStringLiteral("A balanced answer weighs {a} against {b} and states its assumptions openly."),
        QStringLiteral("Where data on {a} is thin, it is better to say so than to overstate certainty."),
        QStringLiteral("Over time, the effect of {a} on {b} tends to compound rather than fade."),
        QStringLiteral("Clear definitions of {a} remove much of the confusion in public debate."),
        QStringLiteral("Comparisons across regions show that outcomes for {a} depend heavily on local context."),
        QStringLiteral("For decision makers, the key question about {a} is what to do first and how to measure it."),
        QStringLiteral("Short-term gains from {a} can hide longer-term costs for {b}."),
        QStringLiteral("Independent reviews of {a} generally recommend gradual, well-monitored changes."),
        QStringLiteral("The link between {a} and {b} is real, although its size varies between studies."),
        QStringLiteral("Experience suggests that {a} works best when the people affected are involved early."),
        QStringLiteral("Any recommendation on {a} should name the uncertainty and how it could be reduced."),
        QStringLiteral("Taken together, these points make {a} a question of priorities as much as of facts."),
    };
    return t;
}

const std::vector<QString>& evidenceTemplates()
{
    static const std::vector<QString> t = {
        QStringLiteral("Systematic review of {a} outcomes ({year}), covering {n} studies"),
        QStringLiteral("National statistics office: annual figures on {b} ({year})"),
        QStringLiteral("Case study: {a} in practice at a mid-sized organisation ({year})"),
        QStringLiteral("Meta-analysis of {a} and {b} ({year})"),
        QStringLiteral("Survey of {n} practitioners on {a} ({year})"),
        QStringLiteral("OECD working paper on {b} and related policy ({year})"),
        QStringLiteral("Peer-reviewed field trial measuring the effect of {a} ({year})"),
        QStringLiteral("Industry report on trends in {b} ({year})"),
    };
    return t;
}

// Two different topics when there are at least two.
std::pair<QString, QString> twoTopics(Rng& rng, const QStringList& topics)
{
    const int n = static_cast<int>(topics.size());
    const int i = rng.below(n);
    const int j = n > 1 ? (i + 1 + rng.below(n - 1)) % n : i;
    return { topics[i], topics[j] };
}

QString buildProse(Rng& rng, const QStringList& kw, int words)
{
    const QStringList topics = kw.isEmpty() ? QStringList { QStringLiteral("the question") } : kw;
    QString out;
    int count = 0;
    int inParagraph = 0;
    while (count < words) {
        const QString& tpl = rng.pick(sentenceTemplates());
        const auto [a, b] = twoTopics(rng, topics);
        QString sentence = tpl;
        sentence = capitalized(sentence.replace(QStringLiteral("{a}"), a).replace(QStringLiteral("{b}"), b));
        if (!out.isEmpty())
            out += inParagraph >= 5 ? QStringLiteral("\n\n") : QStringLiteral(" ");
        if (inParagraph >= 5)
            inParagraph = 0;
        out += sentence;
        ++inParagraph;
        count += static_cast<int>(sentence.split(u' ', Qt::SkipEmptyParts).size());
    }
    return out;
}

std::string dumpJson(const Json& j)
{
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Shortens `answer` at a word boundary until the whole JSON fits in maxChars.
QString fitDraft(Json draft, QString answer, qsizetype maxChars)
{
    for (;;) {
        draft["answer"] = ss(answer);
        const QString text = qs(dumpJson(draft));
        if (text.size() <= maxChars)
            return text;
        const qsizetype over = text.size() - maxChars;
        if (answer.size() <= 1)
            return text.left(maxChars); // the envelope alone does not fit: truncated like a real model
        qsizetype cut = std::max<qsizetype>(0, answer.size() - over - 1);
        const qsizetype space = answer.lastIndexOf(u' ', cut);
        cut = space > 0 ? space : cut;
        answer = answer.left(cut).trimmed();
        if (!answer.isEmpty() && !answer.endsWith(u'.'))
            answer += u'.';
    }
}

// ---- judge -------------------------------------------------------------------------------------

struct ShownDraft
{
    int index = 0;
    QString answer;
    int evidence = 0;
};

std::vector<ShownDraft> parseDraftBlocks(const QString& user)
{
    std::vector<ShownDraft> drafts;
    std::vector<std::pair<int, qsizetype>> starts; // (index, content start)
    std::vector<qsizetype> markerStarts;
    for (auto it = draftMarker().globalMatch(user); it.hasNext();) {
        const auto m = it.next();
        starts.emplace_back(m.captured(1).toInt(), m.capturedEnd());
        markerStarts.push_back(m.capturedStart());
    }
    static const QRegularExpression bullet(QStringLiteral("^\\s*(?:[-*\\x{2022}]|\\d+[.)]|\\[\\d+\\])\\s+\\S"));
    static const QRegularExpression evidenceHeading(
        QStringLiteral("^\\s*(?:evidence|sources|citations)\\b.*:?\\s*$"), QRegularExpression::CaseInsensitiveOption);
    for (size_t i = 0; i < starts.size(); ++i) {
        const qsizetype end = i + 1 < starts.size() ? markerStarts[i + 1] : user.size();
        const QString block = user.mid(starts[i].second, end - starts[i].second).trimmed();
        ShownDraft d;
        d.index = starts[i].first;
        // A draft shown as its JSON object.
        const qsizetype open = block.indexOf(u'{');
        const qsizetype close = block.lastIndexOf(u'}');
        if (open >= 0 && close > open) {
            const auto j = parseJson(block.mid(open, close - open + 1).toUtf8());
            if (j && j->is_object() && j->contains("answer")) {
                d.answer = jsonString(*j, "answer");
                if (auto ev = j->find("evidence"); ev != j->end() && ev->is_array())
                    d.evidence = static_cast<int>(ev->size());
                drafts.push_back(d);
                continue;
            }
        }
        // A draft shown as text: "Answer: ..." then an "Evidence:" heading followed by list items.
        QStringList answerLines;
        bool inEvidence = false;
        for (const QString& line : block.split(u'\n')) {
            if (evidenceHeading.match(line).hasMatch() && line.trimmed().size() < 40) {
                inEvidence = true;
                continue;
            }
            if (inEvidence && bullet.match(line).hasMatch())
                ++d.evidence;
            else if (!inEvidence)
                answerLines << line;
        }
        d.answer = answerLines.join(u'\n').trimmed();
        if (d.answer.startsWith(QStringLiteral("Answer:"), Qt::CaseInsensitive))
            d.answer = d.answer.mid(7).trimmed();
        drafts.push_back(d);
    }
    return drafts;
}

Json evaluate(const ShownDraft& d, const QStringList& taskKeywords, int target)
{
    const QStringList words = wordsOf(d.answer);
    int taskFit = 0, support = 0, clarity = 0;
    int matched = 0;
    if (!words.isEmpty()) {
        const QSet<QString> present(words.begin(), words.end());
        for (const QString& k : taskKeywords)
            matched += present.contains(k) ? 1 : 0;
        taskFit = taskKeywords.isEmpty()
            ? 2
            : static_cast<int>(std::lround(4.0 * matched / static_cast<double>(taskKeywords.size())));
        support = d.evidence >= 5 ? 4 : d.evidence >= 3 ? 3 : std::min(d.evidence, 2);
        const double ratio = words.size() / static_cast<double>(target);
        clarity = (ratio >= 0.6 && ratio <= 1.5) ? 2 : (ratio >= 0.3 && ratio <= 2.5) ? 1 : 0;
    }
    const QString reasons = words.isEmpty()
        ? QStringLiteral("Empty answer.")
        : QStringLiteral("Covers %1/%2 task terms; %3 evidence items; %4 words (target %5).")
              .arg(matched)
              .arg(taskKeywords.size())
              .arg(d.evidence)
              .arg(words.size())
              .arg(target);
    return Json { { "draft_index", d.index }, { "score", taskFit + support + clarity }, { "reasons", ss(reasons) },
        { "subscores", { { "task_fit", taskFit }, { "support", support }, { "clarity", clarity } } } };
}

bool faultApplies(const ChatRequest& r, int attempt, const SimulatorOptions& o)
{
    if (o.fault == SimFault::None)
        return false;
    if (o.faultAttempts > 0 && attempt > o.faultAttempts)
        return false;
    if (!o.faultStage.isEmpty() && o.faultStage != r.stage)
        return false;
    if (!o.faultLabels.isEmpty() && !o.faultLabels.contains(r.label))
        return false;
    return true;
}

AttemptOutcome httpError(int status)
{
    AttemptOutcome o;
    o.errorKind = ErrorKind::Http;
    o.httpStatus = status;
    o.error = QStringLiteral("HTTP %1 (simulated)").arg(status);
    return o;
}

class SimAttempt : public PendingAttempt
{
public:
    SimAttempt(SimulatedReply reply, AttemptCallback done, QObject* parent)
        : PendingAttempt(parent)
        , m_reply(std::move(reply))
        , m_done(std::move(done))
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (auto done = std::exchange(m_done, nullptr))
                done(m_reply.outcome);
        });
        m_timer.start(std::max(0, m_reply.latencyMs));
    }
    void abort() override
    {
        m_timer.stop();
        m_done = nullptr;
    }

private:
    SimulatedReply m_reply;
    AttemptCallback m_done;
    QTimer m_timer;
};

} // namespace

SimulatorOptions SimulatorOptions::fromEnvironment()
{
    SimulatorOptions o;
    bool ok = false;
    const int latency = qEnvironmentVariableIntValue("DJP_SIM_LATENCY_MS", &ok);
    if (ok && latency >= 0)
        o.latencyMs = latency;
    const double rate = qEnvironmentVariable("DJP_SIM_FAIL_RATE").toDouble(&ok);
    if (ok)
        o.failRate = std::clamp(rate, 0.0, 1.0);
    const QString fault = qEnvironmentVariable("DJP_SIM_FAULT").trimmed().toLower();
    if (fault == u"429")
        o.fault = SimFault::Http429;
    else if (fault == u"500")
        o.fault = SimFault::Http500;
    else if (fault == u"timeout")
        o.fault = SimFault::Timeout;
    else if (fault == u"malformed")
        o.fault = SimFault::Malformed;
    const int attempts = qEnvironmentVariableIntValue("DJP_SIM_FAULT_ATTEMPTS", &ok);
    if (ok && attempts > 0)
        o.faultAttempts = attempts;
    o.faultStage = qEnvironmentVariable("DJP_SIM_FAULT_STAGE").trimmed();
    const QString labels = qEnvironmentVariable("DJP_SIM_FAULT_LABELS");
    for (const QString& l : labels.split(u',', Qt::SkipEmptyParts))
        o.faultLabels << l.trimmed();
    o.outputMax = qEnvironmentVariable("DJP_SIM_OUTPUT").trimmed().compare(u"max", Qt::CaseInsensitive) == 0;
    return o;
}

SimulatedProvider::SimulatedProvider(SimulatorOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

// Grounded prompts list their sources as lines "[S<n>] title: passage" and ask for citations: the
// simulated debater follows that, as a real model would, citing the first source (and the second,
// when listed, for about half of the requests) after the answer's first sentence and listing the
// cited sources among the evidence. A hash of its own keeps the rest of the draft unchanged.
static void citeListedSources(const ChatRequest& request, QString& answer, Json& evidence)
{
    static const QRegularExpression sourceLine(
        QStringLiteral("^\\[S(\\d+)\\] ([^:\\n]*):"), QRegularExpression::MultilineOption);
    QStringList cited;
    QStringList titles;
    auto it = sourceLine.globalMatch(request.user);
    while (it.hasNext() && cited.size() < 2) {
        const QRegularExpressionMatch m = it.next();
        cited << QStringLiteral("S") + m.captured(1);
        titles << m.captured(2).trimmed();
    }
    if (cited.isEmpty())
        return;
    if (cited.size() > 1
        && unitFrom(stableHash(requestKey(request)
               + QStringLiteral("\x1f"
                                "cite")))
            < 0.5) {
        cited.removeLast();
        titles.removeLast();
    }
    const QString marker = QStringLiteral(" [%1]").arg(cited.join(QStringLiteral(", ")));
    const qsizetype firstStop = answer.indexOf(QLatin1Char('.'));
    answer.insert(firstStop >= 0 ? firstStop : answer.size(), marker);
    for (qsizetype i = 0; i < cited.size(); ++i)
        evidence.push_back(ss(QStringLiteral("[%1] %2").arg(cited[i], titles[i])));
}

QString SimulatedProvider::draftText(const ChatRequest& request, bool fillToMax)
{
    Rng rng(stableHash(requestKey(request)));
    const QString task = extractTask(request.user);
    const QStringList kw = keywords(task);
    const int required = requiredEvidence(request.system + u'\n' + request.user);
    int words = std::max(10, static_cast<int>(std::lround(targetWords(task) * (0.9 + 0.2 * rng.unit()))));
    if (fillToMax)
        words = std::max(words, request.maxTokens); // a word is > 1 token, so this overflows and gets trimmed

    Json evidence = Json::array();
    const int evidenceCount = std::max(required, 2 + rng.below(4));
    const QStringList topics = kw.isEmpty() ? QStringList { QStringLiteral("the topic") } : kw;
    for (int i = 0; i < evidenceCount; ++i) {
        const QString& tpl = evidenceTemplates()[static_cast<size_t>((rng.below(8) + i) % 8)];
        const auto [a, b] = twoTopics(rng, topics);
        QString item = tpl;
        item.replace(QStringLiteral("{a}"), a)
            .replace(QStringLiteral("{b}"), b)
            .replace(QStringLiteral("{year}"), QString::number(2015 + rng.below(10)))
            .replace(QStringLiteral("{n}"), QString::number(5 + rng.below(60)));
        evidence.push_back(ss(item));
    }
    Json draft = Json::object();
    draft["answer"] = "";
    draft["evidence"] = std::move(evidence);
    draft["confidence"] = std::round((0.55 + 0.4 * rng.unit()) * 100.0) / 100.0;
    draft["safety_flags"] = Json::array();
    QString answer = buildProse(rng, kw, words);
    citeListedSources(request, answer, draft["evidence"]);
    return fitDraft(std::move(draft), answer, static_cast<qsizetype>(std::max(1, request.maxTokens)) * 4);
}

QString SimulatedProvider::judgeText(const ChatRequest& request)
{
    const QString task = extractTask(request.user);
    const QStringList kw = keywords(task);
    const int target = targetWords(task);
    Json evaluations = Json::array();
    for (const ShownDraft& d : parseDraftBlocks(request.user))
        evaluations.push_back(evaluate(d, kw, target));
    const QString text = qs(dumpJson(Json { { "evaluations", std::move(evaluations) } }));
    // A judge capped below its reply gets cut off, as a real one would be.
    return text.left(static_cast<qsizetype>(std::max(1, request.maxTokens)) * 4);
}

SimulatedReply SimulatedProvider::simulate(const ChatRequest& request, int attempt, const SimulatorOptions& options)
{
    SimulatedReply reply;
    const QString key = requestKey(request) + u'\x1f' + QString::number(attempt);
    const quint64 h = stableHash(key);
    // +-20 % around the mean, fixed per attempt.
    reply.latencyMs = static_cast<int>(std::lround(options.latencyMs * (0.8 + 0.4 * unitFrom(h))));
    const int timeoutMs = std::max(1, request.timeoutMs);

    auto timeout = [&] {
        reply.outcome = {};
        reply.outcome.errorKind = ErrorKind::Timeout;
        reply.outcome.error = QStringLiteral("timed out after %1 ms (simulated)").arg(timeoutMs);
        reply.latencyMs = timeoutMs;
    };

    if (faultApplies(request, attempt, options)) {
        switch (options.fault) {
        case SimFault::Http429:
            reply.outcome = httpError(429);
            return reply;
        case SimFault::Http500:
            reply.outcome = httpError(500);
            return reply;
        case SimFault::Timeout:
            timeout();
            return reply;
        case SimFault::Malformed:
            reply.outcome.errorKind = ErrorKind::MalformedResponse;
            reply.outcome.httpStatus = 200;
            reply.outcome.error = QStringLiteral("malformed response: simulated");
            return reply;
        case SimFault::None:
            break;
        }
    }
    if (options.failRate > 0
        && unitFrom(stableHash(key
               + QStringLiteral("\x1f"
                                "fail")))
            < options.failRate) {
        reply.outcome = httpError(500);
        return reply;
    }
    if (reply.latencyMs > timeoutMs) {
        timeout();
        return reply;
    }
    AttemptOutcome& out = reply.outcome;
    out.text = request.stage == u"judge" ? judgeText(request) : draftText(request, options.outputMax);
    out.inputTokens = estimateTokens(request.system.size() + request.user.size());
    out.outputTokens = options.outputMax ? outputTokenLimit(request.label, request.maxTokens, request.thinkingBudget)
                                         : estimateTokens(out.text.size());
    // The simulator reports its own counts, as a real provider reports usage.
    out.usageSource = UsageSource::Reported;
    return reply;
}

PendingAttempt* SimulatedProvider::start(const ChatRequest& request, int attempt, AttemptCallback done, QObject* parent)
{
    return new SimAttempt(simulate(request, attempt, m_options), std::move(done), parent);
}

} // namespace djp
