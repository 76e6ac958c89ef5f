#include "team/teamschema.h"

#include "artifact/artifactscanner.h"
#include "metrics/exactsum.h"
#include "metrics/kpis.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <bit>
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

// The statements that add rows of `%1` to the rollups: run by the insert trigger over the inserted
// rows, and once by migration 2 over the rows pushed before it.
const char* kRollupAddSql = R"SQL(
    INSERT INTO djp.rollup_runs AS t
    SELECT coalesce(date_trunc('month', run_at), '-infinity'), preset_name, provider, status, advisory_reason,
           grounded, redacted, simulated, cost_complete, citations_required > 0, citations_ok,
           grounded AND citations_count >= grounded_required,
           count(*), sum(total_tokens), sum(est_cost), sum(duration)
    FROM %1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    ON CONFLICT (month, preset_name, provider, status, advisory_reason, grounded, redacted, simulated,
                 cost_complete, cited, citations_ok, grounded_ok)
    DO UPDATE SET runs = t.runs + excluded.runs, total_tokens = t.total_tokens + excluded.total_tokens,
                  est_cost = t.est_cost + excluded.est_cost, duration = t.duration + excluded.duration;
    INSERT INTO djp.rollup_costs AS t
    SELECT m, preset_name, provider, status, grounded, redacted, label, sum(cost)
    FROM (SELECT coalesce(date_trunc('month', run_at), '-infinity') AS m, preset_name, provider, status, grounded,
                 redacted, unnest(cost_labels) AS label, unnest(cost_values) AS cost FROM %1) u
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, preset_name, provider, status, grounded, redacted, label)
    DO UPDATE SET cost = t.cost + excluded.cost;
    INSERT INTO djp.rollup_durations_all AS t
    SELECT preset_name, provider, status, grounded, redacted, duration_f, count(*)
    FROM %1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (preset_name, provider, status, grounded, redacted, duration_f)
    DO UPDATE SET runs = t.runs + excluded.runs;
    INSERT INTO djp.rollup_hours AS t
    SELECT date_trunc('hour', run_at), status, count(*), sum(total_tokens), sum(est_cost)
    FROM %1 WHERE run_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (hour, status)
    DO UPDATE SET runs = t.runs + excluded.runs, total_tokens = t.total_tokens + excluded.total_tokens,
                  est_cost = t.est_cost + excluded.est_cost;
)SQL";

// The statements that add the rows of `%1`, each counted %2 times (1, or -1 to take rows back out),
// to the cost rollups of migration 4: run by the insert trigger over the inserted rows, by the update
// trigger over the old (-1) and new (1) rows, and once by the migration over the rows already there.
// The smallest and largest calls' input only ever widen: a range wider than the rows' own only sends
// its month to the per-run path, never gives a wrong figure (docs/team-history.md, "Cost details").
const char* kCostRollupAddSql = R"SQL(
    INSERT INTO djp.rollup_run_costs AS t
    SELECT coalesce(date_trunc('month', run_at), '-infinity'), preset_name, provider, status, grounded, redacted,
           %2 * count(*), %2 * sum(est_cost_nano),
           %2 * count(*) FILTER (WHERE reported_cost_calls > 0),
           %2 * coalesce(sum(reported_cost_nano) FILTER (WHERE reported_cost_calls > 0), 0),
           %2 * coalesce(sum(computed_cost_nano) FILTER (WHERE reported_cost_calls > 0), 0),
           %2 * sum(cache_read_tokens), %2 * count(*) FILTER (WHERE NOT cost_details)
    FROM %1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (month, preset_name, provider, status, grounded, redacted)
    DO UPDATE SET runs = t.runs + excluded.runs, est_cost_nano = t.est_cost_nano + excluded.est_cost_nano,
                  reported_runs = t.reported_runs + excluded.reported_runs,
                  reported_cost_nano = t.reported_cost_nano + excluded.reported_cost_nano,
                  computed_cost_nano = t.computed_cost_nano + excluded.computed_cost_nano,
                  cache_read_tokens = t.cache_read_tokens + excluded.cache_read_tokens,
                  without_details = t.without_details + excluded.without_details;
    INSERT INTO djp.rollup_buckets AS t
    SELECT m, preset_name, provider, status, grounded, redacted, label, %2 * count(*),
           %2 * sum(greatest(i - least(cr, i) - least(cw, i), 0)), %2 * sum(greatest(cr, 0)),
           %2 * sum(greatest(cw, 0)), %2 * sum(greatest(o, 0)), min(mx), max(mx)
    FROM (SELECT coalesce(date_trunc('month', run_at), '-infinity') AS m, preset_name, provider, status, grounded,
                 redacted, unnest(bucket_labels) AS label, unnest(bucket_max_call_input) AS mx,
                 unnest(bucket_input) AS i, unnest(bucket_cache_read) AS cr, unnest(bucket_cache_write) AS cw,
                 unnest(bucket_output) AS o
          FROM %1) u
    WHERE label IS NOT NULL -- arrays of unequal length (only a hand-made UPDATE): readers skip those rows too
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, preset_name, provider, status, grounded, redacted, label)
    DO UPDATE SET buckets = t.buckets + excluded.buckets, uncached_input = t.uncached_input + excluded.uncached_input,
                  cache_read = t.cache_read + excluded.cache_read, cache_write = t.cache_write + excluded.cache_write,
                  output = t.output + excluded.output,
                  min_call_input = least(t.min_call_input, excluded.min_call_input),
                  max_call_input = greatest(t.max_call_input, excluded.max_call_input);
)SQL";

const char* costRollupMigration()
{
    const auto add = [](const char* rows, const char* times) {
        return QString::fromLatin1(kCostRollupAddSql).arg(QLatin1String(rows), QLatin1String(times)).toUtf8();
    };
    static const QByteArray sql = QByteArray(R"SQL(
-- Cost rollups (docs/team-history.md, "Cost details"): the price-free parts of the cost details per UTC
-- month and the dimensions the filters use, so an all-time or long-window question prices a few
-- thousand (month, label) sums instead of every (run, label) row. Per run: the sums that need no price.
CREATE TABLE djp.rollup_run_costs (
    month              timestamptz NOT NULL,
    preset_name        text NOT NULL,
    provider           text NOT NULL,
    status             text NOT NULL,
    grounded           boolean NOT NULL,
    redacted           boolean NOT NULL,
    runs               bigint NOT NULL,
    est_cost_nano      numeric NOT NULL,
    reported_runs      bigint NOT NULL,    -- runs with a provider-reported cost on some call ...
    reported_cost_nano numeric NOT NULL,   -- ... the providers' sum for those runs ...
    computed_cost_nano numeric NOT NULL,   -- ... and ours
    cache_read_tokens  numeric NOT NULL,
    without_details    bigint NOT NULL,    -- runs whose row has no cost details yet (team init fills them)
    PRIMARY KEY (month, preset_name, provider, status, grounded, redacted)
);

-- Per (run, label) row: token sums that are exact to price when every row of a (month, label) meets
-- the same rate row and that rate is a whole number of nano-dollars per token (rounding each row up
-- then changes nothing); the client decides that per query, at its own prices.
CREATE TABLE djp.rollup_buckets (
    month          timestamptz NOT NULL,
    preset_name    text NOT NULL,
    provider       text NOT NULL,
    status         text NOT NULL,
    grounded       boolean NOT NULL,
    redacted       boolean NOT NULL,
    label          text NOT NULL,
    buckets        bigint NOT NULL,   -- (run, label) rows
    uncached_input numeric NOT NULL,  -- per row max(input - cache reads - cache writes, 0), summed
    cache_read     numeric NOT NULL,  -- per row max(tokens, 0), summed
    cache_write    numeric NOT NULL,
    output         numeric NOT NULL,
    min_call_input bigint,            -- the rows' largest-call input: its range (the tier)
    max_call_input bigint,
    PRIMARY KEY (month, preset_name, provider, status, grounded, redacted, label)
);

CREATE FUNCTION djp.cost_rollup_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
BEGIN
%ADD_NEW%    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION djp.cost_rollup_add() FROM PUBLIC;

-- Writers cannot UPDATE; team init does, when it fills in the cost details of older rows.
CREATE FUNCTION djp.cost_rollup_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
BEGIN
%TAKE_OLD%%ADD_NEW%    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION djp.cost_rollup_update() FROM PUBLIC;

CREATE TRIGGER runs_cost_rollup AFTER INSERT ON djp.runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION djp.cost_rollup_add();
CREATE TRIGGER runs_cost_rollup_update AFTER UPDATE ON djp.runs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION djp.cost_rollup_update();

SET LOCAL TimeZone = 'UTC';
%ADD_ALL%
)SQL")
                                      .replace("%TAKE_OLD%", add("old_rows", "-1"))
                                      .replace("%ADD_NEW%", add("new_rows", "1"))
                                      .replace("%ADD_ALL%", add("djp.runs", "1"));
    return sql.constData();
}

// Migration 5: the all-time level of rollup_runs and rollup_costs (the same dimensions without the
// month), so that all-time figures and the filter choices read a few thousand rows however long the
// history is. Filled by a statement trigger from the inserted rows of `%1`.
const char* kAllTimeRollupAddSql = R"SQL(
    INSERT INTO djp.rollup_runs_all AS t
    SELECT preset_name, provider, status, advisory_reason, grounded, redacted, simulated, cost_complete,
           citations_required > 0, citations_ok, grounded AND citations_count >= grounded_required,
           count(*), sum(total_tokens), sum(est_cost), sum(duration)
    FROM %1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ON CONFLICT (preset_name, provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited,
                 citations_ok, grounded_ok)
    DO UPDATE SET runs = t.runs + excluded.runs, total_tokens = t.total_tokens + excluded.total_tokens,
                  est_cost = t.est_cost + excluded.est_cost, duration = t.duration + excluded.duration;
    INSERT INTO djp.rollup_costs_all AS t
    SELECT preset_name, provider, status, grounded, redacted, label, sum(cost)
    FROM (SELECT preset_name, provider, status, grounded, redacted, unnest(cost_labels) AS label,
                 unnest(cost_values) AS cost FROM %1) u
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (preset_name, provider, status, grounded, redacted, label)
    DO UPDATE SET cost = t.cost + excluded.cost;
)SQL";

const char* allTimeRollupMigration()
{
    static const QByteArray sql
        = QByteArray(R"SQL(
CREATE TABLE djp.rollup_runs_all (
    preset_name     text NOT NULL,
    provider        text NOT NULL,
    status          text NOT NULL,
    advisory_reason text NOT NULL,
    grounded        boolean NOT NULL,
    redacted        boolean NOT NULL,
    simulated       boolean NOT NULL,
    cost_complete   boolean NOT NULL,
    cited           boolean NOT NULL,
    citations_ok    boolean NOT NULL,
    grounded_ok     boolean NOT NULL,
    runs            bigint NOT NULL,
    total_tokens    numeric NOT NULL,
    est_cost        numeric NOT NULL,
    duration        numeric NOT NULL,
    PRIMARY KEY (preset_name, provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited,
                 citations_ok, grounded_ok)
);

CREATE TABLE djp.rollup_costs_all (
    preset_name text NOT NULL,
    provider    text NOT NULL,
    status      text NOT NULL,
    grounded    boolean NOT NULL,
    redacted    boolean NOT NULL,
    label       text NOT NULL,
    cost        numeric NOT NULL,
    PRIMARY KEY (preset_name, provider, status, grounded, redacted, label)
);

CREATE FUNCTION djp.all_time_rollup_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
%ADD_NEW%    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION djp.all_time_rollup_add() FROM PUBLIC;

CREATE TRIGGER runs_all_time_rollup AFTER INSERT ON djp.runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION djp.all_time_rollup_add();

-- The runs already pushed: the monthly rollups hold exactly their sums.
INSERT INTO djp.rollup_runs_all
SELECT preset_name, provider, status, advisory_reason, grounded, redacted, simulated, cost_complete, cited,
       citations_ok, grounded_ok, sum(runs), sum(total_tokens), sum(est_cost), sum(duration)
FROM djp.rollup_runs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
INSERT INTO djp.rollup_costs_all
SELECT preset_name, provider, status, grounded, redacted, label, sum(cost)
FROM djp.rollup_costs GROUP BY 1, 2, 3, 4, 5, 6;
)SQL")
              .replace("%ADD_NEW%", QString::fromLatin1(kAllTimeRollupAddSql).arg(QStringLiteral("new_rows")).toUtf8());
    return sql.constData();
}

// Migration 6: spend per analyst (the role that pushed the runs) per UTC month and the filter
// dimensions, so `djp team spend` and the Dashboard's chart read whole months from here.
// Adds the rows of `%1` to the analyst rollup: run by its insert trigger and once by the migration.
const char* kAnalystRollupAddSql = R"SQL(
    INSERT INTO djp.rollup_analysts AS t
    SELECT coalesce(date_trunc('month', run_at), '-infinity'), preset_name, provider, status, grounded, redacted,
           pushed_by, count(*), sum(est_cost), sum(total_tokens), min(run_at), max(run_at)
    FROM %1 GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, preset_name, provider, status, grounded, redacted, pushed_by)
    DO UPDATE SET runs = t.runs + excluded.runs, est_cost = t.est_cost + excluded.est_cost,
                  total_tokens = t.total_tokens + excluded.total_tokens,
                  first_run = least(t.first_run, excluded.first_run), last_run = greatest(t.last_run, excluded.last_run);
)SQL";

const char* analystRollupMigration()
{
    const auto add
        = [](const char* rows) { return QString::fromLatin1(kAnalystRollupAddSql).arg(QLatin1String(rows)).toUtf8(); };
    static const QByteArray sql = QByteArray(R"SQL(
CREATE TABLE djp.rollup_analysts (
    month        timestamptz NOT NULL,
    preset_name  text NOT NULL,
    provider     text NOT NULL,
    status       text NOT NULL,
    grounded     boolean NOT NULL,
    redacted     boolean NOT NULL,
    pushed_by    text NOT NULL,
    runs         bigint NOT NULL,
    est_cost     numeric NOT NULL,
    total_tokens numeric NOT NULL,
    first_run    timestamptz,      -- NULL for the undated month
    last_run     timestamptz,
    PRIMARY KEY (month, preset_name, provider, status, grounded, redacted, pushed_by)
);

CREATE FUNCTION djp.analyst_rollup_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
BEGIN
%ADD_NEW%    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION djp.analyst_rollup_add() FROM PUBLIC;

CREATE TRIGGER runs_analyst_rollup AFTER INSERT ON djp.runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION djp.analyst_rollup_add();

SET LOCAL TimeZone = 'UTC';
%ADD_ALL%
)SQL")
                                      .replace("%ADD_NEW%", add("new_rows"))
                                      .replace("%ADD_ALL%", add("djp.runs"));
    return sql.constData();
}

const char* rollupMigration()
{
    static const QByteArray sql = QByteArray(R"SQL(
-- Rollups (docs/team-history.md, "Rollups"): exact counts and sums of djp.runs per UTC month (or hour)
-- and the dimensions the filters use, so all-time and long-window figures read thousands of rows
-- instead of every run. Undated runs have month '-infinity'. Kept in step with djp.runs by a
-- statement trigger in the inserting transaction, so a rollup never disagrees with the runs.
CREATE TABLE djp.rollup_runs (
    month           timestamptz NOT NULL,
    preset_name     text NOT NULL,
    provider        text NOT NULL,
    status          text NOT NULL,
    advisory_reason text NOT NULL,
    grounded        boolean NOT NULL,
    redacted        boolean NOT NULL,
    simulated       boolean NOT NULL,
    cost_complete   boolean NOT NULL,
    cited           boolean NOT NULL,   -- citations_required > 0
    citations_ok    boolean NOT NULL,
    grounded_ok     boolean NOT NULL,   -- grounded AND citations_count >= grounded_required
    runs            bigint NOT NULL,
    total_tokens    numeric NOT NULL,
    est_cost        numeric NOT NULL,   -- exact sums of the exact per-run values
    duration        numeric NOT NULL,
    PRIMARY KEY (month, preset_name, provider, status, advisory_reason, grounded, redacted, simulated,
                 cost_complete, cited, citations_ok, grounded_ok)
);

-- Cost per priced label (provenance.estimated_costs), for "cost by label" and the model facet.
CREATE TABLE djp.rollup_costs (
    month       timestamptz NOT NULL,
    preset_name text NOT NULL,
    provider    text NOT NULL,
    status      text NOT NULL,
    grounded    boolean NOT NULL,
    redacted    boolean NOT NULL,
    label       text NOT NULL,
    cost        numeric NOT NULL,
    PRIMARY KEY (month, preset_name, provider, status, grounded, redacted, label)
);

-- How many runs had each exact duration, over all time: all-time percentiles from it are exact (no
-- approximation) and read a few thousand rows per combination of the dimensions, whatever the number
-- of runs. Not kept per month: durations are nearly unique within a push batch, so each such table
-- costs the push about one index update per run; windows take their percentiles from the runs.
CREATE TABLE djp.rollup_durations_all (
    preset_name text NOT NULL,
    provider    text NOT NULL,
    status      text NOT NULL,
    grounded    boolean NOT NULL,
    redacted    boolean NOT NULL,
    duration_f  double precision NOT NULL,
    runs        bigint NOT NULL,
    PRIMARY KEY (preset_name, provider, status, grounded, redacted, duration_f)
);

-- Chart buckets per UTC hour and status (local bucket edges on whole UTC hours can use it).
CREATE TABLE djp.rollup_hours (
    hour         timestamptz NOT NULL,
    status       text NOT NULL,
    runs         bigint NOT NULL,
    total_tokens numeric NOT NULL,
    est_cost     numeric NOT NULL,
    PRIMARY KEY (hour, status)
);

-- Adds the rows of one inserting statement to the rollups. SECURITY DEFINER: writers may only
-- INSERT into djp.runs; the rollups are the owner's. Rows are added in key order so that two
-- concurrent pushes lock shared rollup rows in the same order (no deadlock).
CREATE FUNCTION djp.rollup_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
BEGIN
%ROLLUP_ADD_NEW_ROWS%    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION djp.rollup_add() FROM PUBLIC;

CREATE TRIGGER runs_rollup AFTER INSERT ON djp.runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION djp.rollup_add();

-- Runs pushed before this migration: the same sums, computed once from the rows already there.
SET LOCAL TimeZone = 'UTC';
%ROLLUP_ADD_ALL_ROWS%
)SQL")
                                      .replace("%ROLLUP_ADD_NEW_ROWS%",
                                          QString::fromLatin1(kRollupAddSql).arg(QStringLiteral("new_rows")).toUtf8())
                                      .replace("%ROLLUP_ADD_ALL_ROWS%",
                                          QString::fromLatin1(kRollupAddSql).arg(QStringLiteral("djp.runs")).toUtf8());
    return sql.constData();
}

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
    { 2, "rollups", rollupMigration() },
    { 3, "cost details", R"SQL(
-- The 0.2 cost details (docs/team-history.md, "Cost details"): per run the exact cost, the reported vs
-- computed sums and the cache tokens; per (run, model label) the usage buckets, the largest call's input
-- (its long-context tier) and the run's pricing day, so the server can price each (run, label) row at
-- the rates the client sends. Constant defaults: adding them rewrites no row. `cost_details` tells
-- which rows hold them: rows pushed before this migration (or by an older djp) are filled by team init
-- from their stored artifact.
ALTER TABLE djp.runs
    ADD COLUMN cost_details          boolean NOT NULL DEFAULT false,
    ADD COLUMN est_cost_nano         bigint NOT NULL DEFAULT 0,
    ADD COLUMN cache_read_tokens     bigint NOT NULL DEFAULT 0,
    ADD COLUMN cache_write_tokens    bigint NOT NULL DEFAULT 0,
    ADD COLUMN reasoning_tokens      bigint NOT NULL DEFAULT 0,
    ADD COLUMN estimated_usage_calls integer NOT NULL DEFAULT 0,
    ADD COLUMN reported_cost_calls   integer NOT NULL DEFAULT 0,
    ADD COLUMN reported_cost_nano    bigint NOT NULL DEFAULT 0,
    ADD COLUMN computed_cost_nano    bigint NOT NULL DEFAULT 0,
    ADD COLUMN price_day             date,  -- UTC day of run_at: the day the calls are priced at
    -- One element per model label with calls[] usage, in the same order in each array (the child rows).
    ADD COLUMN bucket_labels         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN bucket_max_call_input bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN bucket_input          bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN bucket_cache_read     bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN bucket_cache_write    bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN bucket_output         bigint[] NOT NULL DEFAULT '{}';

-- Finds the rows still to back-fill without reading the table; empty (and free for the push) once filled.
CREATE INDEX runs_without_cost_details ON djp.runs (run_key) WHERE NOT cost_details;

-- The (run, label) rows as a relation, for ad-hoc SQL.
CREATE VIEW djp.run_buckets AS
SELECT r.run_key, r.run_at, r.price_day, b.label, b.max_call_input_tokens, b.input_tokens, b.cache_read_tokens,
       b.cache_write_tokens, b.output_tokens
FROM djp.runs r,
     unnest(r.bucket_labels, r.bucket_max_call_input, r.bucket_input, r.bucket_cache_read, r.bucket_cache_write,
            r.bucket_output) AS b(label, max_call_input_tokens, input_tokens, cache_read_tokens, cache_write_tokens,
                                  output_tokens);
)SQL" },
    { 4, "cost rollups", costRollupMigration() },
    { 5, "all-time rollups", allTimeRollupMigration() },
    { 6, "analyst rollup", analystRollupMigration() },
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

// COPY binary format (docs/team-history.md, "Push"): every field is a 32-bit length and the
// type's binary send form, so the server neither scans the artifact for escapes nor parses numbers.
void putBE(QByteArray& o, quint64 v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        o += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void putField(QByteArray& o, const QByteArray& data)
{
    putBE(o, static_cast<quint32>(data.size()), 4);
    o += data;
}

void putText(QByteArray& o, const QString& v)
{
    putField(o, v.toUtf8());
}

void putBool(QByteArray& o, bool b)
{
    putBE(o, 1, 4);
    o += static_cast<char>(b ? 1 : 0);
}

void putInt4(QByteArray& o, qint64 v)
{
    putBE(o, 4, 4);
    putBE(o, static_cast<quint32>(static_cast<qint32>(v)), 4);
}

void putInt8(QByteArray& o, qint64 v)
{
    putBE(o, 8, 4);
    putBE(o, static_cast<quint64>(v), 8);
}

void putFloat8(QByteArray& o, double v)
{
    putBE(o, 8, 4);
    putBE(o, std::bit_cast<quint64>(v), 8);
}

void putNull(QByteArray& o)
{
    putBE(o, 0xFFFFFFFFu, 4);
}

// numeric's send form (without the length): ndigits, weight, sign, dscale, then base-10000 digits,
// from exactDecimal()'s "[-]digits[.digits]", so the stored value is that decimal exactly.
QByteArray numericBinary(double value)
{
    const QByteArray text = exactDecimal(value);
    const bool negative = text.startsWith('-');
    const QByteArray body = negative ? text.mid(1) : text;
    const qsizetype dot = body.indexOf('.');
    QByteArray intPart = dot < 0 ? body : body.left(dot);
    QByteArray fracPart = dot < 0 ? QByteArray() : body.mid(dot + 1);
    const int dscale = static_cast<int>(fracPart.size());
    // Pad both parts to whole groups of four decimal digits.
    while (intPart.size() % 4)
        intPart.prepend('0');
    while (fracPart.size() % 4)
        fracPart.append('0');
    const QByteArray digits = intPart + fracPart;
    std::vector<quint16> groups;
    for (qsizetype i = 0; i < digits.size(); i += 4)
        groups.push_back(static_cast<quint16>(digits.mid(i, 4).toInt()));
    int weight = static_cast<int>(intPart.size() / 4) - 1;
    // Strip leading and trailing zero groups (zero itself has no digits).
    size_t first = 0;
    while (first < groups.size() && groups[first] == 0) {
        ++first;
        --weight;
    }
    size_t last = groups.size();
    while (last > first && groups[last - 1] == 0)
        --last;
    QByteArray o;
    const size_t ndigits = last - first;
    putBE(o, ndigits, 2);
    putBE(o, static_cast<quint16>(ndigits ? weight : 0), 2);
    putBE(o, negative && ndigits ? 0x4000 : 0x0000, 2);
    putBE(o, static_cast<quint16>(dscale), 2);
    for (size_t i = first; i < last; ++i)
        putBE(o, groups[i], 2);
    return o;
}

void putNumeric(QByteArray& o, double v)
{
    putField(o, numericBinary(v));
}

// A one-dimensional array without NULLs (an empty one has no dimensions, as '{}' reads).
template <typename Vector, typename Element>
void putArray(QByteArray& o, quint32 elementOid, const Vector& v, Element element)
{
    QByteArray a;
    putBE(a, v.empty() ? 0 : 1, 4);
    putBE(a, 0, 4);
    putBE(a, elementOid, 4);
    if (!v.empty()) {
        putBE(a, v.size(), 4);
        putBE(a, 1, 4);
    }
    for (const auto& e : v)
        element(a, e);
    putField(o, a);
}

using Writer = void (*)(QByteArray&, const RunRecord&);
using Reader = void (*)(const PgResult&, int, int, RunRecord&);

struct Column
{
    const char* name;
    const char* select; // expression over alias "r" (%1) when not the plain column
    Writer write;
    Reader read;
    int since = 1; // the migration that added it (3: the cost details, back-filled by team init)
};

// The per-(run, label) usage buckets as one bigint[] of a LabelBuckets field.
template <qint64 RunRecord::LabelBuckets::*Field> void putBucketArray(QByteArray& o, const RunRecord& r)
{
    putArray(o, 20 /* int8 */, r.bucketsByLabel, [](QByteArray& a, const auto& b) { putInt8(a, b.*Field); });
}

#define DJP_TEXT(col, field)                                                                                           \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { putText(o, r.field); },                                  \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.text(row, c); }                          \
    }
#define DJP_INT(col, field, put)                                                                                       \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { put(o, r.field); },                                      \
            [](const PgResult& p, int row, int c, RunRecord& r) {                                                      \
                r.field = static_cast<decltype(RunRecord::field)>(p.toLongLong(row, c));                               \
            }                                                                                                          \
    }
// Columns of migration 3 (the cost details), which team init back-fills for older rows.
#define DJP_INT3(col, field, put)                                                                                      \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { put(o, r.field); },                                      \
            [](const PgResult& p, int row, int c, RunRecord& r) {                                                      \
                r.field = static_cast<decltype(RunRecord::field)>(p.toLongLong(row, c));                               \
            },                                                                                                         \
            3                                                                                                          \
    }
#define DJP_BUCKETS3(col, field)                                                                                       \
    {                                                                                                                  \
        col, nullptr, &putBucketArray<&RunRecord::LabelBuckets::field>, nullptr, 3                                     \
    }
#define DJP_BOOL(col, field)                                                                                           \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { putBool(o, r.field); },                                  \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.toBool(row, c); }                        \
    }
// Exact decimal in, exact decimal out: the double survives the round trip bit for bit.
#define DJP_EXACT(col, field)                                                                                          \
    {                                                                                                                  \
        col, nullptr, [](QByteArray& o, const RunRecord& r) { putNumeric(o, r.field); },                               \
            [](const PgResult& p, int row, int c, RunRecord& r) { r.field = p.toDouble(row, c); }                      \
    }

const Column kColumns[] = {
    DJP_TEXT("artifact_file", artifactFile),
    { "run_at", "(extract(epoch FROM %1.run_at) * 1000)::bigint",
        [](QByteArray& o, const RunRecord& r) {
            // timestamptz: microseconds since 2000-01-01 00:00 UTC.
            if (r.hasTimestamp)
                putInt8(o, (r.timestampMs - Q_INT64_C(946684800000)) * 1000);
            else
                putNull(o);
        },
        [](const PgResult& p, int row, int c, RunRecord& r) {
            r.hasTimestamp = !p.isNull(row, c);
            r.timestampMs = r.hasTimestamp ? p.toLongLong(row, c) : 0;
        } },
    DJP_INT("utc_offset_s", utcOffsetSeconds, putInt4),
    DJP_TEXT("task", task),
    DJP_TEXT("trace_name", traceName),
    { "task_folded", nullptr, [](QByteArray& o, const RunRecord& r) { putText(o, r.task.toCaseFolded()); }, nullptr },
    { "trace_folded", nullptr, [](QByteArray& o, const RunRecord& r) { putText(o, r.traceName.toCaseFolded()); },
        nullptr },
    DJP_TEXT("preset_name", presetName),
    DJP_TEXT("status", status),
    DJP_TEXT("provider", provider),
    DJP_TEXT("winner_provider", winnerProvider),
    DJP_INT("tokens_in", tokensIn, putInt8),
    DJP_INT("tokens_out", tokensOut, putInt8),
    DJP_INT("total_tokens", totalTokens, putInt8),
    DJP_EXACT("est_cost", estCost),
    DJP_EXACT("duration", duration),
    { "duration_f", nullptr, [](QByteArray& o, const RunRecord& r) { putFloat8(o, r.duration); }, nullptr },
    DJP_INT("num_drafts", numDrafts, putInt4),
    DJP_INT("num_ranked", numRanked, putInt4),
    DJP_INT("citations_required", citationsRequired, putInt4),
    DJP_BOOL("citations_ok", citationsOk),
    DJP_BOOL("grounded", grounded),
    DJP_INT("grounded_required", groundedRequired, putInt4),
    DJP_INT("citations_count", citationsCount, putInt4),
    DJP_BOOL("redacted", redacted),
    DJP_INT("redaction_count", redactionCount, putInt4),
    DJP_TEXT("redaction_types", redactionTypes),
    DJP_TEXT("advisory_reason", advisoryReason),
    DJP_INT("max_tokens", maxTokens, putInt4),
    { "temperature", nullptr, [](QByteArray& o, const RunRecord& r) { putFloat8(o, r.temperature); },
        [](const PgResult& p, int row, int c, RunRecord& r) { r.temperature = p.toDouble(row, c); } },
    DJP_BOOL("fastpath", fastpath),
    DJP_INT("text_length", textLength, putInt8),
    DJP_TEXT("schema_version", schemaVersion),
    DJP_TEXT("run_id", runId),
    DJP_BOOL("simulated", simulated),
    DJP_BOOL("cost_complete", costComplete),
    { "budget_usd", nullptr,
        [](QByteArray& o, const RunRecord& r) { r.budgetUsd ? putFloat8(o, *r.budgetUsd) : putNull(o); },
        [](const PgResult& p, int row, int c, RunRecord& r) {
            r.budgetUsd = p.isNull(row, c) ? std::nullopt : std::optional<double>(p.toDouble(row, c));
        } },
    DJP_TEXT("budget_status", budgetStatus),
    DJP_BOOL("stopped_early", stoppedEarly),
    DJP_TEXT("judge_method", judgeMethod),
    DJP_INT("calls", calls, putInt4),
    DJP_INT("failed_calls", failedCalls, putInt4),
    DJP_INT("retries", retries, putInt4),
    { "cost_labels", nullptr,
        [](QByteArray& o, const RunRecord& r) {
            putArray(o, 25 /* text */, r.costByLabel, [](QByteArray& a, const auto& e) { putText(a, e.first); });
        },
        nullptr },
    { "cost_values", nullptr,
        [](QByteArray& o, const RunRecord& r) {
            putArray(
                o, 1700 /* numeric */, r.costByLabel, [](QByteArray& a, const auto& e) { putNumeric(a, e.second); });
        },
        nullptr },
    // ---- migration 3: the cost details (docs/team-history.md, "Cost details") ----
    { "cost_details", nullptr, [](QByteArray& o, const RunRecord&) { putBool(o, true); }, nullptr, 3 },
    { "est_cost_nano", nullptr, [](QByteArray& o, const RunRecord& r) { putInt8(o, r.estCostExactNano()); },
        [](const PgResult& p, int row, int c, RunRecord& r) { r.estCostNano = p.toLongLong(row, c); }, 3 },
    DJP_INT3("cache_read_tokens", cacheReadTokens, putInt8),
    DJP_INT3("cache_write_tokens", cacheWriteTokens, putInt8),
    DJP_INT3("reasoning_tokens", reasoningTokens, putInt8),
    DJP_INT3("estimated_usage_calls", estimatedUsageCalls, putInt4),
    DJP_INT3("reported_cost_calls", reportedCostCalls, putInt4),
    DJP_INT3("reported_cost_nano", reportedCostNano, putInt8),
    DJP_INT3("computed_cost_nano", computedCostNano, putInt8),
    { "price_day", nullptr,
        [](QByteArray& o, const RunRecord& r) {
            // date: days since 2000-01-01 (Julian day 2451545); NULL for an undated run (current rates).
            const QDate day = runPricingDay(r);
            if (day.isValid())
                putInt4(o, day.toJulianDay() - 2'451'545);
            else
                putNull(o);
        },
        nullptr, 3 },
    { "bucket_labels", nullptr,
        [](QByteArray& o, const RunRecord& r) {
            putArray(o, 25 /* text */, r.bucketsByLabel, [](QByteArray& a, const auto& b) { putText(a, b.label); });
        },
        nullptr, 3 },
    DJP_BUCKETS3("bucket_max_call_input", maxCallInputTokens),
    DJP_BUCKETS3("bucket_input", inputTokens),
    DJP_BUCKETS3("bucket_cache_read", cacheReadTokens),
    DJP_BUCKETS3("bucket_cache_write", cacheWriteTokens),
    DJP_BUCKETS3("bucket_output", outputTokens),
};

#undef DJP_INT3
#undef DJP_BUCKETS3
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

bool requireTeamSchema(PgConnection& conn, DbError* error, int minVersion)
{
    int version = 0;
    if (!teamSchemaVersionOnServer(conn, &version, error))
        return false;
    if (version >= std::max(1, minVersion > 0 ? minVersion : teamSchemaVersion()))
        return true;
    if (version > 0) {
        // Readers use the rollups of later migrations; an older history is upgraded by team init.
        if (error)
            *error = { QStringLiteral("schema_outdated"),
                QStringLiteral("the team history in '%1' has schema version %2; this djp needs %3 (run: djp team "
                               "init --db URL)")
                    .arg(conn.database())
                    .arg(version)
                    .arg(teamSchemaVersion()),
                {} };
        return false;
    }
    if (error)
        *error = { QStringLiteral("schema_missing"),
            QStringLiteral("the team history schema is missing in '%1' (run: djp team init --db URL)")
                .arg(conn.database()),
            {} };
    return false;
}

bool initTeamSchema(PgConnection& conn, bool createRoles, TeamInitResult* result, DbError* error, int targetVersion)
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
        if (m.version <= res.versionBefore || (targetVersion > 0 && m.version > targetVersion))
            continue;
        if (!conn.execScript(QString::fromUtf8(m.sql), error))
            return rollback();
        if (!conn.exec(QStringLiteral("INSERT INTO djp.schema_migrations (version, name) VALUES ($1, $2)"),
                { QByteArray::number(m.version), QByteArray(m.name) }, error))
            return rollback();
        res.applied << QStringLiteral("%1 %2").arg(m.version).arg(QString::fromUtf8(m.name));
    }
    res.versionAfter = std::max(res.versionBefore, targetVersion > 0 ? targetVersion : teamSchemaVersion());
    // Rows without the cost details (pushed before migration 3, or since by an older djp) get them
    // from their stored artifact, in this transaction: readers see all of them or none.
    if (res.versionAfter >= 3 && !backfillCostDetails(conn, &res.costDetailsFilled, &res.costDetailsUnreadable, error))
        return rollback();
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

QStringList runRecordColumns(int schemaVersion)
{
    QStringList n;
    for (const Column& c : kColumns)
        if (schemaVersion <= 0 || c.since <= schemaVersion)
            n << QString::fromLatin1(c.name);
    return n;
}

QString runRecordColumnsSql(int schemaVersion)
{
    return runRecordColumns(schemaVersion).join(QStringLiteral(", "));
}

void appendRunCopyRow(
    QByteArray& out, const QString& key, const RunRecord& r, const QByteArray& artifactBytes, int schemaVersion)
{
    const qsizetype countAt = out.size();
    putBE(out, 0, 2);
    int fields = 2;
    putText(out, key);
    for (const Column& c : kColumns) {
        if (schemaVersion > 0 && c.since > schemaVersion)
            continue;
        c.write(out, r);
        ++fields;
    }
    putField(out, artifactBytes);
    out[countAt] = static_cast<char>((fields >> 8) & 0xFF);
    out[countAt + 1] = static_cast<char>(fields & 0xFF);
}

bool backfillCostDetails(PgConnection& conn, qint64* filled, qint64* unreadable, DbError* error)
{
    *filled = 0;
    *unreadable = 0;
    QStringList columns;
    for (const Column& c : kColumns)
        if (c.since >= 3)
            columns << QString::fromLatin1(c.name);
    const QString list = columns.join(QStringLiteral(", "));
    if (!conn.execScript(QStringLiteral("CREATE TEMP TABLE djp_cost_backfill ON COMMIT DROP AS "
                                        "SELECT run_key, %1 FROM djp.runs WITH NO DATA;"
                                        "DECLARE djp_backfill NO SCROLL CURSOR FOR "
                                        "SELECT run_key, artifact_file, artifact FROM djp.runs WHERE NOT cost_details")
                             .arg(list),
            error))
        return false;
    // The client's own scanner reads each stored artifact, exactly as a push reads the file, so a
    // back-filled row equals the row a push of the same file writes now.
    ArtifactScanner scanner;
    for (;;) {
        auto page = conn.exec(QStringLiteral("FETCH 2000 FROM djp_backfill"), {}, error);
        if (!page)
            return false;
        if (page->rows() == 0)
            break;
        QByteArray rows = runCopyHeader();
        for (int i = 0; i < page->rows(); ++i) {
            const QByteArray artifact = page->bytes(i, 2);
            const RecordParse parsed
                = scanner.parse(page->text(i, 1), std::string_view(artifact.constData(), artifact.size()));
            if (!parsed.record) {
                ++*unreadable; // stays without details; counted as such by readers
                continue;
            }
            putBE(rows, columns.size() + 1, 2);
            putText(rows, page->text(i, 0));
            for (const Column& c : kColumns)
                if (c.since >= 3)
                    c.write(rows, *parsed.record);
            ++*filled;
        }
        rows += runCopyTrailer();
        if (!conn.copyIn(
                QStringLiteral("COPY djp_cost_backfill (run_key, %1) FROM STDIN WITH (FORMAT binary)").arg(list),
                [&](QByteArray& chunk) {
                    chunk += rows;
                    return false;
                },
                error))
            return false;
    }
    QStringList sets;
    for (const QString& c : columns)
        sets << QStringLiteral("%1 = t.%1").arg(c);
    return conn.execScript(QStringLiteral("CLOSE djp_backfill;"
                                          "UPDATE djp.runs r SET %1 FROM djp_cost_backfill t "
                                          "WHERE r.run_key = t.run_key AND NOT r.cost_details")
                               .arg(sets.join(QStringLiteral(", "))),
        error);
}

QByteArray runCopyHeader()
{
    // Signature, flags (no OIDs), header extension length.
    return QByteArray("PGCOPY\n\xFF\r\n\0", 11) + QByteArray(8, '\0');
}

QByteArray runCopyTrailer()
{
    return QByteArray("\xFF\xFF", 2);
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
