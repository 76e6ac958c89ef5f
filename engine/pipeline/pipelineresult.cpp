#include "pipeline/pipelineresult.h"

#include <QHash>

namespace djp {

namespace {

// Redacts texts, counting each distinct original text once.
class TextRedactor
{
public:
    explicit TextRedactor(const Redactor& r)
        : m_redactor(r)
    { }

    void apply(QString& text)
    {
        if (text.isEmpty())
            return;
        auto it = m_done.constFind(text);
        if (it == m_done.constEnd()) {
            auto res = m_redactor.redact(text);
            mergeRedactionEvents(m_events, res.events);
            it = m_done.insert(text, res.text);
        }
        text = it.value();
    }
    void apply(QStringList& list)
    {
        for (QString& s : list)
            apply(s);
    }
    void apply(Draft& d)
    {
        apply(d.answer);
        apply(d.evidence);
    }

    std::vector<RedactionEvent> events() const { return m_events; }

private:
    const Redactor& m_redactor;
    QHash<QString, QString> m_done;
    std::vector<RedactionEvent> m_events;
};

} // namespace

void redactPipelineResult(const Redactor& redactor, PipelineResult& r)
{
    TextRedactor t(redactor);
    t.apply(r.task);
    for (Draft& d : r.drafts)
        t.apply(d);
    for (RankedDraft& rd : r.judge.ranked) {
        t.apply(rd.draft);
        t.apply(rd.score.reasons);
    }
    for (PassSummary& p : r.judge.passes)
        for (DraftScore& s : p.scores)
            t.apply(s.reasons);
    t.apply(r.judge.methodReason);
    t.apply(r.publish.text);
    t.apply(r.publish.reason);
    t.apply(r.publish.note);
    r.redactionApplied = true;
    r.redactionEvents = t.events();
}

} // namespace djp
