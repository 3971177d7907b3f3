# Sourced by the other scripts: where the local Redis and PostgreSQL live and which ports they use.
# CC_ENV=dev (scripts/run.sh), CC_ENV=test (scripts/test.sh) and CC_ENV=bench (scripts/bench.sh) keep
# separate data folders and ports, so tests and benchmarks can run while a development service is up.
CC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CC_ENV=${CC_ENV:-dev}
CC_LOCAL=${CC_LOCAL:-$CC_ROOT/.local/$CC_ENV}
# CC_CLUSTER_PORT: the first of the six Redis Cluster nodes' ports (scripts/cluster.sh); their bus ports are 1000 above.
# Below the system's ephemeral ports (32768 on): the test pass starts its cluster mid-run, when the tests' outgoing
# connections hold many of those.
if [ "$CC_ENV" = test ]; then
  : "${CC_REDIS_PORT:=56380}" "${CC_PG_PORT:=55433}" "${CC_GRPC_PORT:=50052}" "${CC_METRICS_PORT:=9465}" "${CC_CLUSTER_PORT:=26110}"
elif [ "$CC_ENV" = bench ]; then
  : "${CC_REDIS_PORT:=56381}" "${CC_PG_PORT:=55434}" "${CC_GRPC_PORT:=50053}" "${CC_METRICS_PORT:=9466}" "${CC_CLUSTER_PORT:=26120}"
else
  : "${CC_REDIS_PORT:=56379}" "${CC_PG_PORT:=55432}" "${CC_GRPC_PORT:=50051}" "${CC_METRICS_PORT:=9464}" "${CC_CLUSTER_PORT:=26100}"
fi
CC_PG_DB=campuscard
CC_PG_BIN=${CC_PG_BIN:-/usr/lib/postgresql/15/bin}
# The connection settings the service and the tests read (ASP.NET configuration naming).
export ConnectionStrings__Redis="127.0.0.1:$CC_REDIS_PORT,abortConnect=false"
export Metrics__Address="127.0.0.1:$CC_METRICS_PORT"
export ConnectionStrings__Journal="Host=127.0.0.1;Port=$CC_PG_PORT;Username=postgres;Database=$CC_PG_DB;No Reset On Close=true"
export CC_ROOT CC_ENV CC_LOCAL CC_REDIS_PORT CC_PG_PORT CC_GRPC_PORT CC_METRICS_PORT CC_CLUSTER_PORT CC_PG_DB CC_PG_BIN

# Installs the Debian packages whose command is missing, each given as command:package.
install_missing() {
  local missing=() pair
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || [ -x "${pair%%:*}" ] || missing+=("${pair#*:}"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  printf '[install] %s\n' "${missing[*]}" >&2
  local sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  # No init system here: keep a package from starting its own system-wide server.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >/dev/null
}
source "$CC_ROOT/scripts/help.sh"
