#!/usr/bin/env bash
# The longer deck of the stall test (tests/CampusCard.Clearing.Tests/Service/StallTests.cs; docs/performance.md,
# "Stalls"): the host in its own process on a Redis and a PostgreSQL of their own (free ports, data under
# .local/bench), callers with 1 s deadlines, and each server in turn stopped (SIGSTOP) for each length given, the first
# stall 0.3 s after a start; prints how long after SIGCONT each caller was answered again, and checks that nothing
# answered was lost or doubled. Stops everything it started.
#   scripts/fault-stall.sh [SECONDS...]    (default: 2 3 5 7 9)
#   scripts/fault-stall.sh --help          this text; starts nothing
set -euo pipefail
export CC_ENV=bench
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
help_if_asked "$@"
cd "$CC_ROOT"

dotnet build tests/CampusCard.Clearing.Tests -c Release -nologo -v quiet
export CC_STALL_SECONDS="${*:-2 3 5 7 9}"
dotnet test tests/CampusCard.Clearing.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~StallTests" \
  --logger "console;verbosity=detailed" | grep -E "stopped .* s: answered again|^\s+(Passed|Failed) |answers resumed later"
