#!/usr/bin/env bash
# A local Redis Cluster for the service: three masters and three replicas (Debian's redis-server, installed when
# missing) on loopback ports CC_CLUSTER_PORT to CC_CLUSTER_PORT+5, bus ports 10000 above, data in
# .local/$CC_ENV/cluster/<port>. Created once with `redis-cli --cluster create`; later starts rejoin it.
#   scripts/cluster.sh start       start the nodes not running (creating the cluster the first time) and wait until
#                                  every slot is served by a master
#   scripts/cluster.sh stop        stop every node; the data stays for the next start
#   scripts/cluster.sh status      each node's role, or down
#   scripts/cluster.sh endpoints   the ConnectionStrings__Redis value naming every node
#   scripts/cluster.sh reset       stop every node and delete the cluster's data
# Each node: append-only file (fsync every second), no eviction (the service refuses a node that may evict), a node
# timeout of 2 s (a master unreachable that long is replaced by its replica), and the slots of a failed master not
# blocking the others' (cluster-require-full-coverage no).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"

log() { printf '[cluster] %s\n' "$*" >&2; }
ports() { seq "$CC_CLUSTER_PORT" $((CC_CLUSTER_PORT + 5)); }
dir_of() { echo "$CC_LOCAL/cluster/$1"; }
cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }
up() { cli "$1" ping 2>/dev/null | grep -q PONG; }

start_node() {
  local port=$1 dir
  dir=$(dir_of "$port")
  up "$port" && return
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-port $((port + 1000)) \
    --cluster-node-timeout 2000 --cluster-require-full-coverage no --cluster-replica-validity-factor 0 \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 300); do up "$port" && return; sleep 0.1; done
  log "node $port did not start; see $dir/redis.log"
  exit 1
}

# Every slot served by a master that answers, as the first node sees it.
healthy() {
  local info
  info=$(cli "$CC_CLUSTER_PORT" cluster info 2>/dev/null) || return 1
  grep -q '^cluster_state:ok' <<<"$info" && grep -q '^cluster_slots_ok:16384' <<<"$info"
}

start() {
  install_missing redis-server:redis-server redis-cli:redis-tools
  local port
  for port in $(ports); do start_node "$port"; done
  if [ "$(cli "$CC_CLUSTER_PORT" cluster info | sed -n 's/^cluster_known_nodes:\([0-9]*\).*/\1/p')" = 1 ]; then
    log "creating the cluster: 3 masters, 3 replicas"
    # shellcheck disable=SC2046
    redis-cli --cluster create $(for port in $(ports); do printf '127.0.0.1:%s ' "$port"; done) --cluster-replicas 1 --cluster-yes >/dev/null
  fi
  for _ in $(seq 1 300); do healthy && break; sleep 0.1; done
  healthy || { log "the cluster does not serve every slot; see $(dir_of "$CC_CLUSTER_PORT")/redis.log"; exit 1; }
  log "redis cluster on 127.0.0.1:$CC_CLUSTER_PORT-$((CC_CLUSTER_PORT + 5))"
}

stop() {
  local port
  for port in $(ports); do
    if up "$port"; then cli "$port" shutdown >/dev/null 2>&1 || true; fi
  done
  log "redis cluster stopped"
}

status() {
  local port
  for port in $(ports); do
    if up "$port"; then log "$port $(cli "$port" role | head -1)"; else log "$port down"; fi
  done
}

endpoints() {
  local port list=""
  for port in $(ports); do list+="127.0.0.1:$port,"; done
  echo "${list}abortConnect=false"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  endpoints) endpoints ;;
  reset) stop; rm -rf "$CC_LOCAL/cluster"; log "cluster data deleted" ;;
  *) echo "usage: $0 start|stop|status|endpoints|reset" >&2; exit 2 ;;
esac
