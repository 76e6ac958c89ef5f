#include "pipeline/publish.h"

#include "artifact/runrecord.h"
#include "pipeline/textutil.h"

namespace djp {

namespace {

PublishDecision show(const RankedDraft& d, int index, const QString& status, const QString& reason)
{
    PublishDecision p;
    p.status = status;
    p.provider = d.draft.label;
    p.text = d.draft.answer;
    p.reason = reason;
    p.rankedIndex = index;
    return p;
}

// Why a ranked draft could not be published (for the note).
QString whyNot(const RankedDraft& d, const Policy& policy, const GuardrailResult& g)
{
    if (d.disqualified)
        return d.score.reasons;
    if (d.score.score <= 0.0)
        return QStringLiteral("scored 0");
    if (!policy.allows(d.draft.label))
        return QStringLiteral("not in allowed list %1").arg(pythonListRepr(policy.allowedModels));
    return QStringLiteral("failed validation: %1").arg(g.reason());
}

} // namespace

PublishDecision decidePublish(const std::vector<RankedDraft>& ranked, const Policy& policy)
{
    if (ranked.empty()) {
        PublishDecision p;
        p.reason = QStringLiteral("No ranked drafts available");
        return p;
    }
    std::vector<GuardrailResult> checks;
    checks.reserve(ranked.size());
    for (const RankedDraft& d : ranked)
        checks.push_back(checkGuardrails(d.draft.answer, d.draft.safetyFlags));

    for (size_t i = 0; i < ranked.size(); ++i) {
        const RankedDraft& d = ranked[i];
        if (!d.qualified() || !policy.allows(d.draft.label) || !checks[i].ok)
            continue;
        PublishDecision p = show(d, int(i), QStringLiteral("published"), QString());
        if (i > 0)
            p.note = QStringLiteral("Published %1 (rank %2), not the judge's winner %3 (%4)")
                         .arg(d.draft.label)
                         .arg(i + 1)
                         .arg(ranked.front().draft.label, whyNot(ranked.front(), policy, checks.front()));
        return p;
    }

    size_t best = ranked.size();
    for (size_t i = 0; i < ranked.size() && best == ranked.size(); ++i)
        if (ranked[i].qualified())
            best = i;

    if (best == ranked.size()) {
        QStringList why;
        for (const RankedDraft& d : ranked)
            why.append(d.draft.label + QLatin1String(": ")
                + (d.disqualified ? d.score.reasons : QStringLiteral("score 0 (%1)").arg(d.score.reasons)));
        const QString reason = QStringLiteral("All drafts disqualified: ") + why.join(QLatin1String("; "));
        if (checks.front().ok)
            return show(ranked.front(), 0, QStringLiteral("advisory_only"), reason);
        PublishDecision p;
        p.status = QStringLiteral("advisory_only");
        p.reason = reason;
        p.note = QStringLiteral("The top draft is not shown: it failed validation (%1)").arg(checks.front().reason());
        return p;
    }

    const RankedDraft& top = ranked[best];
    if (!checks[best].ok) {
        PublishDecision p;
        p.reason = QStringLiteral("Top draft validation failed: ") + checks[best].reason();
        return p;
    }
    PublishDecision p = show(top, int(best), QStringLiteral("advisory_only"),
        QStringLiteral("Winner %1 not in allowed list %2").arg(top.draft.label, pythonListRepr(policy.allowedModels)));
    return p;
}

void applyGroundingShortfall(PublishDecision& decision, const CitationReport& report)
{
    if (!report.failReason)
        return;
    const std::optional<RunStatus> status = parseVocabulary<RunStatus>(decision.status);
    if (status == RunStatus::Published) {
        decision.status = QStringLiteral("advisory_only");
        decision.reason = *report.failReason;
    } else if (status == RunStatus::AdvisoryOnly) {
        decision.reason = decision.reason.isEmpty() ? *report.failReason
                                                    : decision.reason + QLatin1String("; ") + *report.failReason;
    }
}

} // namespace djp
