#!/usr/bin/env bash
# Runs the test suite against real Redis and PostgreSQL, which it starts (on their own test ports, data in
# .local/test) and stops afterwards; installs python3-grpcio, buf and HAProxy for the interop and cluster tests.
#   scripts/test.sh                  two passes: every test on one Redis and one service instance; then the suites
#                                    that matter for money (trait Suite=Cluster) on a Redis Cluster of three masters
#                                    and three replicas (scripts/cluster.sh) with two instances behind HAProxy
#   scripts/test.sh [ARGS...]        the first pass only, with dotnet test's ARGS (e.g. --filter "FullyQualifiedName~X")
#   scripts/test.sh --cluster [ARGS...]  the second pass only (ARGS' --filter instead of the trait, when given)
# Ends with one line: "N passed, N failed" (", N skipped" when some were skipped), both passes counted.
set -uo pipefail
export CC_ENV=test
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

single=true cluster=true
if [ "${1:-}" = --cluster ]; then single=false; shift; elif [ $# -gt 0 ]; then cluster=false; fi

if ! /usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null; then
  echo "[test] installing python3-grpcio and python3-grpc-tools (interop client)" >&2
  apt_get() { if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq python3-grpcio python3-grpc-tools >/dev/null
fi

# buf curl, an independent gRPC client for the service tests (pinned; scripts/buf installs it once into .local/tools).
export CC_BUF="$CC_ROOT/.local/tools/node_modules/.bin/buf"
scripts/buf --version >/dev/null || echo "[test] could not install @bufbuild/buf; the buf interop tests will fail" >&2

# Stop afterwards only what this run started: servers already up belong to someone else.
case "$(scripts/services.sh status 2>&1)" in *down*) stop_services='scripts/services.sh stop' ;; *) stop_services=: ;; esac
# shellcheck disable=SC2064
trap "$stop_services; $cluster && scripts/cluster.sh stop >/dev/null 2>&1" EXIT
scripts/services.sh start || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build CampusCard.Clearing.sln -c Release -nologo -v quiet; then
  echo "[test] the build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results="$CC_LOCAL/results"
rm -rf "$results"
status=0 unstarted=0
# run_pass NAME [ARGS...]: every test project, its results in NAME's trx files.
run_pass() {
  local pass=$1 project name
  shift
  for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.$pass.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" "$@" || status=1
  done
}
$single && run_pass single "$@"
if $cluster; then
  install_missing haproxy:haproxy
  if scripts/cluster.sh start; then
    case " $* " in *" --filter "*) ;; *) set -- "$@" --filter "Suite=Cluster" ;; esac
    ConnectionStrings__Redis=$(scripts/cluster.sh endpoints) CC_INSTANCES=2 run_pass cluster "$@"
  else
    echo "[test] the Redis Cluster did not start: the cluster pass did not run" >&2
    unstarted=1
  fi
fi

passed=0 failed=$unstarted skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then failed=1; echo "[test] no test ran" >&2; fi
[ "$failed" -gt 0 ] && status=1 && python3 scripts/trx-failures.py "$results"/*.trx
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit $status
