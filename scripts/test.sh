#!/usr/bin/env bash
# Runs the whole test suite against real Redis and PostgreSQL, which it starts (on their own test
# ports, data in .local/test) and stops afterwards; installs python3-grpcio for the interop tests.
# Ends with one line: "N passed, N failed" (", N skipped" when some were skipped).
set -uo pipefail
export CC_ENV=test
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

if ! /usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null; then
  echo "[test] installing python3-grpcio and python3-grpc-tools (interop client)" >&2
  apt_get() { if [ "$(id -u)" = 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq python3-grpcio python3-grpc-tools >/dev/null
fi

# buf curl, an independent gRPC client for the service tests (pinned; scripts/buf installs it once into .local/tools).
export CC_BUF="$CC_ROOT/.local/tools/node_modules/.bin/buf"
scripts/buf --version >/dev/null || echo "[test] could not install @bufbuild/buf; the buf interop tests will fail" >&2

# Stop afterwards only what this run started: servers already up belong to someone else.
case "$(scripts/services.sh status 2>&1)" in *down*) trap 'scripts/services.sh stop' EXIT ;; esac
scripts/services.sh start || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build CampusCard.Clearing.sln -c Release -nologo -v quiet; then
  echo "[test] the build failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results="$CC_LOCAL/results"
rm -rf "$results"
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=1
done

passed=0 failed=0 skipped=0
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
