#!/usr/bin/env bash
# Starts the portal with the README's start command, waits until the app and the backend
# answer, runs the browser tests in e2e/ against it, and stops the portal again.
set -uo pipefail
results_dir="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mkdir -p "$results_dir"
log="$results_dir/portal.log"

for port in 3000 7007 7070; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use: stop whatever runs there (an earlier portal?) and run the tests again." >&2
    exit 1
  fi
done

# Every run starts on an empty database in a temporary folder, never the developer's .coderunner/.
# Log retention keeps 2,000,000 lines a deployment: e2e/logs-scale.test.mjs stores 1,000,000.
database_dir="$(mktemp -d -t coderunner-e2e-db.XXXXXX)"
APP_CONFIG_backend_database_connection_directory="$database_dir" \
  APP_CONFIG_coderunner_logs_retention_maxLinesPerDeployment=2000000 \
  setsid bash scripts/start.sh >"$log" 2>&1 &
portal=$!
stop_portal() {
  kill -TERM -- "-$portal" 2>/dev/null; sleep 2; kill -KILL -- "-$portal" 2>/dev/null
  rm -rf "$database_dir"
}
trap stop_portal EXIT

wait_for() {
  local url="$1" deadline=$((SECONDS + 600))
  until curl -fs -o /dev/null "$url"; do
    if ! kill -0 "$portal" 2>/dev/null; then
      echo "The portal exited before $url answered; its log:" >&2
      tail -50 "$log" >&2
      return 1
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "$url did not answer within 10 minutes; the portal's log:" >&2
      tail -50 "$log" >&2
      return 1
    fi
    sleep 2
  done
}

started=$SECONDS
wait_for http://localhost:7007/api/coderunner/health || exit 1
wait_for http://localhost:3000 || exit 1
# The catalog reads the example entities a few seconds after start; the tests need them.
guest_token() {
  curl -fs http://localhost:7007/api/auth/guest/refresh |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})'
}
deadline=$((SECONDS + 300))
until curl -fs -o /dev/null -H "authorization: Bearer $(guest_token)" \
  http://localhost:7007/api/catalog/entities/by-name/component/default/hello-node; do
  if [ $SECONDS -gt $deadline ]; then
    echo "The catalog did not list the example components within 5 minutes; the portal's log:" >&2
    tail -50 "$log" >&2
    exit 1
  fi
  sleep 2
done
echo "Portal up after $((SECONDS - started)) s"

E2E_RESULTS_DIR="$results_dir/e2e" node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$results_dir/e2e-junit.xml" e2e/*.test.mjs
code=$?
if grep -E "Plugin '.*' startup failed|version mismatch|Failed to start" "$log" >&2; then
  echo "The backend log shows a plugin failing to start (above)." >&2
  code=1
fi
exit $code
