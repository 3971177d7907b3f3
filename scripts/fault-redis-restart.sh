#!/usr/bin/env bash
# Measures how soon the service serves again after Redis restarts (docs/architecture.md, section 9; docs/performance.md):
# starts empty Redis and PostgreSQL and the service (the bench environment's ports and data), restarts Redis
# N times under a python3-grpcio terminal and prints the seconds from Redis answering again to the first approved
# debit, then stops everything it started.
#   scripts/fault-redis-restart.sh [RESTARTS]    (default 10)
set -euo pipefail
export CC_ENV=bench
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

"$CC_ROOT/scripts/services.sh" stop
rm -rf "$CC_LOCAL/redis" "$CC_LOCAL/pg"
"$CC_ROOT/scripts/services.sh" start
trap '"$CC_ROOT/scripts/services.sh" stop' EXIT

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
host=(dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll")
key="$CC_LOCAL/credentials/signing-key.pem"
[ -f "$key" ] || "${host[@]}" create-key --out "$key" >/dev/null
export Auth__PublicKeyPath="$key" Listen__Address=127.0.0.1:$CC_GRPC_PORT Logging__LogLevel__Default=Warning
"${host[@]}" migrate >/dev/null
"${host[@]}" &
service=$!
trap 'kill -TERM $service 2>/dev/null; wait $service 2>/dev/null; "$CC_ROOT/scripts/services.sh" stop' EXIT
office=$("${host[@]}" issue-token --key "$key" --role office --days 1)
terminal=$("${host[@]}" issue-token --key "$key" --role terminal --terminal FAULT-T1 --merchant FAULT-M1 --days 1)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$CC_GRPC_PORT") 2>/dev/null && break; sleep 0.1; done
# The probe's merchant and terminal, through the office's own calls.
/usr/bin/python3 - "$CC_ROOT" "127.0.0.1:$CC_GRPC_PORT" "$office" <<'PY'
import sys, os, time
sys.path.insert(0, os.path.join(sys.argv[1], "tests", "CampusCard.Clearing.Tests", "Interop"))
import grpc, interop
interop.compile_protos(sys.argv[1])
office = interop.Client(grpc.insecure_channel(sys.argv[2]), sys.argv[3])
for _ in range(300):
    try:
        office.call("campuscard.clearing.v1.Cards/OpenMerchant", {"merchant_id": "FAULT-M1", "name": "Fault", "category": "MERCHANT_CATEGORY_DINING"})
        break
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.UNAVAILABLE: raise
        time.sleep(0.1)
office.call("campuscard.clearing.v1.Cards/RegisterTerminal", {"terminal_id": "FAULT-T1", "merchant_id": "FAULT-M1"})
PY
/usr/bin/python3 benchmarks/faults/redis_restart.py "$CC_ROOT" "127.0.0.1:$CC_GRPC_PORT" "$office" "$terminal" "$CC_REDIS_PORT" "${1:-10}"
