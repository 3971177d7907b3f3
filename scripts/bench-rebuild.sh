#!/usr/bin/env bash
# Times one partition's rebuild on journals of a given size (docs/performance.md, "Rebuilding one partition"): for each
# size, a scratch database (rebuild_bench_<rows>) is filled in SQL with a campus's holders and that many transactions
# (benchmarks/rebuild/fill-journal.sql: a fixed week's window of recent ones, the rest history before it), then
# partition 0 is rebuilt as recovery does it (the journal's snapshot, then the restore into Redis; benchmarks
# CampusCard.Clearing.Benchmarks, rebuild-partition) at 16 and 64 partitions, RUNS times each, and once at 1 (the whole
# hot state); one line per run: rows, partitions, partition, holders, cards, records, seconds. Then the plans of the
# snapshot's queries as the
# journal ran them (auto_explain, with ANALYZE and BUFFERS). Drops the scratch database afterwards. Uses the
# servers of CC_ENV (bench unless set), starting them if they are down (and stopping them afterwards).
#   scripts/bench-rebuild.sh [ROWS...]      default: 1000000 10000000
#   scripts/bench-rebuild.sh --help         this text; starts nothing
# Settings: CC_REBUILD_HOLDERS (20000), CC_REBUILD_RUNS (3), CC_REBUILD_KEEP=1 keeps the scratch databases.
set -euo pipefail
export CC_ENV=${CC_ENV:-bench}
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

holders=${CC_REBUILD_HOLDERS:-20000}
runs=${CC_REBUILD_RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
for rows in "${sizes[@]}"; do
  [[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -gt "$holders" ] || { echo "[bench-rebuild] $rows: ROWS is a number of transactions above the $holders holders' opening rows" >&2; exit 2; }
done

sql() { psql -h 127.0.0.1 -p "$CC_PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
# Afterwards: the scratch database of the size in hand goes, and the servers if this run started them.
ours=0 db=
cleanup() {
  if [ -n "$db" ] && [ "${CC_REBUILD_KEEP:-0}" != 1 ]; then sql -d postgres -c "DROP DATABASE IF EXISTS $db"; fi
  if [ "$ours" = 1 ]; then scripts/services.sh stop; fi
}
trap cleanup EXIT
case "$(scripts/services.sh status 2>&1)" in *down*) ours=1 ;; esac
scripts/services.sh start
dotnet build benchmarks/CampusCard.Clearing.Benchmarks -c Release -o "$CC_LOCAL/rebuild-bench" -nologo -v quiet
bench() { dotnet "$CC_LOCAL/rebuild-bench/CampusCard.Clearing.Benchmarks.dll" rebuild-partition "$@"; }
log=$CC_LOCAL/pg/server.log

for rows in "${sizes[@]}"; do
  db=rebuild_bench_$rows
  sql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export ConnectionStrings__Journal="Host=127.0.0.1;Port=$CC_PG_PORT;Username=postgres;Database=$db"
  bench migrate
  started=$(date +%s)
  sql -d "$db" -v rows="$rows" -v holders="$holders" -f benchmarks/rebuild/fill-journal.sql >/dev/null
  echo "[bench-rebuild] filled $db in $(( $(date +%s) - started )) s"
  sql -d "$db" -At -F ' ' -c "SELECT 'rows=' || count(*), 'window_rows=' || count(*) FILTER (WHERE decided_at >= now() - interval '7 days'),
                                     'history_days=' || round(extract(epoch FROM max(decided_at) - min(decided_at)) / 86400),
                                     'table=' || pg_size_pretty(pg_table_size('transactions')), 'indexes=' || pg_size_pretty(pg_indexes_size('transactions')),
                                     'transactions_holder_time=' || pg_size_pretty(pg_relation_size('transactions_holder_time'))
                                FROM transactions"
  for partitions in 16 64; do bench "$partitions" 0 "$runs" | sed "s/^/rows=$rows /"; done
  bench 1 0 1 | sed "s/^/rows=$rows /"

  echo "[bench-rebuild] the snapshot's plans at 16 partitions (auto_explain):"
  sql -d postgres -c "ALTER DATABASE $db SET session_preload_libraries = 'auto_explain'" -c "ALTER DATABASE $db SET auto_explain.log_min_duration = 0" \
      -c "ALTER DATABASE $db SET auto_explain.log_analyze = on" -c "ALTER DATABASE $db SET auto_explain.log_buffers = on"
  from=$(stat -c %s "$log")
  bench 16 0 1 >/dev/null
  tail -c +"$((from + 1))" "$log"
  [ "${CC_REBUILD_KEEP:-0}" = 1 ] || sql -d postgres -c "DROP DATABASE $db"
  db=
done
