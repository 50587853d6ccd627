# Sourced by scripts/test.sh and scripts/test-under-load.sh, after bootstrap.sh (say, warn).

# Which databases the store tests run on: SQLite always, and PostgreSQL at
# CODERUNNER_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432) when a server
# answers there, with a warning that stands out when none does. Never Docker.
use_test_databases() {
  local postgres_url="${CODERUNNER_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
  if node "$CODERUNNER_ROOT/scripts/lib/postgres-reachable.mjs" "$postgres_url"; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$postgres_url"
    say "PostgreSQL reachable at $postgres_url: store tests run on SQLite and PostgreSQL"
  else
    warn "════════════════════════════════════════════════════════════════════"
    warn " NO POSTGRESQL at $postgres_url: store tests run on SQLite ONLY."
    warn " Start PostgreSQL or set CODERUNNER_TEST_POSTGRES_URL to test both."
    warn "════════════════════════════════════════════════════════════════════"
  fi
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
}
