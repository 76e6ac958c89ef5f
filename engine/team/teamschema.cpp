#include "team/teamschema.h"

#include "metrics/exactsum.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <charconv>

namespace djp {

namespace {

// ---- migrations ----

struct Migration
{
    int version;
    const char* name;
    const char* sql;
};

// Never edit a released migration: add a new one. Each runs in the init transaction.
const Migration kMigrations[] = {
    { 1, "runs history", R"SQL(
CREATE TABLE djp.run_keys (
    run_key   text PRIMARY KEY,            -- run_id, or 'sha256:<hex>' of a legacy file's bytes
    run_at    timestamptz,                 -- where the row lives in djp.runs (partition key)
    pushed_at timestamptz NOT NULL DEFAULT now(),
    pushed_by text NOT NULL DEFAULT current_user
);

CREATE TABLE djp.runs (
    run_key            text NOT NULL,
    run_at             timestamptz,        -- NULL: the artifact has no usable timestamp
    utc_offset_s       integer NOT NULL DEFAULT 0,
    artifact_file      text NOT NULL,
    task               text NOT NULL,
    trace_name         text NOT NULL,
    task_folded        text NOT NULL,      -- case-folded by the client, for the search filter
    trace_folded       text NOT NULL,
    preset_name        text NOT NULL,
    status             text NOT NULL,
    provider           text NOT NULL,
    winner_provider    text NOT NULL,
    tokens_in          bigint NOT NULL,
    tokens_out         bigint NOT NULL,
    total_tokens       bigint NOT NULL,
    est_cost           numeric NOT NULL,   -- the exact value of the client's double
    duration           numeric NOT NULL,   -- exact, for sums
    duration_f         double precision NOT NULL, -- the same double, for ordering (percentiles)
    num_drafts         integer NOT NULL,
    num_ranked         integer NOT NULL,
    citations_required integer NOT NULL,
    citations_ok       boolean NOT NULL,
    grounded           boolean NOT NULL,
    grounded_required  integer NOT NULL,
    citations_count    integer NOT NULL,
    redacted           boolean NOT NULL,
    redaction_count    integer NOT NULL,
    redaction_types    text NOT NULL,
    advisory_reason    text NOT NULL,
    max_tokens         integer NOT NULL,
    temperature        double precision NOT NULL,
    fastpath           boolean NOT NULL,
    text_length        bigint NOT NULL,
    schema_version     text NOT NULL,
    run_id             text NOT NULL,
    simulated          boolean NOT NULL,
    cost_complete      boolean NOT NULL,
    budget_usd         double precision,
    budget_status      text NOT NULL,
    stopped_early      boolean NOT NULL,
    judge_method       text NOT NULL,
    calls              integer NOT NULL,
    failed_calls       integer NOT NULL,
    retries            integer NOT NULL,
    cost_labels        text[] NOT NULL,    -- provenance.estimated_costs: labels ...
    cost_values        numeric[] NOT NULL, -- ... and their exact costs
    artifact           text NOT NULL,      -- the file as written (valid JSON), for the inspector
    pushed_at          timestamptz NOT NULL DEFAULT now(),
    pushed_by          text NOT NULL DEFAULT current_user
) PARTITION BY RANGE (run_at);

-- Runs without a timestamp; every dated run goes to its month's partition (ensure_run_partitions).
CREATE TABLE djp.runs_undated PARTITION OF djp.runs DEFAULT;

-- Few indexes on purpose: each one costs every push. Time windows prune partitions and use run_at;
-- the other filters are cheap predicates in the same scan; run_key finds one run for the inspector.
CREATE INDEX runs_run_at ON djp.runs (run_at);
CREATE INDEX runs_run_key ON djp.runs (run_key);

-- Writers may not create tables; this creates the month partitions a push needs, as the owner.
CREATE FUNCTION djp.ensure_run_partitions(months timestamp[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
DECLARE
    m timestamp;
    part text;
    created integer := 0;
BEGIN
    FOREACH m IN ARRAY coalesce(months, '{}') LOOP
        m := date_trunc('month', m);
        part := 'runs_' || to_char(m, 'YYYY_MM');
        IF to_regclass('djp.' || part) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('djp.ensure_run_partitions'));
            IF to_regclass('djp.' || part) IS NULL THEN
                EXECUTE format('CREATE TABLE djp.%I PARTITION OF djp.runs FOR VALUES FROM (%L) TO (%L)',
                               part, m::timestamptz, (m + interval '1 month')::timestamptz);
                created := created + 1;
            END IF;
        END IF;
    END LOOP;
    RETURN created;
END
$fn$;
REVOKE ALL ON FUNCTION djp.ensure_run_partitions(timestamp[]) FROM PUBLIC;
)SQL" },
};

// Rights of the group roles; re-applied by every init, so tables added by later migrations are covered.
const char* kGrantsSql = R"SQL(
GRANT USAGE ON SCHEMA djp TO djp_reader, djp_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA djp TO djp_reader;
GRANT djp_reader TO djp_writer;
GRANT INSERT ON djp.runs, djp.run_keys TO djp_writer;
GRANT EXECUTE ON FUNCTION djp.ensure_run_partitions(timestamp[]) TO djp_writer;
)SQL";

const char* kCreateRolesSql = R"SQL(
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'djp_reader') THEN
        CREATE ROLE djp_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'djp_writer') THEN
        CREATE ROLE djp_writer NOLOGIN;
    END IF;
END
$roles$;
)SQL";

// ---- run columns ----

QByteArray boolText(bool b)
{
    return b ? QByteArrayLiteral("t") : QByteArrayLiteral("f");
}

QByteArray doubleText(double v)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), v); // shortest text that reads back as v
    return QByteArray(buf, static_cast<qsizetype>(r.ptr - buf));
}

// {"a","b"} with element quoting (the COPY escaping is applied on top by the caller).
QString textArrayLiteral(const std::vector<std::pair<QString, double>>& v)
{
    QString s = QStringLiteral("{");
    for (size_t i = 0; i < v.size(); ++i) {
        if (i)
            s += QLatin1Char(',');
        QString e = v[i].first;
        e.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        s += QLatin1Char('"') + e + QLatin1Char('"');
    }
    return s + QLatin1Char('}');
}

QByteArray numericArrayLiteral(const std::vector<std::pair<QString, double>>& v)
{
    QByteArray s = "{";
    for (size_t i = 0; i < v.size(); ++i) {
        if (i)
            s += ',';
        s += exactDecimal(v[i].second);
    }
    return s + '}';
}

using Writer = void (*)(QByteArray&, const RunRecord&);
using Reader = void (*)(const PgResult&, int, int, RunRecord&);

struct Column
{
    const char* name;
    const char* select; // expression over alias "r" (%1) when not the plain column
    Writer write;
    Reader read;
};

#define DJP_TEXT(col, field)                                                                                           \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { appendCopyText(o, r.field); },                           \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.text(row, c); }                          \
    }
#define DJP_INT(col, field)                                                                                            \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { o += QByteArray::number(r.field); },                     \
            [](const PgResult& p, int row, int c, RunRecord& r) {                                                      \
                r.field = static_cast<decltype(RunRecord::field)>(p.toLongLong(row, c));                               \
            }                                                                                                          \
    }
#define DJP_BOOL(col, field)                                                                                           \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { o += boolText(r.field); },                               \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.toBool(row, c); }                        \
    }
// Exact decimal in, exact decimal out: the double survives the round trip bit for bit.
#define DJP_EXACT(col, field)                                                                                          \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { o += exactDecimal(r.field); },                           \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.toDouble(row, c); }                      \
    }

const Column kColumns[] = {
    DJP_TEXT("artifact_file", artifactFile),
    { "run_at", "(extract(epoch FROM %1.run_at) * 1000)::bigint",
        [](QByteArray& o, const RunRecord& r) {
            if (r.hasTimestamp)
                o += QDateTime::fromMSecsSinceEpoch(r.timestampMs, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
            else
                o += "\\N";
        },
        [](const PgResult& p, int row, int c, RunRecord& r) {
            r.hasTimestamp = !p.isNull(row, c);
            r.timestampMs = r.hasTimestamp ? p.toLongLong(row, c) : 0;
        } },
    DJP_INT("utc_offset_s", utcOffsetSeconds),
    DJP_TEXT("task", task),
    DJP_TEXT("trace_name", traceName),
    { "task_folded", nullptr, [](QByteArray& o, const RunRecord& r) { appendCopyText(o, r.task.toCaseFolded()); },
        nullptr },
    { "trace_folded", nullptr, [](QByteArray& o, const RunRecord& r) { appendCopyText(o, r.traceName.toCaseFolded()); },
        nullptr },
    DJP_TEXT("preset_name", presetName),
    DJP_TEXT("status", status),
    DJP_TEXT("provider", provider),
    DJP_TEXT("winner_provider", winnerProvider),
    DJP_INT("tokens_in", tokensIn),
    DJP_INT("tokens_out", tokensOut),
    DJP_INT("total_tokens", totalTokens),
    DJP_EXACT("est_cost", estCost),
    DJP_EXACT("duration", duration),
    { "duration_f", nullptr, [](QByteArray& o, const RunRecord& r) { o += doubleText(r.duration); }, nullptr },
    DJP_INT("num_drafts", numDrafts),
    DJP_INT("num_ranked", numRanked),
    DJP_INT("citations_required", citationsRequired),
    DJP_BOOL("citations_ok", citationsOk),
    DJP_BOOL("grounded", grounded),
    DJP_INT("grounded_required", groundedRequired),
    DJP_INT("citations_count", citationsCount),
    DJP_BOOL("redacted", redacted),
    DJP_INT("redaction_count", redactionCount),
    DJP_TEXT("redaction_types", redactionTypes),
    DJP_TEXT("advisory_reason", advisoryReason),
    DJP_INT("max_tokens", maxTokens),
    { "temperature", nullptr, [](QByteArray& o, const RunRecord& r) { o += doubleText(r.temperature); },
        [](const PgResult& p, int row, int c, RunRecord& r) { r.temperature = p.toDouble(row, c); } },
    DJP_BOOL("fastpath", fastpath),
    DJP_INT("text_length", textLength),
    DJP_TEXT("schema_version", schemaVersion),
    DJP_TEXT("run_id", runId),
    DJP_BOOL("simulated", simulated),
    DJP_BOOL("cost_complete", costComplete),
    { "budget_usd", nullptr,
        [](QByteArray& o, const RunRecord& r) { o += r.budgetUsd ? doubleText(*r.budgetUsd) : QByteArray("\\N"); },
        [](const PgResult& p, int row, int c, RunRecord& r) {
            r.budgetUsd = p.isNull(row, c) ? std::nullopt : std::optional<double>(p.toDouble(row, c));
        } },
    DJP_TEXT("budget_status", budgetStatus),
    DJP_BOOL("stopped_early", stoppedEarly),
    DJP_TEXT("judge_method", judgeMethod),
    DJP_INT("calls", calls),
    DJP_INT("failed_calls", failedCalls),
    DJP_INT("retries", retries),
    { "cost_labels", nullptr,
        [](QByteArray& o, const RunRecord& r) { appendCopyText(o, textArrayLiteral(r.costByLabel)); }, nullptr },
    { "cost_values", nullptr, [](QByteArray& o, const RunRecord& r) { o += numericArrayLiteral(r.costByLabel); },
        nullptr },
};

#undef DJP_TEXT
#undef DJP_INT
#undef DJP_BOOL
#undef DJP_EXACT

} // namespace

int teamSchemaVersion()
{
    return std::end(kMigrations)[-1].version;
}

bool teamSchemaVersionOnServer(PgConnection& conn, int* version, DbError* error)
{
    auto r = conn.exec(QStringLiteral("SELECT to_regclass('djp.schema_migrations') IS NOT NULL"), {}, error);
    if (!r)
        return false;
    if (!r->toBool(0, 0)) {
        *version = 0;
        return true;
    }
    r = conn.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM djp.schema_migrations"), {}, error);
    if (!r)
        return false;
    *version = static_cast<int>(r->toLongLong(0, 0));
    return true;
}

bool requireTeamSchema(PgConnection& conn, DbError* error)
{
    int version = 0;
    if (!teamSchemaVersionOnServer(conn, &version, error))
        return false;
    if (version > 0)
        return true;
    if (error)
        *error = { QStringLiteral("schema_missing"),
            QStringLiteral("the team history schema is missing in '%1' (run: djp team init --db URL)")
                .arg(conn.database()),
            {} };
    return false;
}

bool initTeamSchema(PgConnection& conn, bool createRoles, TeamInitResult* result, DbError* error)
{
    TeamInitResult res;
    const auto rollback = [&]() {
        DbError ignored;
        conn.execScript(QStringLiteral("ROLLBACK"), &ignored);
        return false;
    };
    if (!conn.execScript(QStringLiteral("BEGIN"), error))
        return false;
    // One initialiser at a time; the others wait and then find nothing left to do.
    if (!conn.execScript(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext('djp.team_init'))"), error))
        return rollback();
    if (!conn.execScript(QStringLiteral("CREATE SCHEMA IF NOT EXISTS djp;"
                                        "CREATE TABLE IF NOT EXISTS djp.schema_migrations ("
                                        " version integer PRIMARY KEY, name text NOT NULL,"
                                        " applied_at timestamptz NOT NULL DEFAULT now(),"
                                        " applied_by text NOT NULL DEFAULT current_user)"),
            error))
        return rollback();
    if (!teamSchemaVersionOnServer(conn, &res.versionBefore, error))
        return rollback();
    if (res.versionBefore > teamSchemaVersion()) {
        if (error)
            *error = { QStringLiteral("schema_newer"),
                QStringLiteral("the team history has schema version %1, newer than this djp knows (%2): upgrade djp")
                    .arg(res.versionBefore)
                    .arg(teamSchemaVersion()),
                {} };
        return rollback();
    }
    for (const Migration& m : kMigrations) {
        if (m.version <= res.versionBefore)
            continue;
        if (!conn.execScript(QString::fromUtf8(m.sql), error))
            return rollback();
        if (!conn.exec(QStringLiteral("INSERT INTO djp.schema_migrations (version, name) VALUES ($1, $2)"),
                { QByteArray::number(m.version), QByteArray(m.name) }, error))
            return rollback();
        res.applied << QStringLiteral("%1 %2").arg(m.version).arg(QString::fromUtf8(m.name));
    }
    res.versionAfter = std::max(res.versionBefore, teamSchemaVersion());
    // lz4 keeps large artifacts cheap to store and fast to read where the server was built with it.
    conn.execScript(QStringLiteral("DO $c$ BEGIN ALTER TABLE djp.runs ALTER COLUMN artifact SET COMPRESSION lz4; "
                                   "EXCEPTION WHEN OTHERS THEN NULL; END $c$"),
        nullptr);
    if (createRoles) {
        auto before = conn.exec(
            QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname IN ('djp_reader', 'djp_writer')"), {}, error);
        if (!before || !conn.execScript(QString::fromUtf8(kCreateRolesSql), error))
            return rollback();
        res.rolesCreated = before->toLongLong(0, 0) < 2;
    }
    auto roles = conn.exec(
        QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname IN ('djp_reader', 'djp_writer')"), {}, error);
    if (!roles)
        return rollback();
    if (roles->toLongLong(0, 0) == 2) {
        if (!conn.execScript(QString::fromUtf8(kGrantsSql), error))
            return rollback();
        res.grantsApplied = true;
    }
    if (!conn.execScript(QStringLiteral("COMMIT"), error))
        return false;
    if (result)
        *result = res;
    return true;
}

QString runKey(const RunRecord& r, const QByteArray& artifactBytes)
{
    if (!r.runId.isEmpty())
        return r.runId;
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(artifactBytes, QCryptographicHash::Sha256).toHex());
}

const QStringList& runRecordColumns()
{
    static const QStringList names = [] {
        QStringList n;
        for (const Column& c : kColumns)
            n << QString::fromLatin1(c.name);
        return n;
    }();
    return names;
}

QString runRecordColumnsSql()
{
    return runRecordColumns().join(QStringLiteral(", "));
}

void appendRunCopyRow(QByteArray& out, const QString& key, const RunRecord& r, const QByteArray& artifactBytes)
{
    appendCopyText(out, key);
    for (const Column& c : kColumns) {
        out += '\t';
        c.write(out, r);
    }
    out += '\t';
    appendCopyBytes(out, artifactBytes);
    out += '\n';
}

QString runRecordSelectSql(const QString& alias)
{
    QStringList parts;
    for (const Column& c : kColumns) {
        if (!c.read)
            continue;
        parts << (c.select ? QString::fromLatin1(c.select).arg(alias)
                           : alias + QLatin1Char('.') + QLatin1String(c.name));
    }
    return parts.join(QStringLiteral(", "));
}

void runFromRow(const PgResult& res, int row, int firstColumn, RunRecord& r)
{
    int c = firstColumn;
    for (const Column& col : kColumns) {
        if (!col.read)
            continue;
        col.read(res, row, c++, r);
    }
}

} // namespace djp
