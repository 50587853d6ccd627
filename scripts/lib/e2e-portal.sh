#!/usr/bin/env bash
# Sourced by scripts/lib/e2e.sh and scripts/test.sh: the portal the browser tests drive, started
# with the README's start command on an empty database in a temporary folder (never the
# developer's .coderunner/). test.sh starts it early, so that it boots while the unit tests run.
#
#   e2e_portal_start RESULTS_DIR  start it in the background (its log: RESULTS_DIR/portal.log)
#   e2e_portal_wait               wait until the app, the backend and the example entities answer
#   e2e_portal_stop               stop it and delete its database

e2e_portal_start() {
  local results_dir="$1" port
  mkdir -p "$results_dir"
  E2E_PORTAL_LOG="$results_dir/portal.log"
  for port in 3000 7007 7070; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "Port $port is already in use: stop whatever runs there (an earlier portal?) and run the tests again." >&2
      return 1
    fi
  done
  # Log retention keeps 2,000,000 lines a deployment: e2e/logs-scale.test.mjs stores 1,000,000.
  E2E_DATABASE_DIR="$(mktemp -d -t coderunner-e2e-db.XXXXXX)"
  APP_CONFIG_backend_database_connection_directory="$E2E_DATABASE_DIR" \
    APP_CONFIG_coderunner_logs_retention_maxLinesPerDeployment=2000000 \
    setsid bash "$CODERUNNER_ROOT/scripts/start.sh" >"$E2E_PORTAL_LOG" 2>&1 &
  E2E_PORTAL_PID=$!
  E2E_PORTAL_STARTED=$(date +%s)
  export E2E_PORTAL_PID E2E_PORTAL_LOG E2E_DATABASE_DIR E2E_PORTAL_STARTED
}

e2e_portal_stop() {
  [ -n "${E2E_PORTAL_PID:-}" ] || return 0
  kill -TERM -- "-$E2E_PORTAL_PID" 2>/dev/null
  for _ in 1 2 3 4 5; do kill -0 "$E2E_PORTAL_PID" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$E2E_PORTAL_PID" 2>/dev/null
  rm -rf "$E2E_DATABASE_DIR"
  E2E_PORTAL_PID=""
}

# e2e_portal_until SECONDS WHAT COMMAND...: runs COMMAND every 2 s until it succeeds; fails with
# the portal's log when the portal exits first or WHAT has not happened within SECONDS.
e2e_portal_until() {
  local limit="$1" what="$2" deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    if ! kill -0 "$E2E_PORTAL_PID" 2>/dev/null; then
      echo "The portal exited before $what; its log:" >&2
      tail -50 "$E2E_PORTAL_LOG" >&2
      return 1
    fi
    if [ $SECONDS -gt $deadline ]; then
      echo "Not done within $limit s: $what; the portal's log:" >&2
      tail -50 "$E2E_PORTAL_LOG" >&2
      return 1
    fi
    sleep 2
  done
}

e2e_portal_answers() {
  e2e_portal_until 600 "$1 answered" curl -fs -o /dev/null "$1"
}

# The guest's token, then the example component hello-node through the catalog API.
e2e_portal_catalog_lists_examples() {
  local token
  token="$(curl -fs http://localhost:7007/api/auth/guest/refresh |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})')" &&
    curl -fs -o /dev/null -H "authorization: Bearer $token" \
      http://localhost:7007/api/catalog/entities/by-name/component/default/hello-node
}

e2e_portal_wait() {
  e2e_portal_answers http://localhost:7007/api/coderunner/health || return 1
  e2e_portal_answers http://localhost:3000 || return 1
  # The catalog reads the example entities a few seconds after start; the tests need them.
  e2e_portal_until 300 "the catalog listed the example components" \
    e2e_portal_catalog_lists_examples || return 1
  echo "Portal up $(($(date +%s) - E2E_PORTAL_STARTED)) s after it was started"
}
