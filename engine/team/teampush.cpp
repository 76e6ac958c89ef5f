#include "team/teampush.h"

#include "artifact/artifactscanner.h"
#include "store/runstore.h"
#include "team/teamschema.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

namespace djp {

namespace {

struct PendingRun
{
    const RunRecord* record;
    QString key;
    QByteArray row; // the COPY line
    qint64 artifactBytes = 0;
};

// A batch read from disk and encoded, ready to send.
struct PreparedBatch
{
    std::vector<PendingRun> runs;
    std::vector<Problem> problems;
    qint64 knownPresent = 0; // runs skipped without reading: their run_id is already in the history
};

QByteArray arrayLiteral(const QStringList& items)
{
    QByteArray s = "{";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            s += ',';
        if (items[i].isNull()) {
            s += "NULL";
            continue;
        }
        QByteArray e = items[i].toUtf8();
        e.replace("\\", "\\\\").replace("\"", "\\\"");
        s += '"' + e + '"';
    }
    return s + '}';
}

QString isoUtc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool readArtifactBytes(const QString& path, QByteArray* bytes, QString* why)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *why = f.errorString();
        return false;
    }
    *bytes = f.readAll();
    if (bytes->startsWith("\xEF\xBB\xBF"))
        bytes->remove(0, 3); // the json type takes no byte-order mark
    return true;
}

// Claims the keys of `runs` in djp.run_keys (those already there are "present") and copies the
// claimed runs into djp.runs, all in one transaction. False on a server error (rolled back).
// `txnSettings` are SET LOCAL statements for this transaction (see pushRecords).
bool insertBatch(PgConnection& conn, const std::vector<PendingRun>& runs, const QString& txnSettings, int schemaVersion,
    qint64* pushed, qint64* present, qint64* bytesSent, DbError* error)
{
    if (runs.empty())
        return true;
    QStringList keys, times, months;
    QSet<QString> monthSet;
    for (const PendingRun& p : runs) {
        keys << p.key;
        times << (p.record->hasTimestamp ? isoUtc(p.record->timestampMs) : QString());
        if (p.record->hasTimestamp) {
            const QDate d = QDateTime::fromMSecsSinceEpoch(p.record->timestampMs, Qt::UTC).date();
            const QString month = QStringLiteral("%1-%2-01 00:00:00")
                                      .arg(d.year(), 4, 10, QLatin1Char('0'))
                                      .arg(d.month(), 2, 10, QLatin1Char('0'));
            if (!monthSet.contains(month)) {
                monthSet.insert(month);
                months << month;
            }
        }
    }
    // Partitions first, in their own short transaction (creating one briefly locks djp.runs).
    if (!months.isEmpty()
        && !conn.exec(
            QStringLiteral("SELECT djp.ensure_run_partitions($1::timestamp[])"), { arrayLiteral(months) }, error))
        return false;

    const auto rollback = [&]() {
        conn.execScript(QStringLiteral("ROLLBACK"), nullptr);
        return false;
    };
    if (!conn.execScript(QStringLiteral("BEGIN;") + txnSettings, error))
        return false;
    // Concurrent pushers of the same run wait on the key's unique index; exactly one inserts it.
    auto claimed = conn.exec(QStringLiteral("INSERT INTO djp.run_keys (run_key, run_at) "
                                            "SELECT k, t FROM unnest($1::text[], $2::timestamptz[]) AS u(k, t) "
                                            "ON CONFLICT (run_key) DO NOTHING RETURNING run_key"),
        { arrayLiteral(keys), arrayLiteral(times) }, error);
    if (!claimed)
        return rollback();
    QSet<QString> mine;
    for (int i = 0; i < claimed->rows(); ++i)
        mine.insert(claimed->text(i, 0));
    size_t next = 0;
    qint64 sent = 0;
    if (!mine.isEmpty()) {
        const QString copySql = QStringLiteral("COPY djp.runs (run_key, %1, artifact) FROM STDIN WITH (FORMAT binary)")
                                    .arg(runRecordColumnsSql(schemaVersion));
        const bool copied = conn.copyIn(
            copySql,
            [&](QByteArray& chunk) {
                if (next == 0)
                    chunk += runCopyHeader();
                while (next < runs.size() && chunk.size() < (1 << 20)) {
                    const PendingRun& p = runs[next++];
                    if (!mine.contains(p.key))
                        continue;
                    chunk += p.row;
                    sent += p.artifactBytes;
                }
                if (next < runs.size())
                    return true;
                chunk += runCopyTrailer();
                return false;
            },
            error);
        if (!copied)
            return rollback();
        if (!conn.exec(QStringLiteral("SELECT pg_notify($1, $2)"),
                { QByteArray(kRunsChannel), QByteArray::number(mine.size()) }, error))
            return rollback();
    }
    if (!conn.execScript(QStringLiteral("COMMIT"), error))
        return false;
    *pushed += mine.size();
    *present += static_cast<qint64>(runs.size()) - mine.size();
    *bytesSent += sent;
    return true;
}

// A data error (a row the server refuses) fails the whole batch; then each run goes alone so the
// good ones land and the bad one is named. Connection-level failures stop the push.
bool isRowError(const DbError& e)
{
    return e.code == QLatin1String("query_failed") && !e.sqlState.isEmpty()
        && !e.sqlState.startsWith(QLatin1String("08")) && !e.sqlState.startsWith(QLatin1String("57"))
        && !e.sqlState.startsWith(QLatin1String("53")) && e.sqlState != QLatin1String("42501");
}

// The run_ids of `records` that the history already holds.
bool knownRunIds(PgConnection& conn, const std::vector<RunRecord>& records, QSet<QString>* present, DbError* error)
{
    QStringList ids;
    const auto flush = [&]() {
        if (ids.isEmpty())
            return true;
        auto res = conn.exec(QStringLiteral("SELECT k FROM unnest($1::text[]) AS k "
                                            "WHERE EXISTS (SELECT 1 FROM djp.run_keys WHERE run_key = k)"),
            { arrayLiteral(ids) }, error);
        if (!res)
            return false;
        for (int i = 0; i < res->rows(); ++i)
            present->insert(res->text(i, 0));
        ids.clear();
        return true;
    };
    for (const RunRecord& r : records) {
        if (r.runId.isEmpty())
            continue;
        ids << r.runId;
        if (ids.size() >= 20000 && !flush())
            return false;
    }
    return flush();
}

// Reads, hashes and encodes records [start, end): the client's share of the work, done on a worker
// thread while the previous batch is being inserted.
PreparedBatch prepareBatch(
    const std::vector<RunRecord>& records, size_t start, size_t end, const QSet<QString>& present, int schemaVersion)
{
    PreparedBatch b;
    b.runs.reserve(end - start);
    QByteArray bytes;
    for (size_t i = start; i < end; ++i) {
        const RunRecord& r = records[i];
        if (!r.runId.isEmpty() && present.contains(r.runId)) {
            ++b.knownPresent;
            continue;
        }
        QString why;
        if (!readArtifactBytes(r.artifactFile, &bytes, &why)) {
            b.problems.push_back({ r.artifactFile, vocabularyId(ProblemCode::IoError), why });
            continue;
        }
        PendingRun p { &r, runKey(r, bytes), {}, bytes.size() };
        p.row.reserve(bytes.size() + bytes.size() / 16 + 1024);
        appendRunCopyRow(p.row, p.key, r, bytes, schemaVersion);
        b.runs.push_back(std::move(p));
    }
    return b;
}

} // namespace

bool pushRecords(PgConnection& conn, const std::vector<RunRecord>& records, const PushOptions& options,
    PushSummary* summary, DbError* error)
{
    QElapsedTimer timer;
    timer.start();
    PushSummary& s = *summary;
    if (!requireTeamSchema(conn, error, 1))
        return false;
    // An older history gets the columns it has; team init fills the rest when it upgrades it.
    int version = 0;
    if (!teamSchemaVersionOnServer(conn, &version, error))
        return false;
    version = std::min(version, teamSchemaVersion());
    QSet<QString> seen; // the same run twice in one folder (a copied file) is pushed once
    const size_t batch = static_cast<size_t>(std::max(1, options.batchSize));
    const qint64 total = static_cast<qint64>(records.size());
    // Runs with a run_id the history already has need not be read at all: asked up front, so a
    // repeated or resumed push costs little more than hashing the legacy files.
    QSet<QString> present;
    if (!knownRunIds(conn, records, &present, error))
        return false;
    // synchronous_commit off for all batches but the last: a batch's COMMIT does not wait for its
    // WAL flush. A server crash can then lose the last few hundred ms of committed batches, but a
    // push is idempotent and resumable (keys are claimed in the same transaction as their rows),
    // so pushing again restores them. The last batch commits synchronously, which flushes the WAL
    // of every batch before it, so a push that returned after writing its last batch is durable.
    const QString asyncSettings = QStringLiteral("SET LOCAL synchronous_commit = off;");
    const QString lastSettings;
    const auto prepareAt = [&](size_t start) {
        const size_t end = std::min(records.size(), start + batch);
        return QtConcurrent::run(
            [&records, &present, start, end, version] { return prepareBatch(records, start, end, present, version); });
    };
    bool ok = true;
    QFuture<PreparedBatch> next = records.empty() ? QFuture<PreparedBatch>() : prepareAt(0);
    for (size_t start = 0; start < records.size() && ok; start += batch) {
        PreparedBatch prepared = next.result();
        const size_t end = std::min(records.size(), start + batch);
        if (end < records.size())
            next = prepareAt(end);
        s.problems.insert(s.problems.end(), prepared.problems.begin(), prepared.problems.end());
        s.present += prepared.knownPresent;
        std::vector<PendingRun> runs;
        runs.reserve(prepared.runs.size());
        for (PendingRun& p : prepared.runs) {
            if (seen.contains(p.key)) {
                ++s.present;
                continue;
            }
            seen.insert(p.key);
            runs.push_back(std::move(p));
        }
        const QString& settings = end < records.size() ? asyncSettings : lastSettings;
        DbError batchError;
        if (!insertBatch(conn, runs, settings, version, &s.pushed, &s.present, &s.bytesSent, &batchError)) {
            if (!isRowError(batchError)) {
                if (error)
                    *error = batchError;
                ok = false;
                break;
            }
            for (const PendingRun& p : runs) {
                DbError rowError;
                if (insertBatch(conn, { p }, settings, version, &s.pushed, &s.present, &s.bytesSent, &rowError))
                    continue;
                if (!isRowError(rowError)) {
                    if (error)
                        *error = rowError;
                    ok = false;
                    break;
                }
                s.problems.push_back(
                    { p.record->artifactFile, vocabularyId(ProblemCode::RejectedByServer), rowError.message });
            }
        }
        if (options.progress)
            options.progress(static_cast<qint64>(end), total);
    }
    if (next.isValid())
        next.waitForFinished(); // never leave a worker reading `records` after we return
    s.elapsedMs += timer.elapsed();
    return ok;
}

bool pushRunsFolder(
    PgConnection& conn, const QString& runsDir, const PushOptions& options, PushSummary* summary, DbError* error)
{
    LoadOptions load;
    load.runsDir = runsDir;
    const LoadResult loaded = loadRuns(load);
    if (!loaded.stats.dirError.isEmpty()) {
        if (error)
            *error = { QStringLiteral("bad_runs_dir"), loaded.stats.dirError, {} };
        return false;
    }
    summary->problems = loaded.problems;
    return pushRecords(conn, loaded.records, options, summary, error);
}

bool pushArtifactFiles(
    PgConnection& conn, const QStringList& paths, const PushOptions& options, PushSummary* summary, DbError* error)
{
    ArtifactScanner scanner;
    std::vector<RunRecord> records;
    for (const QString& path : paths) {
        RecordParse parsed = scanner.readFile(path);
        if (parsed.record)
            records.push_back(std::move(*parsed.record));
        else if (parsed.problem)
            summary->problems.push_back(*parsed.problem);
    }
    return pushRecords(conn, records, options, summary, error);
}

} // namespace djp
