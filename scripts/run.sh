#!/usr/bin/env bash
# Runs the clearing service in the foreground with its own Redis and PostgreSQL (installed when
# missing, started on loopback, data kept in .local/dev). Ctrl-C or SIGTERM stops the service and
# then the Redis and PostgreSQL it started. Settings: src/CampusCard.Clearing.Host/appsettings.json,
# overridden by environment variables (Listen__Address, ConnectionStrings__Redis, Engine__MaxBatchSize, ...).
# Credentials for development: a signing key and one bearer token per role in .local/dev/credentials.
set -euo pipefail
export CC_ENV=${CC_ENV:-dev}
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

dotnet build src/CampusCard.Clearing.Host -c Release -o "$CC_LOCAL/host" -nologo -v quiet
host=(dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll")

credentials="$CC_LOCAL/credentials"
key="$credentials/signing-key.pem"
[ -f "$key" ] || "${host[@]}" create-key --out "$key" >/dev/null
for role in kiosk bank payments office finance operator; do
  "${host[@]}" issue-token --key "$key" --role "$role" --days 30 > "$credentials/$role.token"
done
"${host[@]}" issue-token --key "$key" --role terminal --terminal T0001 --merchant CANTEEN-1 --days 30 > "$credentials/terminal.token"
export Auth__PublicKeyPath="$key"
echo "[run] bearer tokens in $credentials/<role>.token (terminal.token is terminal T0001 of merchant CANTEEN-1:" \
  "open the merchant and register the terminal with the office token first)" >&2

"$CC_ROOT/scripts/services.sh" start
trap '"$CC_ROOT/scripts/services.sh" stop' EXIT

export Listen__Address=${Listen__Address:-127.0.0.1:$CC_GRPC_PORT}
"${host[@]}" migrate
echo "[run] clearing service on $Listen__Address (h2c); Ctrl-C stops it" >&2
"${host[@]}" &
service=$!
trap 'kill -TERM $service 2>/dev/null' INT TERM
wait $service || true
# A signal interrupts the first wait; wait again for the service to finish its graceful stop.
wait $service 2>/dev/null || true
