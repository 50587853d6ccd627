#!/usr/bin/env bash
# Runs the browser tests in e2e/ against the portal: the one scripts/test.sh started (its pid in
# E2E_PORTAL_PID), or else one started here with the README's start command and stopped at the end.
set -uo pipefail
results_dir="$1"
CODERUNNER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$CODERUNNER_ROOT"
source scripts/lib/e2e-portal.sh
mkdir -p "$results_dir"

if [ -z "${E2E_PORTAL_PID:-}" ]; then
  e2e_portal_start "$results_dir" || exit 1
  trap e2e_portal_stop EXIT
fi
e2e_portal_wait || exit 1

E2E_RESULTS_DIR="$results_dir/e2e" node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$results_dir/e2e-junit.xml" e2e/*.test.mjs
code=$?
if grep -E "Plugin '.*' startup failed|version mismatch|Failed to start" "$E2E_PORTAL_LOG" >&2; then
  echo "The backend log shows a plugin failing to start (above)." >&2
  code=1
fi
exit $code
