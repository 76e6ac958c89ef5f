#!/usr/bin/env bash
# Grows a team history inside the server, for the 1,000,000- and 3,000,000-run figures of
# docs/performance.md ("Team history at 1,000,000 runs"): pushing that many artifact files would take
# hours and tens of GB of files, so the runs already pushed are copied N-1 times with new run keys
# ('<key>#c<k>'), artifact paths ('c<k>/<path>') and run_at shifted back by k * STEP months. The copies go
# through the same insert trigger as a push, so the rollups (docs/team-history.md, "Rollups") stay exact.
#   bench/team_scale.sh URL COPIES [STEP_MONTHS=4] [ARTIFACTS=copy|stub]
# URL names a database that holds one pushed folder (schema version 2 or later: run djp team init first).
# ARTIFACTS=stub stores '{}' instead of each copied artifact: the heap and every figure except the
# inspector's artifact fetch are the same, and the database is ~5x smaller.
# The password comes from the URL, ~/.pgpass or $PGPASSWORD, as for psql.
set -euo pipefail
url=${1:?URL}; copies=${2:?COPIES}; step=${3:-4}; artifacts=${4:-copy}
psql -X -v ON_ERROR_STOP=1 -q "$url" <<SQL
SET TimeZone = 'UTC';
SET synchronous_commit = off;
SELECT djp.ensure_run_partitions(ARRAY(
    SELECT DISTINCT date_trunc('month', run_at - make_interval(months => k * $step))::timestamp
    FROM djp.run_keys, generate_series(1, $copies - 1) AS k WHERE run_at IS NOT NULL AND run_key NOT LIKE '%#c%'));
DO \$\$
DECLARE
    cols text;
    sel text;
BEGIN
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position),
           string_agg(CASE column_name
                          WHEN 'run_key' THEN 'run_key || ''#c%1\$s'''
                          WHEN 'run_at' THEN 'run_at - make_interval(months => %2\$s)'
                          WHEN 'price_day' THEN '(run_at - make_interval(months => %2\$s))::date'
                          WHEN 'artifact_file' THEN '''c%1\$s/'' || artifact_file'
                          WHEN 'artifact' THEN CASE WHEN '$artifacts' = 'stub' THEN '''{}''' ELSE 'artifact' END
                          ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position)
    INTO cols, sel
    FROM information_schema.columns WHERE table_schema = 'djp' AND table_name = 'runs';
    FOR k IN 1 .. $copies - 1 LOOP
        EXECUTE format('INSERT INTO djp.run_keys (run_key, run_at, pushed_at, pushed_by) '
                       'SELECT run_key || ''#c%1\$s'', run_at - make_interval(months => %2\$s), pushed_at, pushed_by '
                       'FROM djp.run_keys WHERE run_key NOT LIKE ''%%#c%%''', k, k * $step);
        EXECUTE format('INSERT INTO djp.runs (' || cols || ') SELECT ' || sel
                       || ' FROM djp.runs WHERE run_key NOT LIKE ''%%#c%%''', k, k * $step);
        RAISE NOTICE 'copy % of %', k, $copies - 1;
        COMMIT;
    END LOOP;
END
\$\$;
VACUUM ANALYZE;
SELECT count(*) AS runs, pg_size_pretty(pg_database_size(current_database())) AS size FROM djp.run_keys;
SQL
