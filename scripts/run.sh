#!/usr/bin/env bash
# Runs the clearing service in the foreground with its own Redis and PostgreSQL (installed when
# missing, started on loopback, data kept in .local/dev). Ctrl-C or SIGTERM stops the service and
# then the Redis and PostgreSQL it started. Settings: src/CampusCard.Clearing.Host/appsettings.json,
# overridden by environment variables (Listen__Address, ConnectionStrings__Redis, Engine__MaxBatchSize, ...).
set -euo pipefail
export CC_ENV=${CC_ENV:-dev}
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$CC_ROOT"

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
"$CC_ROOT/scripts/services.sh" start
trap '"$CC_ROOT/scripts/services.sh" stop' EXIT

export Listen__Address=${Listen__Address:-127.0.0.1:$CC_GRPC_PORT}
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" migrate
echo "[run] clearing service on $Listen__Address (h2c); Ctrl-C stops it" >&2
dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" &
service=$!
trap 'kill -TERM $service 2>/dev/null' INT TERM
wait $service || true
# A signal interrupts the first wait; wait again for the service to finish its graceful stop.
wait $service 2>/dev/null || true
