#pragma once
// The spend journal of a run in progress (docs/artifact-format.md, "Interrupted runs"): a hidden,
// append-only JSON Lines file in the runs folder, so the spend of a run whose process is killed is
// not lost. Line 1 is the artifact the run would leave if it ended now (status none, reason
// "interrupted", no calls); each further line is one settled call, as in calls[], fsynced. The
// file is removed once the run's artifact is written. A lock file held by the running process
// (QLockFile, stale when that process is gone) tells an active journal from an orphaned one;
// recoverSpendJournal() turns an orphan into an artifact.
#include "core/jsonutil.h"

#include <QString>
#include <memory>

class QLockFile;

namespace djp {

class SpendJournal
{
public:
    // Creates <runsDir>/.djp-journal-<runId>.jsonl holding `skeleton` and takes its lock; nullptr
    // with *error when the folder cannot hold it.
    static std::unique_ptr<SpendJournal> create(
        const QString& runsDir, const QString& runId, const Json& skeleton, QString* error = nullptr);
    ~SpendJournal(); // releases the lock; the file stays (an orphan, recovered on the next read)

    // Appends one call record and fsyncs. False (and the journal keeps working) on a write error.
    bool append(const Json& call, QString* error = nullptr);
    // The run's artifact is written: removes the journal, then its lock.
    void discard();
    QString path() const { return m_path; }

private:
    SpendJournal() = default;
    QString m_path;
    int m_fd = -1;
    std::unique_ptr<QLockFile> m_lock;
};

// ".djp-journal-<runId>.jsonl"
QString spendJournalFileName(const QString& runId);
bool isSpendJournalFileName(const QString& fileName);

struct JournalRecovery
{
    bool active = false; // the run is still going (its process holds the lock): left alone
    QString artifactPath; // the artifact written from it (empty when none)
    int calls = 0;
    QString error; // why it could not be recovered (then the journal is left in place)
};

// When the journal is orphaned: writes its artifact (the skeleton plus its calls, with provenance
// and measured spend recomputed from them) and removes the journal and its lock.
JournalRecovery recoverSpendJournal(const QString& journalPath);

} // namespace djp
