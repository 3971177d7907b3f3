#!/usr/bin/env bash
# Prints a bearer token signed with this checkout's development key, the one scripts/run.sh's service trusts
# (.local/dev/credentials/signing-key.pem, made here when missing). The options are the host's issue-token's:
#   scripts/token.sh --role office
#   scripts/token.sh --role terminal --terminal T0042 --merchant CANTEEN-1 --days 7
#   scripts/token.sh --help          every option
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
key="$CC_LOCAL/credentials/signing-key.pem"
case " $* " in
  *" --help "* | *" -h "* | *" --key "*) exec "$CC_ROOT/scripts/host.sh" issue-token "$@" ;;
esac
[ -f "$key" ] || "$CC_ROOT/scripts/host.sh" create-key --out "$key" >/dev/null
exec "$CC_ROOT/scripts/host.sh" issue-token --key "$key" "$@"
