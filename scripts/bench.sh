#!/usr/bin/env bash
# The performance comparison: starts empty Redis and PostgreSQL and the clearing service (their own
# ports and data in .local/bench), runs the load generator against the engine (unary Debit and DebitBatch) and
# against the classic one-stored-procedure-per-swipe baseline in the same run, and writes JSON and a
# Markdown table to results/loadgen. Stops everything it started afterwards.
#   scripts/bench.sh                      the comparison at the load generator's defaults
#   scripts/bench.sh --duration 60        any load generator option passes through (see --help)
#   scripts/bench.sh --micro [filter]     the BenchmarkDotNet suite instead (results/benchmarks)
set -euo pipefail
export CC_ENV=bench
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CC_ROOT"

# Every run starts from empty servers, so runs compare and no state piles up between them.
"$CC_ROOT/scripts/services.sh" stop
rm -rf "$CC_LOCAL/redis" "$CC_LOCAL/pg"
"$CC_ROOT/scripts/services.sh" start
trap '"$CC_ROOT/scripts/services.sh" stop' EXIT

if [ "${1:-}" = --micro ]; then
  dotnet run -c Release --project benchmarks/CampusCard.Clearing.Benchmarks -- --filter "${2:-*}"
  exit
fi

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
dotnet build benchmarks/CampusCard.Clearing.LoadGen -c Release -o "$CC_LOCAL/loadgen" -nologo -v quiet

export Listen__Address=127.0.0.1:$CC_GRPC_PORT Logging__LogLevel__Default=Warning
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" migrate
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" &
service=$!
trap 'kill -TERM $service 2>/dev/null; wait $service 2>/dev/null; "$CC_ROOT/scripts/services.sh" stop' EXIT

mode=(--mode all)
case " $* " in *" --mode "*) mode=() ;; esac
dotnet "$CC_LOCAL/loadgen/CampusCard.Clearing.LoadGen.dll" --address "http://$Listen__Address" "${mode[@]}" \
  --service-pid "$service" --results "$CC_ROOT/results/loadgen" "$@"
