#!/usr/bin/env bash
# Paired benchmark runs of two checkouts, to measure what a change changes on a machine whose speed drifts:
#   scripts/bench-paired.sh BEFORE_DIR AFTER_DIR [ROUNDS] -- [bench.sh args]
# runs BEFORE_DIR/scripts/bench.sh ARGS, then AFTER_DIR/scripts/bench.sh ARGS, and again, ROUNDS times (default 2),
# so that a drift falls on both sides alike. Each run is that checkout's own bench.sh with its own build, servers and
# data (.local/bench), one at a time on the same ports; the args reach both exactly as given, so give only options
# both load generators know (each bench.sh adds what its own tree needs, such as a newer one's --key). Then a table
# with a row per run and mode: approved debits/s, p99 of a debit call, and CPU µs per debit of the service, Redis,
# PostgreSQL and all processes, read from the JSON the run wrote to that checkout's results/loadgen. A failed run
# (verification, a crash) is marked in the table and the rounds go on; the exit code is then 1.
#   scripts/bench-paired.sh ../before . -- --mode unary --duration 20 --seed 7
#   scripts/bench-paired.sh /work/old /work/new 3 -- --mode batch
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/help.sh"
help_if_asked "$@"

usage() { echo "usage: $0 BEFORE_DIR AFTER_DIR [ROUNDS] -- [bench.sh args]" >&2; exit 2; }
[ $# -ge 2 ] || usage
before=$(cd "$1" && pwd) || usage
after=$(cd "$2" && pwd) || usage
shift 2
rounds=2
if [ $# -gt 0 ] && [ "$1" != -- ]; then rounds=$1; shift; fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || usage
if [ $# -gt 0 ]; then [ "$1" = -- ] || usage; shift; fi
for dir in "$before" "$after"; do
  [ -x "$dir/scripts/bench.sh" ] || { echo "$dir/scripts/bench.sh is missing" >&2; exit 2; }
done

log() { printf '[paired] %s\n' "$*" >&2; }

# Which code a run measured: the commit, and whether tracked files differ from it.
revision() {
  local rev
  rev=$(git -C "$1" rev-parse --short HEAD 2>/dev/null) || { echo "not a git checkout"; return; }
  git -C "$1" diff --quiet HEAD 2>/dev/null && echo "$rev" || echo "$rev with uncommitted changes"
}

rows=$(mktemp)
marker=$(mktemp)
trap 'rm -f "$rows" "$marker"' EXIT
failed=0

# One row per mode of the JSON report a run wrote: tab-separated, in the table's columns.
report_rows() {
  jq -r --arg run "$1" '
    def cpu($p): ((.cpu // []) | map(select(.process == $p)) | first | .micros_per_debit) // "n/a";
    .runs[] | [$run, .mode, (.approved_per_second | round), .debit_call_latency.p99_ms,
      cpu("service"), cpu("redis-server"), cpu("postgres"), .cpu_micros_per_debit,
      (if .verification.passed then "pass" else "FAIL" end)] | @tsv' "$2"
}

print_table() {
  echo "| run | mode | approved/s | p99 ms | CPU µs/debit service | Redis | PostgreSQL | all | verification |"
  echo "|---|---|---|---|---|---|---|---|---|"
  sed 's/\t/ | /g; s/^/| /; s/$/ |/' "$rows"
}

log "before: $before ($(revision "$before"))"
log "after:  $after ($(revision "$after"))"
log "$rounds rounds of: scripts/bench.sh $*"
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    dir=${!side}
    label="$round $side"
    log "round $round, $side: $dir/scripts/bench.sh $*"
    touch "$marker"
    # bench.sh writes its results below its own checkout; a file newer than the marker is this run's.
    rc=0
    "$dir/scripts/bench.sh" "$@" || rc=$?
    json=$(find "$dir/results/loadgen" -maxdepth 1 -name '*.json' -newer "$marker" -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)
    if [ -z "$json" ]; then
      printf '%s\t(no results: bench.sh exited with %s)\t\t\t\t\t\t\t\n' "$label" "$rc" >> "$rows"
      failed=1
      continue
    fi
    if ! report_rows "$label" "$json" >> "$rows"; then
      printf '%s\t(unreadable: %s)\t\t\t\t\t\t\t\n' "$label" "$json" >> "$rows"
      rc=unreadable
    fi
    [ "$rc" = 0 ] || failed=1
    log "round $round, $side: $json (exit $rc)"
  done
done

echo
echo "before = $before ($(revision "$before")), after = $after ($(revision "$after")); bench.sh $*"
echo
print_table
exit "$failed"
