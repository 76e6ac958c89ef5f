#pragma once
// The team history's schema (docs/team-history.md): versioned migrations, the group roles, and the
// mapping between a RunRecord and a row of djp.runs. Adding a run-record field is one new migration
// (ALTER TABLE djp.runs ADD COLUMN ...) plus one entry in runColumnsSql(); the full artifact is stored
// too, so older rows can be back-filled from it on the server.
#include "artifact/runrecord.h"
#include "team/pgconnection.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace djp {

// The newest schema version this build knows.
int teamSchemaVersion();

struct TeamInitResult
{
    int versionBefore = 0; // 0: the schema did not exist
    int versionAfter = 0;
    QStringList applied; // "1 runs history", ...
    bool rolesCreated = false; // djp_reader / djp_writer created now
    bool grantsApplied = false; // the roles exist and got their rights
    qint64 costDetailsFilled = 0; // rows whose cost details were back-filled from their artifact now
    qint64 costDetailsUnreadable = 0; // rows whose stored artifact could not be read (left without them)
};

// Creates or migrates the schema (idempotent: applies only the missing migrations, serialised
// against concurrent callers by a lock). With createRoles, creates the group roles djp_reader
// (SELECT) and djp_writer (SELECT + INSERT, append-only) when missing; whenever they exist they get
// their rights on every table. Needs a role that may create schemas (and roles, for createRoles).
// `targetVersion` > 0 stops after that migration (tests build an older history to upgrade it).
bool initTeamSchema(
    PgConnection& conn, bool createRoles, TeamInitResult* result, DbError* error, int targetVersion = 0);

// The schema version present on the server; 0 when there is no schema. False with *error.
bool teamSchemaVersionOnServer(PgConnection& conn, int* version, DbError* error);

// Fails with schema_missing (run `djp team init`) when the database has no team history, and with
// schema_outdated when its version is below `minVersion` (0: this djp's version; readers need the
// rollups, a push works from version 1 on because the server maintains them).
bool requireTeamSchema(PgConnection& conn, DbError* error, int minVersion = 0);

// ---- run rows ----

// Identity of a run in the history: its run_id, else "sha256:<hex>" of the artifact file's bytes.
QString runKey(const RunRecord& r, const QByteArray& artifactBytes);

// The record columns of djp.runs that a history of `schemaVersion` has (0: this djp's), in the order of
// appendRunCopyRow(). Does not include run_key, the artifact or the audit columns.
QStringList runRecordColumns(int schemaVersion = 0);
// The same list joined with ", " for SQL.
QString runRecordColumnsSql(int schemaVersion = 0);

// One COPY binary-format tuple: run_key, the record columns of `schemaVersion` (0: this djp's), the
// artifact (json text). A COPY ... WITH (FORMAT binary) stream is runCopyHeader(), the tuples,
// runCopyTrailer(). A push into an older history sends only the columns it has.
void appendRunCopyRow(
    QByteArray& out, const QString& key, const RunRecord& r, const QByteArray& artifactBytes, int schemaVersion = 0);

// Fills the cost-detail columns of migration 3 for every row without them (NOT cost_details) by reading
// its stored artifact with the client's scanner. Runs inside the caller's transaction (team init).
bool backfillCostDetails(PgConnection& conn, qint64* filled, qint64* unreadable, DbError* error);
QByteArray runCopyHeader();
QByteArray runCopyTrailer();

// Fills a RunRecord from a result row whose columns start at `firstColumn` in runRecordColumns() order
// (select them with runRecordSelectSql()).
void runFromRow(const PgResult& res, int row, int firstColumn, RunRecord& r);
// The SELECT list matching runFromRow(), with the given table alias.
QString runRecordSelectSql(const QString& alias);

} // namespace djp
