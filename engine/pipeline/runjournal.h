#pragma once
// The run engine's side of the spend journal (artifact/spendjournal.h): what a run would leave if
// its process died now, and each settled call, redacted as the artifact would be.
#include "artifact/spendjournal.h"
#include "pipeline/redaction.h"
#include "pipeline/runartifact.h"

#include <memory>
#include <optional>

namespace djp {

class RunJournal
{
public:
    // Opens the journal of a planned run; nullptr (logged) when the runs folder cannot hold it:
    // the run goes on without one.
    static std::unique_ptr<RunJournal> open(
        const QString& runsDir, const RunPlan& plan, const QString& runId, const QDateTime& startedAt);

    void callSettled(const CallRecord& call);
    // The artifact is written (or there is nothing to record): the journal goes.
    void discard() { m_journal->discard(); }

private:
    std::unique_ptr<SpendJournal> m_journal;
    std::optional<Redactor> m_redactor;
};

} // namespace djp
