#pragma once
// Uploading runs into the team history (docs/team-history.md). Idempotent: a run is identified by its
// run_id (legacy files: a hash of their bytes) and inserted once, whoever pushes it how often.
// Resumable: runs go in batches, each committed on its own, so an interrupted push keeps what it
// sent and the next push sends only the rest. Problems of the folder are reported, never pushed.
//
// Threading: blocking calls on the caller's thread with its own PgConnection.
#include "artifact/problem.h"
#include "artifact/runrecord.h"
#include "team/pgconnection.h"

#include <functional>
#include <vector>

namespace djp {

struct PushSummary
{
    qint64 pushed = 0; // runs inserted now
    qint64 present = 0; // runs the history already had
    std::vector<Problem> problems; // folder problems plus runs the server refused (code rejected_by_server)
    qint64 bytesSent = 0; // artifact bytes sent
    qint64 elapsedMs = 0;
};

struct PushOptions
{
    int batchSize = 1000; // runs per transaction
    // Called after each batch on the caller's thread: runs handled so far, runs in total.
    std::function<void(qint64 done, qint64 total)> progress;
};

// Pushes these records (their artifactFile is read for the stored artifact and, without a run_id,
// for the identity hash). False with *error when the server failed; *summary then counts what
// was committed before the failure.
bool pushRecords(PgConnection& conn, const std::vector<RunRecord>& records, const PushOptions& options,
    PushSummary* summary, DbError* error);

// Loads the runs folder with the store (index used as usual) and pushes every run; the folder's
// problems are added to summary->problems.
bool pushRunsFolder(
    PgConnection& conn, const QString& runsDir, const PushOptions& options, PushSummary* summary, DbError* error);

// Parses and pushes individual artifact files (djp run --db pushes the artifact it just wrote).
bool pushArtifactFiles(
    PgConnection& conn, const QStringList& paths, const PushOptions& options, PushSummary* summary, DbError* error);

// The channel a push notifies (payload: the number of runs inserted) so open dashboards refresh.
inline constexpr const char* kRunsChannel = "djp_runs";

} // namespace djp
