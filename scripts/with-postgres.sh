#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: initdb in a temporary directory,
# the server on a Unix socket there (no TCP listener), FILROUGE_TEST_POSTGRES naming it,
# then the cluster stopped and deleted whatever the command's outcome. Debian's
# `postgresql` package provides the binaries (scripts/setup.sh --test installs it).
# As root the cluster runs as the `postgres` user, which initdb requires.
#   bash scripts/with-postgres.sh cargo test -p filrouge-server postgres
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL found under /usr/lib/postgresql (apt install postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/filrouge-pg.XXXXXX)
as=()
user=$(id -un)
if [ "$(id -u)" = 0 ]; then
  user=postgres
  as=(runuser -u postgres --)
  chown postgres "$dir"
fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off for tests: the cluster is thrown away. A benchmark compares PostgreSQL with
# SQLite's synchronous=FULL, so it runs with FILROUGE_PG_FSYNC=on.
fsync=${FILROUGE_PG_FSYNC:-off}
# FILROUGE_PG_STATS=1: the statements' calls, planning and execution times
# (pg_stat_statements) on stderr after the command, the costliest first: how the
# foreign keys' triggers and the pages read again were found under `bench load`.
stats=()
if [ -n "${FILROUGE_PG_STATS:-}" ]; then
  stats=(-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on)
fi
# FILROUGE_PG_SETTINGS: more server settings, e.g. "-c shared_buffers=1GB" (README's
# "Deploy a team server" says which a département's server wants).
settings=${FILROUGE_PG_SETTINGS:-}
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
  -o "-k $dir -c listen_addresses='' -c fsync=$fsync -c max_connections=300 ${stats[*]} $settings" start \
  || { cat "$dir/server.log" >&2; exit 1; }
export FILROUGE_TEST_POSTGRES="host=$dir user=$user dbname=postgres"
if [ ${#stats[@]} -eq 0 ]; then
  "$@"
  exit
fi
status=0
"$@" || status=$?
"$bin/psql" "$FILROUGE_TEST_POSTGRES" -X -q \
  -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
  -c "SELECT calls, plans, round(total_plan_time::numeric) AS plan_ms,
             round(total_exec_time::numeric) AS exec_ms,
             left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
        FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT 12" >&2 \
  || true
exit $status
