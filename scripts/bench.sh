#!/usr/bin/env bash
# usage: scripts/bench.sh [--cluster] [--instances N] [--partitions P] [LOAD GENERATOR OPTIONS] | --micro [FILTER] | --help
# The performance comparison: starts empty Redis and PostgreSQL and the clearing service (their own
# ports and data in .local/bench), runs the load generator against the engine (unary Debit and DebitBatch) and
# against two classic one-stored-procedure-per-swipe baselines in the same run, and writes JSON and a
# Markdown table to results/loadgen. Stops everything it started afterwards. The service's signing key is
# made once in .local/bench/credentials and kept; the load generator mints its tokens with it (--key).
#   scripts/bench.sh                      the comparison at the load generator's defaults
#   scripts/bench.sh --duration 60        any load generator option passes through; they are listed by
#                                         dotnet run --project benchmarks/CampusCard.Clearing.LoadGen -- --help
#   scripts/bench.sh --cluster            on a fresh Redis Cluster of 3 masters and 3 replicas (scripts/cluster.sh, ports
#                                         CC_CLUSTER_PORT..+5) instead of one Redis; every node's CPU counts as redis-server
#   scripts/bench.sh --instances N        N service instances (ports CC_GRPC_PORT+1..N, metrics CC_METRICS_PORT+1..N) behind
#                                         HAProxy on CC_GRPC_PORT (scripts/haproxy.sh), as run.sh does; their CPU summed
#   scripts/bench.sh --partitions P       the hot state in P partitions (exports HotStore__Partitions; else the default, 16)
#                                         The three combine; the report names the configuration. Without them: one Redis,
#                                         one instance and no HAProxy. scripts/bench-scaling.sh runs a matrix of them.
#   scripts/bench.sh --campuses N         (a load generator option) the service modes' terminals spread over N campuses:
#                                         the default one and N-1 the load generator creates (loadgen-2.., with a vendor
#                                         token), each in a time zone of its own (+05:00, +09:00, ...), each with
#                                         --accounts cardholders of the same person numbers and the canteens, every
#                                         caller's token naming its campus; verified per campus
#   scripts/bench.sh --micro [filter]     the BenchmarkDotNet suite instead (results/benchmarks)
#   scripts/bench.sh --help               this text; starts nothing
set -euo pipefail
export CC_ENV=bench
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

cluster=false balanced=false instances=1 labels=() args=()
if [ "${1:-}" != --micro ]; then
  while [ $# -gt 0 ]; do
    case "$1" in
      --cluster) cluster=true; labels+=(--cluster); shift ;;
      --instances) instances=${2:?--instances needs a count}; balanced=true; shift 2 ;;
      --partitions) export HotStore__Partitions=${2:?--partitions needs a count}; labels+=(--partitions "$2"); shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- "${args[@]}"
fi
[[ "$instances" =~ ^[1-9][0-9]?$ ]] || { echo "[bench] --instances is 1 to 99, not $instances" >&2; exit 2; }

# services.sh and cluster.sh stop shut down whatever Redis answers on their ports: not another checkout's, though.
refuse_foreign_redis() {
  local port=$1 ours=$2 dir
  redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || return 0
  dir=$(redis-cli -h 127.0.0.1 -p "$port" config get dir | sed -n 2p)
  [ "$(cd "$dir" 2>/dev/null && pwd -P)" = "$(cd "$ours" 2>/dev/null && pwd -P)" ] && return
  echo "[bench] port $port is served from $dir, not from $ours: wait for that run to end, or set $3" >&2
  exit 1
}
refuse_foreign_redis "$CC_REDIS_PORT" "$CC_LOCAL/redis" CC_REDIS_PORT
if $cluster; then
  for port in $(seq "$CC_CLUSTER_PORT" $((CC_CLUSTER_PORT + 5))); do refuse_foreign_redis "$port" "$CC_LOCAL/cluster/$port" CC_CLUSTER_PORT; done
fi
# A service already on a gRPC port would take the load in place of the ones started below.
grpc_ports=("$CC_GRPC_PORT")
if $balanced; then grpc_ports+=($(seq $((CC_GRPC_PORT + 1)) $((CC_GRPC_PORT + instances)))); fi
for port in "${grpc_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[bench] port $port is taken (another checkout's bench?): wait for it to end, or set CC_GRPC_PORT" >&2
    exit 1
  fi
done

# Stops what this run started, whichever way it ends: the service instances and HAProxy, then the servers.
children=()
stop() {
  if [ ${#children[@]} -gt 0 ]; then kill -TERM "${children[@]}" 2>/dev/null || true; fi
  # A signal interrupts a wait; wait again for each child's graceful stop.
  for child in "${children[@]}"; do wait "$child" 2>/dev/null || true; done
  if $cluster; then "$CC_ROOT/scripts/cluster.sh" stop; fi
  "$CC_ROOT/scripts/services.sh" stop
}
trap stop EXIT
trap 'exit 130' INT TERM

# Every run starts from empty servers, so runs compare and no state piles up between them.
"$CC_ROOT/scripts/services.sh" stop
rm -rf "$CC_LOCAL/redis" "$CC_LOCAL/pg"
if $cluster; then
  "$CC_ROOT/scripts/services.sh" start postgresql
  "$CC_ROOT/scripts/cluster.sh" reset
  "$CC_ROOT/scripts/cluster.sh" start
  ConnectionStrings__Redis=$("$CC_ROOT/scripts/cluster.sh" endpoints)
  export ConnectionStrings__Redis
else
  "$CC_ROOT/scripts/services.sh" start
fi

if [ "${1:-}" = --micro ]; then
  dotnet run -c Release --project benchmarks/CampusCard.Clearing.Benchmarks -- --filter "${2:-*}"
  exit
fi

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
dotnet build benchmarks/CampusCard.Clearing.LoadGen -c Release -o "$CC_LOCAL/loadgen" -nologo -v quiet

host=(dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll")
key="$CC_LOCAL/credentials/signing-key.pem"
[ -f "$key" ] || "${host[@]}" create-key --out "$key" >/dev/null
export Auth__PublicKeyPath="$key"
# Setup opens 20,000 accounts, each hashing an ID number and a default PIN: at the default iterations that alone
# takes minutes on two cores. The bench hashes with fewer (a PIN check then costs ~0.4 ms, not ~7 ms; docs/performance.md).
export Cards__SecretHashIterations="${Cards__SecretHashIterations:-1000}"
# Lunch-peak cards are Zipf-skewed: the hottest would pass any daily limit in seconds. Cards start without limits here;
# the load generator sets limits on a share of cards and sends those cards' over-limit debits with their PIN.
export Cards__Student__SingleLimitFen="${Cards__Student__SingleLimitFen:-0}" Cards__Student__DailyLimitFen="${Cards__Student__DailyLimitFen:-0}"

export Listen__Address=127.0.0.1:$CC_GRPC_PORT Logging__LogLevel__Default=Warning
"${host[@]}" migrate
if ! $balanced; then
  "${host[@]}" &
  children+=($!)
  services=$!
else
  backends=() services=""
  for i in $(seq 1 "$instances"); do
    Listen__Address=127.0.0.1:$((CC_GRPC_PORT + i)) Metrics__Address=127.0.0.1:$((CC_METRICS_PORT + i)) "${host[@]}" &
    children+=($!)
    services+="${services:+,}$!"
    backends+=("$((CC_GRPC_PORT + i)):$((CC_METRICS_PORT + i))")
  done
  "$CC_ROOT/scripts/haproxy.sh" run "$CC_GRPC_PORT" "${backends[@]}" &
  children+=($!)
  labels+=(--instances "$instances" --haproxy-pid $!)
  # The load generator waits for SERVING through HAProxy, that is for one instance: wait for every one's /healthz.
  for i in $(seq 1 "$instances"); do
    for _ in $(seq 1 600); do
      curl -sf -o /dev/null "http://127.0.0.1:$((CC_METRICS_PORT + i))/healthz" && break
      sleep 0.2
    done
  done
fi

defaults=()
case " $* " in *" --mode "*) ;; *) defaults+=(--mode all) ;; esac
case " $* " in *" --key "*) ;; *) defaults+=(--key "$key") ;; esac
# The share of PIN cards, also from the environment, so paired runs against a load generator without the option can set it.
case " $* " in *" --pin-cards "*) ;; *) defaults+=(--pin-cards "${CC_BENCH_PIN_CARDS:-5}") ;; esac
dotnet "$CC_LOCAL/loadgen/CampusCard.Clearing.LoadGen.dll" --address "http://$Listen__Address" "${defaults[@]}" "${labels[@]}" \
  --service-pid "$services" --results "$CC_ROOT/results/loadgen" "$@"
