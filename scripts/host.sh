#!/usr/bin/env bash
# The host's own commands from a checkout: builds the service (Release, into .local/$CC_ENV/host; quick when nothing
# changed) and runs it with the arguments, in the current directory:
#   scripts/host.sh create-key --out signing-key.pem
#   scripts/host.sh issue-token --key signing-key.pem --role office --days 30
#   scripts/host.sh migrate          with the settings of the environment, as the service reads them
#   HotStore__Partitions=64 scripts/host.sh repartition   the hot state rebuilt under 64 partitions (docs/operations.md)
#   scripts/host.sh --help           the commands and their options
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
dotnet build "$CC_ROOT/src/CampusCard.Clearing.Host" -c Release -o "$CC_LOCAL/host" -nologo -v quiet >&2
exec dotnet "$CC_LOCAL/host/CampusCard.Clearing.Host.dll" "$@"
