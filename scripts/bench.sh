#!/usr/bin/env bash
# usage: scripts/bench.sh [LOAD GENERATOR OPTIONS] | --micro [FILTER] | --help
# The performance comparison: starts empty Redis and PostgreSQL and the clearing service (their own
# ports and data in .local/bench), runs the load generator against the engine (unary Debit and DebitBatch) and
# against two classic one-stored-procedure-per-swipe baselines in the same run, and writes JSON and a
# Markdown table to results/loadgen. Stops everything it started afterwards. The service's signing key is
# made once in .local/bench/credentials and kept; the load generator mints its tokens with it (--key).
#   scripts/bench.sh                      the comparison at the load generator's defaults
#   scripts/bench.sh --duration 60        any load generator option passes through; they are listed by
#                                         dotnet run --project benchmarks/CampusCard.Clearing.LoadGen -- --help
#   scripts/bench.sh --micro [filter]     the BenchmarkDotNet suite instead (results/benchmarks)
#   scripts/bench.sh --help               this text; starts nothing
set -euo pipefail
export CC_ENV=bench
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

# services.sh stop shuts down whatever Redis answers on our port: not another checkout's, though.
if redis-cli -h 127.0.0.1 -p "$CC_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  dir=$(redis-cli -h 127.0.0.1 -p "$CC_REDIS_PORT" config get dir | sed -n 2p)
  if [ "$(cd "$dir" 2>/dev/null && pwd -P)" != "$(cd "$CC_LOCAL/redis" 2>/dev/null && pwd -P)" ]; then
    echo "[bench] port $CC_REDIS_PORT is served from $dir, not from $CC_LOCAL/redis: wait for that run to end, or set CC_REDIS_PORT" >&2
    exit 1
  fi
fi
# A service already on the gRPC port would take the load in place of the one started below.
if (exec 3<>"/dev/tcp/127.0.0.1/$CC_GRPC_PORT") 2>/dev/null; then
  echo "[bench] port $CC_GRPC_PORT is taken (another checkout's bench?): wait for it to end, or set CC_GRPC_PORT" >&2
  exit 1
fi

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

key="$CC_LOCAL/credentials/signing-key.pem"
[ -f "$key" ] || dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" create-key --out "$key" >/dev/null
export Auth__PublicKeyPath="$key"
# Setup opens 20,000 accounts, each hashing an ID number and a default PIN: at the default iterations that alone
# takes minutes on two cores. The bench hashes with fewer (a PIN check then costs ~0.4 ms, not ~7 ms; docs/performance.md).
export Cards__SecretHashIterations="${Cards__SecretHashIterations:-1000}"
# Lunch-peak cards are Zipf-skewed: the hottest would pass any daily limit in seconds. Cards start without limits here;
# the load generator sets limits on a share of cards and sends those cards' over-limit debits with their PIN.
export Cards__Student__SingleLimitFen="${Cards__Student__SingleLimitFen:-0}" Cards__Student__DailyLimitFen="${Cards__Student__DailyLimitFen:-0}"

export Listen__Address=127.0.0.1:$CC_GRPC_PORT Logging__LogLevel__Default=Warning
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" migrate
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" &
service=$!
trap 'kill -TERM $service 2>/dev/null; wait $service 2>/dev/null; "$CC_ROOT/scripts/services.sh" stop' EXIT

defaults=()
case " $* " in *" --mode "*) ;; *) defaults+=(--mode all) ;; esac
case " $* " in *" --key "*) ;; *) defaults+=(--key "$key") ;; esac
# The share of PIN cards, also from the environment, so paired runs against a load generator without the option can set it.
case " $* " in *" --pin-cards "*) ;; *) defaults+=(--pin-cards "${CC_BENCH_PIN_CARDS:-5}") ;; esac
dotnet "$CC_LOCAL/loadgen/CampusCard.Clearing.LoadGen.dll" --address "http://$Listen__Address" "${defaults[@]}" \
  --service-pid "$service" --results "$CC_ROOT/results/loadgen" "$@"
