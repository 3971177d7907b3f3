#!/usr/bin/env bash
# HAProxy (Debian's haproxy, installed when missing) in front of several service instances: each gRPC call (an HTTP/2
# stream) is balanced on its own, round robin, not each connection. An instance is taken out once three checks of its
# /healthz (on its metrics port, 200 while its engine decides; 1 s to answer) fail 250 ms apart, and put back after two
# that pass; a call whose connection to an instance cannot be made goes to another.
#   scripts/haproxy.sh config PORT GRPC_PORT:METRICS_PORT...   print the configuration: HAProxy on 127.0.0.1:PORT (h2c)
#   scripts/haproxy.sh run PORT GRPC_PORT:METRICS_PORT...      run HAProxy in the foreground with it
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"

config() {
  local port=$1 i=0 backend
  shift
  cat <<CONFIG
global
    nbthread 1
    maxconn 4000

defaults
    mode http
    timeout connect 1s
    # Watches (card status, auto top-ups) are streams that stay open.
    timeout client 1h
    timeout server 1h
    retries 3
    retry-on conn-failure empty-response
    option redispatch 1

frontend grpc
    bind 127.0.0.1:$port proto h2
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    # A busy instance may take a while to answer its check: it is taken out for not answering within 1 s, three times.
    timeout check 1s
    default-server check inter 250ms fall 3 rise 2
CONFIG
  for backend in "$@"; do
    i=$((i + 1))
    echo "    server instance$i 127.0.0.1:${backend%%:*} proto h2 port ${backend#*:} check-proto h1"
  done
}

case "${1:-}" in
  config) shift; config "$@" ;;
  run)
    shift
    install_missing haproxy:haproxy
    mkdir -p "$CC_LOCAL/haproxy"
    config "$@" > "$CC_LOCAL/haproxy/haproxy.cfg"
    exec haproxy -db -f "$CC_LOCAL/haproxy/haproxy.cfg"
    ;;
  *) echo "usage: $0 config|run PORT GRPC_PORT:METRICS_PORT..." >&2; exit 2 ;;
esac
