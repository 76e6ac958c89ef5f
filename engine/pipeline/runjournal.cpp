#include "pipeline/runjournal.h"

#include "artifact/runrecord.h"
#include "core/log.h"
#include "core/strings.h"
#include "pipeline/artifactredaction.h"

namespace djp {

std::unique_ptr<RunJournal> RunJournal::open(
    const QString& runsDir, const RunPlan& plan, const QString& runId, const QDateTime& startedAt)
{
    auto j = std::unique_ptr<RunJournal>(new RunJournal);
    if (plan.config.redact)
        j->m_redactor = Redactor::loadDefault();
    PipelineResult interrupted;
    interrupted.judge.method = QStringLiteral("heuristic");
    interrupted.judge.methodReason = QStringLiteral("interrupted before judging");
    interrupted.publish.status = vocabularyId(RunStatus::None);
    interrupted.publish.reason = QStringLiteral("interrupted");
    interrupted.grounding = plan.grounding;
    RunFacts facts;
    facts.runId = runId;
    facts.startedAt = startedAt;
    facts.stoppedEarly = true;
    facts.stopReason = QStringLiteral("interrupted: the process ended before the run finished");
    facts.redactionRules = j->m_redactor ? j->m_redactor->origin() : QString();
    facts.simulatedFallback = plan.config.offline;
    interrupted.task = plan.config.task;
    const Json skeleton
        = buildRedactedRunArtifact(plan, interrupted, {}, facts, j->m_redactor ? &*j->m_redactor : nullptr);
    QString error;
    j->m_journal = SpendJournal::create(runsDir, runId, skeleton, &error);
    if (!j->m_journal) {
        logger("pipeline")->warn("no spend journal for run {}: {}", ss(runId), ss(error));
        return nullptr;
    }
    return j;
}

void RunJournal::callSettled(const CallRecord& call)
{
    Json line = callRecordJson(call);
    if (m_redactor) {
        // Provider error texts are the only free text of a call record.
        const QString e = jsonString(line, "error");
        if (!e.isEmpty())
            line["error"] = ss(m_redactor->redact(e).text);
    }
    QString error;
    if (!m_journal->append(line, &error))
        logger("pipeline")->warn("spend journal {}: {}", ss(m_journal->path()), ss(error));
}

} // namespace djp
