#!/usr/bin/env bash
# usage: scripts/run.sh [--instances N] [--cluster] [--campus CODE[:NAME]]... | --help
# Runs the clearing service in the foreground with its own Redis and PostgreSQL (installed when missing, started on
# loopback, data kept in .local/dev). Ctrl-C or SIGTERM stops the service and then what it started.
#   scripts/run.sh                            one instance on one Redis, serving on 127.0.0.1:$CC_GRPC_PORT (50051)
#   scripts/run.sh --instances N [--cluster]  N instances (on ports CC_GRPC_PORT+1..N, metrics CC_METRICS_PORT+1..N)
#                                             behind HAProxy on CC_GRPC_PORT, each call balanced on its own
#                                             (scripts/haproxy.sh); with --cluster on a local Redis Cluster of
#                                             3 masters and 3 replicas (scripts/cluster.sh) instead of one Redis
#   scripts/run.sh --campus pj:Panjin         once the service serves, creates campus pj named Panjin (without :NAME,
#                                             named pj) with the vendor's token, beside the default campus; repeatable.
#                                             A code is lower-case letters, digits and '-', a letter or digit first, at
#                                             most 32. Each campus's office token goes to .local/dev/credentials/CODE/;
#                                             the run prints how to get its other roles' and a campuscard line for it
# Settings: src/CampusCard.Clearing.Host/appsettings.json, overridden by environment variables (Listen__Address,
# ConnectionStrings__Redis, Engine__MaxBatchSize, HotStore__Partitions, ...).
# Credentials for development: a signing key and one bearer token per role in .local/dev/credentials (the default
# campus's; vendor.token names none).
set -euo pipefail
export CC_ENV=${CC_ENV:-dev}
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

instances=1 cluster=false balanced=false campuses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --instances) instances=${2:?--instances needs a count}; balanced=true; shift 2 ;;
    --cluster) cluster=true; balanced=true; shift ;;
    --campus) campuses+=("${2:?--campus needs CODE[:NAME]}"); shift 2 ;;
    *) echo "[run] unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$instances" =~ ^[1-9][0-9]?$ ]] || { echo "[run] --instances is 1 to 99, not $instances" >&2; exit 2; }
# The rule of Admin.CreateCampus (and of the campuses table), checked before anything is built or started.
for campus in "${campuses[@]}"; do
  [[ "${campus%%:*}" =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]] || {
    echo "[run] --campus $campus: '${campus%%:*}' is not a campus code (lower-case letters, digits and '-', a letter or digit first, at most 32)" >&2
    exit 2
  }
done

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
host=(dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll")
[ ${#campuses[@]} -eq 0 ] || dotnet build src/CampusCard.Clearing.Cli -c Release -o "$CC_LOCAL/cli" -nologo -v quiet

credentials="$CC_LOCAL/credentials"
key="$credentials/signing-key.pem"
[ -f "$key" ] || "${host[@]}" create-key --out "$key" >/dev/null
for role in kiosk bank payments office finance operator vendor; do
  "${host[@]}" issue-token --key "$key" --role "$role" --days 30 > "$credentials/$role.token"
done
"${host[@]}" issue-token --key "$key" --role terminal --terminal T0001 --merchant CANTEEN-1 --days 30 > "$credentials/terminal.token"
for campus in "${campuses[@]}"; do
  mkdir -p "$credentials/${campus%%:*}"
  "${host[@]}" issue-token --key "$key" --role office --campus "${campus%%:*}" --days 30 > "$credentials/${campus%%:*}/office.token"
done
export Auth__PublicKeyPath="$key"
echo "[run] bearer tokens in $credentials/<role>.token (terminal.token is terminal T0001 of merchant CANTEEN-1:" \
  "open the merchant and register the terminal with the office token first)" >&2

children=()
stop() {
  [ ${#children[@]} -gt 0 ] && kill -TERM "${children[@]}" 2>/dev/null
  # A signal interrupts a wait; wait again for each child's graceful stop.
  for child in "${children[@]}"; do wait "$child" 2>/dev/null || true; done
  $cluster && "$CC_ROOT/scripts/cluster.sh" stop
  "$CC_ROOT/scripts/services.sh" stop
}
trap stop EXIT
trap 'exit 0' INT TERM

if $cluster; then
  "$CC_ROOT/scripts/services.sh" start postgresql
  "$CC_ROOT/scripts/cluster.sh" start
  ConnectionStrings__Redis=$("$CC_ROOT/scripts/cluster.sh" endpoints)
  export ConnectionStrings__Redis
else
  "$CC_ROOT/scripts/services.sh" start
fi
"${host[@]}" migrate

if ! $balanced; then
  export Listen__Address=${Listen__Address:-127.0.0.1:$CC_GRPC_PORT}
  echo "[run] clearing service on $Listen__Address (h2c); Ctrl-C stops it" >&2
  "${host[@]}" &
  children+=($!)
else
  backends=()
  for i in $(seq 1 "$instances"); do
    Listen__Address=127.0.0.1:$((CC_GRPC_PORT + i)) Metrics__Address=127.0.0.1:$((CC_METRICS_PORT + i)) "${host[@]}" &
    children+=($!)
    backends+=("$((CC_GRPC_PORT + i)):$((CC_METRICS_PORT + i))")
  done
  "$CC_ROOT/scripts/haproxy.sh" run "$CC_GRPC_PORT" "${backends[@]}" &
  children+=($!)
  echo "[run] $instances instance(s) on ports $((CC_GRPC_PORT + 1))-$((CC_GRPC_PORT + instances)) behind HAProxy on" \
    "127.0.0.1:$CC_GRPC_PORT (h2c)$($cluster && echo ', on a Redis Cluster'); Ctrl-C stops them" >&2
fi
# Creates each --campus with the vendor's token once the service answers (the CLI exits 5 while it cannot be reached),
# then says how to act in it.
create_campuses() {
  local cli=(dotnet "$CC_LOCAL/cli/campuscard.dll" --address "http://127.0.0.1:$CC_GRPC_PORT") campus code name status
  for campus in "${campuses[@]}"; do
    code=${campus%%:*} name=${campus#*:}
    for _ in $(seq 1 120); do
      status=0
      "${cli[@]}" campus create "$code" --name "$name" --token-file "$credentials/vendor.token" >&2 2>"$CC_LOCAL/campus.err" || status=$?
      [ "$status" = 5 ] && kill -0 "${children[@]}" 2>/dev/null || break
      sleep 1
    done
    if [ "$status" != 0 ]; then
      cat "$CC_LOCAL/campus.err" >&2
      echo "[run] campus $code was not created (exit $status)" >&2
      return 1
    fi
    echo "[run] campus $code: its office token is $credentials/$code/office.token; another role's:" \
      "scripts/token.sh --role finance --campus $code (host: issue-token --key $key --role finance --campus $code)" >&2
    echo "[run]   ${cli[*]} --token-file $credentials/$code/office.token --campus $code" \
      "account open --person 2021001 --name 张三 --type student --id-number 21020019990101234X" >&2
  done
}
[ ${#campuses[@]} -eq 0 ] || create_campuses
# The first child to end (a failed start, a signal) ends the run.
wait -n "${children[@]}" || true
