#!/usr/bin/env bash
# usage: scripts/bench-scaling.sh [--duration S] [--seed N] [--only NAME,...] [-- LOAD GENERATOR OPTIONS] | --help
# How throughput, latency and CPU per debit change with the hot state's partitions, a Redis Cluster's masters and the
# service instances: runs scripts/bench.sh --mode unary once per configuration, one after another in one sitting, each
# from empty servers with the same duration and seed, and writes one table (approved debits/s, p50 and p99 of a debit
# call, CPU µs per debit of the service, Redis, PostgreSQL, HAProxy, the load generator and all processes) to
# results/scaling/<timestamp>.md, printing it at the end. The configurations, in this order:
#   single-p1 single-p4 single-p16 single-p64   one Redis, one instance, P = 1, 4, 16, 64 partitions
#   cluster-p16 cluster-p64                     a Redis Cluster of 3 masters and 3 replicas, one instance
#   single-p16-x2 cluster-p16-x2                two instances behind HAProxy, on one Redis and on the cluster
# On a machine of few cores more processes cannot add throughput; CPU per debit is the figure that carries over.
# A failed run is marked in the table and the others go on; the exit code is then 1.
#   --duration S   seconds measured per configuration (default 20)
#   --seed N       the load generator's seed, the same for every configuration (default 7)
#   --only LIST    these configurations instead, comma-separated, in the order given; any single|cluster-pP[-xN] is
#                  one: one Redis or the cluster, P partitions, N instances behind HAProxy (none without -xN)
#   -- OPTIONS     passed on to every run's bench.sh and load generator
#   scripts/bench-scaling.sh                      the whole matrix (about 8 × (setup + 25 s))
#   scripts/bench-scaling.sh --duration 5 --only single-p16,cluster-p16-x2 -- --accounts 2000 --warmup 2
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/help.sh"
help_if_asked "$@"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

duration=20 seed=7
configurations=(single-p1 single-p4 single-p16 single-p64 cluster-p16 cluster-p64 single-p16-x2 cluster-p16-x2)
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --only) IFS=, read -r -a configurations <<<"${2:?--only needs configuration names}"; shift 2 ;;
    --) shift; break ;;
    *) echo "[scaling] unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# bench.sh's flags for a configuration's name: single|cluster-pP[-xN].
flags_of() {
  [[ "$1" =~ ^(single|cluster)-p([0-9]+)(-x([0-9]+))?$ ]] || return 1
  local flags=(--partitions "${BASH_REMATCH[2]}")
  if [ "${BASH_REMATCH[1]}" = cluster ]; then flags+=(--cluster); fi
  if [ -n "${BASH_REMATCH[4]}" ]; then flags+=(--instances "${BASH_REMATCH[4]}"); fi
  echo "${flags[*]}"
}
for name in "${configurations[@]}"; do
  flags_of "$name" >/dev/null || { echo "[scaling] '$name' is no configuration: single|cluster-pP[-xN], e.g. cluster-p16-x2" >&2; exit 2; }
done

log() { printf '[scaling] %s\n' "$*" >&2; }

rows=$(mktemp)
marker=$(mktemp)
trap 'rm -f "$rows" "$marker"' EXIT
# bench.sh stops what it started when it ends, also on Ctrl-C (which reaches it too); then stop here as well.
trap 'exit 130' INT TERM
failed=0

# The table's row of one configuration, from the JSON report its run wrote.
report_row() {
  jq -r --arg name "$1" '
    def cpu($p): ((.cpu // []) | map(select(.process == $p)) | first | .micros_per_debit) // "–";
    .environment as $e | .runs[] | [$name,
      (if $e.options.cluster then "cluster \($e.redis_masters)+\($e.redis_replicas)" else "single" end),
      ($e.options.instances | tostring) + (if $e.options.haproxy_pid then " (HAProxy)" else "" end),
      $e.options.partitions, (.approved_per_second | round), .debit_call_latency.p50_ms, .debit_call_latency.p99_ms,
      cpu("service"), cpu("redis-server"), cpu("postgres"), cpu("haproxy"), cpu("loadgen"), .cpu_micros_per_debit,
      (if .verification.passed then "pass" else "FAIL" end)] | @tsv' "$2"
}

log "${#configurations[@]} configurations, each: scripts/bench.sh --mode unary --duration $duration --seed $seed $*"
for name in "${configurations[@]}"; do
  read -r -a flags <<<"$(flags_of "$name")"
  log "$name: scripts/bench.sh ${flags[*]}"
  touch "$marker"
  rc=0
  "$root/scripts/bench.sh" --mode unary --duration "$duration" --seed "$seed" "${flags[@]}" "$@" || rc=$?
  # bench.sh writes its report to results/loadgen; a file newer than the marker is this run's.
  json=$(find "$root/results/loadgen" -maxdepth 1 -name '*.json' -newer "$marker" -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2-)
  if [ -z "$json" ] || ! report_row "$name" "$json" >> "$rows"; then
    printf '%s\t(no report: bench.sh exited with %s)\t\t\t\t\t\t\t\t\t\t\t\t\n' "$name" "$rc" >> "$rows"
    failed=1
  elif [ "$rc" != 0 ]; then
    failed=1
  fi
done

mkdir -p "$root/results/scaling"
table="$root/results/scaling/$(date +%Y%m%d-%H%M%S).md"
revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
git -C "$root" diff --quiet HEAD 2>/dev/null || revision+=" with uncommitted changes"
{
  echo "# Scaling, $(date '+%Y-%m-%d %H:%M:%S %z')"
  echo
  echo "Each row: scripts/bench.sh --mode unary --duration $duration --seed $seed $* with the configuration's flags, from empty" \
    "servers, one after another on $(nproc) cores shared by all processes; revision $revision. Latency per Debit call;" \
    "CPU µs per debit of each kind of process (service: all instances; Redis: every node of a cluster, replicas included);" \
    "all: every process, the load generator's too. Reports of each run: results/loadgen."
  echo
  echo "| configuration | Redis | instances | partitions | approved debits/s | p50 ms | p99 ms | CPU µs/debit service | Redis | PostgreSQL | HAProxy | load generator | all | verification |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  sed 's/\t/ | /g; s/^/| /; s/$/ |/' "$rows"
} > "$table"
cat "$table"
log "written: $table"
exit "$failed"
