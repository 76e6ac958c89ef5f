#include "pipeline/pipelineresult.h"

namespace djp {

namespace {

// Redacts texts, counting each distinct original text once (under the field where it first appears).
class TextRedactor
{
public:
    TextRedactor(const Redactor& r, RedactionTally& tally)
        : m_memo(r, tally.events, tally.fields)
    { }

    // Returns how many spans the text had (also when it was seen before).
    int apply(QString& text, const QString& field)
    {
        if (text.isEmpty())
            return 0;
        const RedactionMemo::Entry& e = m_memo.redact(text, field);
        text = e.text;
        return e.spans;
    }
    void apply(QStringList& list, const QString& field)
    {
        for (QString& s : list)
            apply(s, field);
    }
    void apply(Draft& d, const QString& prefix)
    {
        apply(d.answer, prefix + QStringLiteral(".answer"));
        apply(d.evidence, prefix + QStringLiteral(".evidence[]"));
        apply(d.safetyFlags, prefix + QStringLiteral(".safety_flags[]"));
    }
    void apply(Source& s, const QString& prefix)
    {
        apply(s.docId, prefix + QStringLiteral(".doc_id"));
        apply(s.title, prefix + QStringLiteral(".title"));
        apply(s.path, prefix + QStringLiteral(".path"));
        apply(s.passage, prefix + QStringLiteral(".passage"));
    }

private:
    RedactionMemo m_memo;
};

} // namespace

void redactPipelineResult(const Redactor& redactor, PipelineResult& r)
{
    RedactionTally tally;
    tally.enabled = true;
    TextRedactor t(redactor, tally);
    t.apply(r.task, QStringLiteral("run_metadata.task"));
    for (Draft& d : r.drafts)
        t.apply(d, QStringLiteral("debate.drafts[]"));
    for (InvalidDraft& d : r.invalidDrafts)
        t.apply(d.reason, QStringLiteral("debate.invalid_drafts[].reason"));
    for (RankedDraft& rd : r.judge.ranked) {
        t.apply(rd.draft, QStringLiteral("judge.ranked_drafts[]"));
        t.apply(rd.score.reasons, QStringLiteral("judge.ranked_drafts[].reasons"));
    }
    for (PassSummary& p : r.judge.passes) {
        for (DraftScore& s : p.scores)
            t.apply(s.reasons, QStringLiteral("judge.passes[].evaluations[].reasons"));
        t.apply(p.problem, QStringLiteral("judge.passes[].problem"));
    }
    t.apply(r.judge.methodReason, QStringLiteral("judge.method_reason"));
    const int publishedSpans = t.apply(r.publish.text, QStringLiteral("publish.text"));
    t.apply(r.publish.reason, QStringLiteral("publish.reason"));
    t.apply(r.publish.note, QStringLiteral("publish.note"));
    GroundingSummary& g = r.grounding;
    for (Source& s : g.sources)
        t.apply(s, QStringLiteral("grounding.sources[]"));
    for (Source& s : g.report.cited)
        t.apply(s, QStringLiteral("grounding.citations[]"));
    if (g.report.failReason)
        t.apply(*g.report.failReason, QStringLiteral("grounding.grounded_fail_reason"));
    tally.publishedTextRedacted = publishedSpans > 0;
    r.redaction = std::move(tally);
}

} // namespace djp
