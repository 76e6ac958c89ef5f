#!/usr/bin/env bash
# A scratch PostgreSQL cluster for `djp bench --db` (docs/team-history.md, docs/performance.md), with
# the server's default durability settings (fsync on), unlike the test clusters.
#   bench/team_cluster.sh start DIR [PORT]   prints the URL to use with --db
#   bench/team_cluster.sh stop DIR
# As root, the server runs as $DJP_PG_USER (default nobody), since PostgreSQL refuses to run as root.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?DIR}; port=${3:-54329}
bin=${DJP_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid="${DJP_PG_USER:-nobody}" --regid=nogroup --clear-groups); fi
case "$cmd" in
start)
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir"; chmod 700 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "${DJP_PG_USER:-nobody}":nogroup "$dir"
    echo "bench-secret" > "$dir/pw"; [ "$(id -u)" -eq 0 ] && chown "${DJP_PG_USER:-nobody}" "$dir/pw"
    "${as_user[@]}" "$bin/initdb" -D "$dir/data" -U djp_admin --pwfile="$dir/pw" --auth=scram-sha-256 -E UTF8 \
      --locale=C --no-instructions >/dev/null
    printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nshared_buffers = 512MB\nmax_wal_size = 4GB\n" \
      >> "$dir/data/postgresql.conf"
  fi
  "${as_user[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w start >/dev/null
  echo "postgresql://djp_admin:bench-secret@127.0.0.1:$port/postgres"
  ;;
stop)
  "${as_user[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
esac
