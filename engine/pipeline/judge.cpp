#include "pipeline/judge.h"

#include "core/strings.h"
#include "pipeline/guardrails.h"
#include "pipeline/replyparse.h"
#include "pipeline/textutil.h"

#include <QSet>
#include <algorithm>
#include <cmath>

namespace djp {

namespace {

double round1(double v)
{
    return std::round(v * 10.0) / 10.0;
}

// A number from a JSON number or a numeric string ("7", "7.5", "7/10").
std::optional<double> readNumber(const Json& v)
{
    if (v.is_number()) {
        const double d = v.get<double>();
        return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
    }
    if (v.is_string()) {
        QString s = qs(v.get_ref<const std::string&>()).trimmed();
        if (const qsizetype slash = s.indexOf(QLatin1Char('/')); slash > 0)
            s = s.left(slash).trimmed();
        bool ok = false;
        const double d = s.toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

// A 1-based display index from 2, 2.0, "2" or "Draft 2".
std::optional<int> readIndex(const Json& v)
{
    if (v.is_number_integer())
        return v.get<int>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e6)
            return int(d);
        return std::nullopt;
    }
    if (v.is_string()) {
        const QString s = qs(v.get_ref<const std::string&>());
        QString digits;
        for (QChar c : s) {
            if (c.isDigit())
                digits.append(c);
            else if (!digits.isEmpty())
                break;
        }
        bool ok = false;
        const int n = digits.toInt(&ok);
        if (ok)
            return n;
    }
    return std::nullopt;
}

double clampCounted(double v, double hi, int& clamped)
{
    if (v < 0.0 || v > hi) {
        ++clamped;
        return std::clamp(v, 0.0, hi);
    }
    return v;
}

QString readReasons(const Json& e)
{
    for (const char* key : { "reasons", "reason", "rationale" }) {
        auto it = e.find(key);
        if (it == e.end())
            continue;
        if (it->is_string())
            return qs(it->get_ref<const std::string&>()).trimmed();
        if (it->is_array()) {
            QStringList parts;
            for (const Json& p : *it)
                parts.append(p.is_string() ? qs(p.get_ref<const std::string&>()) : qs(p.dump()));
            return parts.join(QLatin1String("; "));
        }
    }
    return {};
}

bool hasBlockingFlag(const Draft& d)
{
    return std::any_of(d.safetyFlags.begin(), d.safetyFlags.end(), [](const QString& f) { return isBlockingFlag(f); });
}

bool lessRanked(const RankedDraft& a, const RankedDraft& b, const QString& preferredPrefix)
{
    if (a.score.score != b.score.score)
        return a.score.score > b.score.score;
    if (a.allowed != b.allowed)
        return a.allowed;
    const double sa = a.score.subscores ? a.score.subscores->support : 0.0;
    const double sb = b.score.subscores ? b.score.subscores->support : 0.0;
    if (sa != sb)
        return sa > sb;
    const bool pa = a.draft.label.startsWith(preferredPrefix);
    const bool pb = b.draft.label.startsWith(preferredPrefix);
    if (pa != pb)
        return pa;
    if (a.draft.label != b.draft.label)
        return a.draft.label < b.draft.label;
    return a.draftIndex < b.draftIndex;
}

// Builds ranked entries from per-draft scores, applying the citation rule.
std::vector<RankedDraft> buildRanked(const JudgeContext& ctx, const std::vector<DraftScore>& scores)
{
    std::vector<RankedDraft> out;
    for (size_t i = 0; i < ctx.drafts.size(); ++i) {
        RankedDraft r;
        r.draftIndex = int(i);
        r.draft = ctx.drafts[i];
        r.score = scores[i];
        r.allowed = ctx.policy.allows(r.draft.label);
        const int n = int(r.draft.evidence.size());
        if (ctx.requireCitations > 0 && n < ctx.requireCitations) {
            r.disqualified = true;
            r.score.score = 0.0;
            r.score.subscores = Subscores {};
            r.score.reasons
                = QStringLiteral("DISQUALIFIED: Only %1 citations, %2 required").arg(n).arg(ctx.requireCitations);
            if (!r.draft.safetyFlags.contains(draftflags::kDisqualifiedCitations))
                r.draft.safetyFlags.append(draftflags::kDisqualifiedCitations);
        }
        out.push_back(std::move(r));
    }
    rankDrafts(out, ctx.policy.preferredVendor);
    return out;
}

} // namespace

QString scoreSourceName(ScoreSource s)
{
    switch (s) {
    case ScoreSource::Llm:
        return QStringLiteral("llm");
    case ScoreSource::Heuristic:
        return QStringLiteral("heuristic");
    case ScoreSource::Mixed:
        return QStringLiteral("mixed");
    }
    return {};
}

JudgePass failedJudgePass(const std::vector<int>& order, const QString& why)
{
    JudgePass p;
    p.order = order;
    p.usable = false;
    p.problem = why;
    p.llm.assign(order.size(), std::nullopt);
    return p;
}

JudgePass parseJudgeReply(const QString& reply, const std::vector<int>& order)
{
    JudgePass p = failedJudgePass(order, QString());
    const int n = int(order.size());
    std::optional<Json> evaluations;
    if (auto obj = findJsonObject(reply, "evaluations");
        obj && obj->contains("evaluations") && (*obj)["evaluations"].is_array()) {
        evaluations = (*obj)["evaluations"];
    } else if (auto arr = parseJson(reply.trimmed().toUtf8()); arr && arr->is_array()) {
        evaluations = *arr; // a bare array of evaluations
    }
    if (!evaluations) {
        p.problem = QStringLiteral("judge reply unusable: no JSON object with an evaluations array");
        return p;
    }
    int ignored = 0;
    int clamped = 0;
    for (const Json& e : *evaluations) {
        if (!e.is_object()) {
            ++ignored;
            continue;
        }
        std::optional<int> idx;
        for (const char* key : { "draft_index", "index", "draft" }) {
            if (auto it = e.find(key); it != e.end() && (idx = readIndex(*it)))
                break;
        }
        if (!idx || *idx < 1 || *idx > n || p.llm[size_t(order[size_t(*idx - 1)])]) {
            ++ignored;
            continue;
        }
        DraftScore s;
        s.source = ScoreSource::Llm;
        s.reasons = readReasons(e);
        if (auto it = e.find("subscores"); it != e.end() && it->is_object()) {
            Subscores sub;
            if (auto v = it->find("task_fit"); v != it->end())
                sub.taskFit = clampCounted(readNumber(*v).value_or(0.0), 4.0, clamped);
            if (auto v = it->find("support"); v != it->end())
                sub.support = clampCounted(readNumber(*v).value_or(0.0), 4.0, clamped);
            if (auto v = it->find("clarity"); v != it->end())
                sub.clarity = clampCounted(readNumber(*v).value_or(0.0), 2.0, clamped);
            s.subscores = sub;
        }
        std::optional<double> score;
        if (auto it = e.find("score"); it != e.end())
            score = readNumber(*it);
        if (!score && s.subscores)
            score = s.subscores->taskFit + s.subscores->support + s.subscores->clarity;
        if (!score) {
            ++ignored;
            continue;
        }
        s.score = clampCounted(*score, 10.0, clamped);
        p.llm[size_t(order[size_t(*idx - 1)])] = s;
        p.usable = true;
    }
    QStringList notes;
    if (!p.usable)
        notes.append(QStringLiteral("judge reply unusable: no evaluation matched a draft"));
    if (ignored > 0)
        notes.append(QStringLiteral("%1 evaluation(s) ignored (bad draft_index or score)").arg(ignored));
    if (clamped > 0)
        notes.append(QStringLiteral("%1 value(s) clamped to range").arg(clamped));
    p.problem = notes.join(QLatin1String("; "));
    return p;
}

DraftScore heuristicScore(const QString& task, const Draft& d)
{
    DraftScore s;
    s.source = ScoreSource::Heuristic;
    Subscores sub;

    QStringList taskTerms = contentTerms(task);
    taskTerms.removeDuplicates();
    const QStringList answerTermList
        = contentTerms(QString(d.answer + QLatin1Char(' ') + d.evidence.join(QLatin1Char(' '))));
    const QSet<QString> answerTerms(answerTermList.begin(), answerTermList.end());
    int found = 0;
    for (const QString& t : taskTerms)
        found += answerTerms.contains(t) ? 1 : 0;
    const double coverage = taskTerms.isEmpty() ? 0.5 : double(found) / double(taskTerms.size());
    sub.taskFit = round1(4.0 * std::min(1.0, coverage * 1.25));

    const int ev = int(d.evidence.size());
    sub.support = ev == 0 ? 0.0 : ev == 1 ? 2.0 : ev == 2 ? 3.0 : ev <= 5 ? 4.0 : 3.0;

    const int target = requestedWordCount(task).value_or(kDefaultAnswerWords);
    const int words = wordCount(d.answer);
    const double ratio = double(words) / double(std::max(1, target));
    sub.clarity = (ratio >= 0.6 && ratio <= 1.5) ? 2.0 : ((ratio >= 0.3 && ratio <= 2.5) ? 1.0 : 0.0);

    double score = sub.taskFit + sub.support + sub.clarity;
    QStringList reasons;
    reasons.append(QStringLiteral("Heuristic judge: %1/%2 task terms covered (task_fit %3/4), %4 evidence items "
                                  "(support %5/4), %6 words for ~%7 (clarity %8/2)")
                       .arg(found)
                       .arg(taskTerms.size())
                       .arg(sub.taskFit)
                       .arg(ev)
                       .arg(sub.support)
                       .arg(words)
                       .arg(target)
                       .arg(sub.clarity));
    if (d.safetyFlags.contains(draftflags::kJsonParseError)) {
        score -= 1.0;
        reasons.append(QStringLiteral("reply was not JSON (-1)"));
    }
    if (hasBlockingFlag(d)) {
        score = 0.0;
        sub = Subscores {};
        reasons.append(QStringLiteral("blocking safety flag (score 0)"));
    }
    s.score = std::clamp(round1(score), 0.0, 10.0);
    s.subscores = sub;
    s.reasons = reasons.join(QLatin1String("; "));
    return s;
}

void rankDrafts(std::vector<RankedDraft>& drafts, const QString& preferredVendor)
{
    const QString prefix = preferredVendor + QLatin1Char('/');
    std::sort(drafts.begin(), drafts.end(),
        [&](const RankedDraft& a, const RankedDraft& b) { return lessRanked(a, b, prefix); });
}

JudgeOutcome judgeDrafts(const JudgeContext& ctx, const std::vector<JudgePass>& passes, const QString& noPassReason)
{
    JudgeOutcome out;
    const size_t n = ctx.drafts.size();
    std::vector<DraftScore> heuristic;
    heuristic.reserve(n);
    for (const Draft& d : ctx.drafts)
        heuristic.push_back(heuristicScore(ctx.task, d));

    std::vector<const PassSummary*> usable;
    out.passes.reserve(passes.size());
    for (const JudgePass& p : passes) {
        PassSummary s;
        s.order = p.order;
        s.usable = p.usable;
        s.problem = p.problem;
        s.scores = heuristic;
        for (size_t i = 0; i < n && i < p.llm.size(); ++i)
            if (p.llm[i])
                s.scores[i] = *p.llm[i];
        const auto ranked = buildRanked(ctx, s.scores);
        s.winner = ranked.empty() ? -1 : ranked.front().draftIndex;
        out.passes.push_back(std::move(s));
    }
    for (const PassSummary& s : out.passes)
        if (s.usable)
            usable.push_back(&s);

    std::vector<DraftScore> combined = heuristic;
    if (!usable.empty()) {
        for (size_t i = 0; i < n; ++i) {
            DraftScore c;
            double total = 0.0;
            Subscores sub;
            int withSub = 0;
            bool anyLlm = false;
            bool anyHeuristic = false;
            QStringList reasons;
            for (const PassSummary* s : usable) {
                const DraftScore& d = s->scores[i];
                total += d.score;
                if (d.subscores) {
                    sub.taskFit += d.subscores->taskFit;
                    sub.support += d.subscores->support;
                    sub.clarity += d.subscores->clarity;
                    ++withSub;
                }
                (d.source == ScoreSource::Llm ? anyLlm : anyHeuristic) = true;
                if (!d.reasons.isEmpty() && !reasons.contains(d.reasons))
                    reasons.append(d.reasons);
            }
            c.score = total / double(usable.size());
            if (withSub > 0)
                c.subscores = Subscores { sub.taskFit / withSub, sub.support / withSub, sub.clarity / withSub };
            c.source
                = anyLlm && anyHeuristic ? ScoreSource::Mixed : (anyLlm ? ScoreSource::Llm : ScoreSource::Heuristic);
            c.reasons = reasons.join(QLatin1String(" | "));
            combined[i] = c;
        }
    }
    out.ranked = buildRanked(ctx, combined);

    if (usable.empty()) {
        out.method = QStringLiteral("heuristic");
        QStringList why;
        for (const PassSummary& s : out.passes)
            if (!s.problem.isEmpty())
                why.append(s.problem);
        if (why.isEmpty())
            why.append(noPassReason.isEmpty() ? QStringLiteral("no judge pass was made") : noPassReason);
        out.methodReason = why.join(QLatin1String("; "));
    } else {
        out.method = QStringLiteral("llm");
        int omitted = 0;
        for (const RankedDraft& r : out.ranked)
            omitted += r.score.source != ScoreSource::Llm ? 1 : 0;
        QStringList why;
        if (omitted == 0)
            why.append(QStringLiteral("LLM judge scored all %1 drafts").arg(n));
        else
            why.append(QStringLiteral("LLM judge scored %1 of %2 drafts; %3 scored by the heuristic judge")
                           .arg(n - size_t(omitted))
                           .arg(n)
                           .arg(omitted));
        for (size_t k = 0; k < out.passes.size(); ++k)
            if (!out.passes[k].problem.isEmpty())
                why.append(QStringLiteral("pass %1: %2").arg(k + 1).arg(out.passes[k].problem));
        out.methodReason = why.join(QLatin1String("; "));
        if (usable.size() >= 2)
            out.secondPassAgreed = usable[0]->winner == usable[1]->winner;
    }
    return out;
}

bool needsSecondPass(const JudgeOutcome& outcome, double marginThreshold)
{
    if (outcome.ranked.size() < 2 || outcome.passes.size() != 1 || !outcome.passes.front().usable)
        return false;
    return outcome.ranked[0].score.score - outcome.ranked[1].score.score < marginThreshold;
}

} // namespace djp
