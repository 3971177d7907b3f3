#!/usr/bin/env bash
# Installs (when missing), starts, and stops the Redis and PostgreSQL that the service and the tests use.
#   scripts/services.sh start [redis|postgresql]   start both (or the one named) on loopback and wait until they
#                                                 answer (harmless when running)
#   scripts/services.sh stop    stop both cleanly; the data stays in .local/$CC_ENV for the next start
#   scripts/services.sh status
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

log() { printf '[services] %s\n' "$*" >&2; }

# PostgreSQL refuses to run as root, so as root we run it as the postgres user.
pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

redis_up() { redis-cli -h 127.0.0.1 -p "$CC_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
pg_up() { "$CC_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$CC_PG_PORT" -U postgres -d "$CC_PG_DB"; }

# A server already on our port must be ours (this folder's data), not another checkout's.
ours() {
  [ "$(cd "$2" 2>/dev/null && pwd -P)" = "$(cd "$3" 2>/dev/null && pwd -P)" ] && return
  log "port $1 is served from $2, not from $3: stop that server or choose other ports (CC_REDIS_PORT, CC_PG_PORT)"
  exit 1
}

start_redis() {
  if redis_up; then
    ours "$CC_REDIS_PORT" "$(redis-cli -h 127.0.0.1 -p "$CC_REDIS_PORT" config get dir | sed -n 2p)" "$CC_LOCAL/redis"
    log "redis already answers on $CC_REDIS_PORT"; return
  fi
  mkdir -p "$CC_LOCAL/redis"
  # Append-only persistence so a restart keeps the hot state; correctness never rests on it. Never evict:
  # an evicted idempotency record would let money move twice (the service refuses a Redis that may evict).
  redis-server --bind 127.0.0.1 --port "$CC_REDIS_PORT" --dir "$CC_LOCAL/redis" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction --daemonize yes \
    --pidfile "$CC_LOCAL/redis/redis.pid" --logfile "$CC_LOCAL/redis/redis.log" >/dev/null
  # A large append-only file takes a while to load; Redis answers LOADING until it is done.
  for _ in $(seq 1 1800); do redis_up && break; sleep 0.1; done
  redis_up || { log "redis did not start; see $CC_LOCAL/redis/redis.log"; exit 1; }
  log "redis on 127.0.0.1:$CC_REDIS_PORT"
}

start_pg() {
  local data="$CC_LOCAL/pg"
  if pg_up; then
    ours "$CC_PG_PORT" "$("$CC_PG_BIN/psql" -h 127.0.0.1 -p "$CC_PG_PORT" -U postgres -d "$CC_PG_DB" -tAc 'show data_directory')" "$data"
    log "postgresql already answers on $CC_PG_PORT"; return
  fi
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres "$data" && chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    pg "$CC_PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Durable commits (fsync, full page writes and synchronous_commit stay on), tuned for an
  # append-heavy journal: buffers large enough that backends do not evict dirty pages themselves,
  # and checkpoints far enough apart that full page images do not dominate the WAL. Connections: every service process
  # and every test's data source pools up to 100; the cluster pass (two instances of its own, two of a fault test, the
  # tests' scratch databases) once ran out of 200.
  local settings=(-p "$CC_PG_PORT" -c listen_addresses=127.0.0.1 -k "$data" -c max_connections=400 -c synchronous_commit=on
    -c shared_buffers=1GB -c wal_buffers=64MB -c max_wal_size=8GB -c min_wal_size=1GB -c checkpoint_timeout=15min)
  pg "$CC_PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start -o "${settings[*]}" >/dev/null
  if ! "$CC_PG_BIN/psql" -h 127.0.0.1 -p "$CC_PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$CC_PG_DB'" | grep -q 1; then
    "$CC_PG_BIN/createdb" -h 127.0.0.1 -p "$CC_PG_PORT" -U postgres "$CC_PG_DB"
  fi
  log "postgresql on 127.0.0.1:$CC_PG_PORT, database $CC_PG_DB"
}

stop_all() {
  if redis_up; then redis-cli -h 127.0.0.1 -p "$CC_REDIS_PORT" shutdown >/dev/null 2>&1 || true; log "redis stopped"; fi
  if [ -f "$CC_LOCAL/pg/postmaster.pid" ]; then
    pg "$CC_PG_BIN/pg_ctl" -D "$CC_LOCAL/pg" -m fast -w stop >/dev/null && log "postgresql stopped"
  fi
}

case "${1:-}" in
  start)
    install_missing redis-server:redis-server "$CC_PG_BIN/pg_ctl:postgresql-15"
    case "${2:-both}" in redis) start_redis ;; postgresql) start_pg ;; *) start_redis; start_pg ;; esac
    ;;
  stop) stop_all ;;
  status) { redis_up && log "redis up" || log "redis down"; } ; { pg_up && log "postgresql up" || log "postgresql down"; } ;;
  *) echo "usage: $0 start [redis|postgresql]|stop|status" >&2; exit 2 ;;
esac
