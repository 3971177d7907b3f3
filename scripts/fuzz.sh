#!/usr/bin/env bash
# The long fuzz run of the gRPC surface (docs/fuzzing.md): mutated protobuf bodies for every RPC with valid credentials,
# then mutated HTTP/2 frames over raw h2c sockets, against the whole service on loopback, through the same tests the suite
# runs briefly (Fuzz/GrpcFuzzTests). Starts Redis and PostgreSQL on the test ports as scripts/test.sh does (and stops
# them afterwards when it started them). The report lands in .local/fuzz/seed-<N>/ (bodies.md, frames.md, progress.log).
set -uo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/fuzz.sh [--bodies N] [--connections N] [--seed N]
  --bodies N        protobuf bodies to send (a client stream's messages count one each); default 1000000
  --connections N   HTTP/2 connections with mutated frames; default 20000
  --seed N          the run's seed: the same seed sends the same bodies and frames; default 1
Ends with the test runner's verdict; exit 0 when no answer was INTERNAL or UNKNOWN, the service kept serving,
nothing was logged at error level and the invariants held afterwards.
USAGE
}

bodies=1000000 connections=20000 seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --bodies) bodies=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

export CC_ENV=test
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CC_ROOT"

case "$(scripts/services.sh status 2>&1)" in *down*) trap 'scripts/services.sh stop' EXIT ;; esac
scripts/services.sh start || exit 1
dotnet build tests/CampusCard.Clearing.Tests -c Release -nologo -v quiet || exit 1

report="$CC_ROOT/.local/fuzz/seed-$seed"
rm -rf "$report" && mkdir -p "$report"
echo "[fuzz] $bodies bodies and $connections connections, seed $seed; progress in $report/progress.log" >&2
started=$(date +%s)
CC_FUZZ_BODIES=$bodies CC_FUZZ_CONNECTIONS=$connections CC_FUZZ_SEED=$seed CC_FUZZ_SECONDS=86400 CC_FUZZ_REPORT=$report \
  dotnet test tests/CampusCard.Clearing.Tests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~CampusCard.Clearing.Tests.Fuzz.GrpcFuzzTests" --logger "console;verbosity=normal" > "$report/test.log" 2>&1
status=$?
cat "$report"/bodies.md "$report"/frames.md 2>/dev/null
echo "[fuzz] $(( $(date +%s) - started )) s; the test runner said:" >&2
grep -E "^(Passed|Failed)!|Error Message" -A3 "$report/test.log" >&2
exit $status
