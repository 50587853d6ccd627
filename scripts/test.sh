#!/usr/bin/env bash
# Runs every test: lint, format, type check, API reports (yarn build:api-reports), all packages' unit
# tests (store tests on SQLite and, when a server is reachable, PostgreSQL), the adopter test and the
# browser test against a started portal (the adopter test and the portal's start run beside the
# unit tests). Installs what is missing first. Ends with one line
# counting what passed and failed.
#
#   CODERUNNER_TEST_POSTGRES_URL  PostgreSQL for the store tests (default postgresql://postgres@127.0.0.1:5432)
#   CODERUNNER_TEST_SKIP_E2E=1    leave out the browser test (for quick local runs)
#   CODERUNNER_TEST_SKIP_ADOPTER=1  leave out the adopter test (scripts/lib/adopter.sh: every package
#                                 packed and installed into a standalone portal, which boots and builds)
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/system-deps.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-databases.sh"
set +e
bootstrap || exit 1
cd "$CODERUNNER_ROOT"

results_dir="$CODERUNNER_ROOT/test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"
steps_file="$results_dir/steps.txt"

# Records a step's outcome; the summary at the end reads these lines.
step() {
  local name="$1"
  shift
  say "── $name"
  local started=$SECONDS
  "$@"
  local code=$?
  local outcome=passed
  [ $code -eq 0 ] || outcome=failed
  echo "$name $outcome $((SECONDS - started))" >>"$steps_file"
  [ $code -eq 0 ] || warn "$name failed (exit code $code)"
  return 0
}

ensure_system_packages
use_test_databases

step lint yarn backstage-cli repo lint
step format yarn prettier --check .
# `yarn tsc` writes the type declarations the API reports and the adopter test's builds read.
step typecheck yarn tsc
step api-reports yarn build:api-reports:only --ci

# The unit tests run while the adopter test installs and boots its portal in a temporary
# folder and the browser tests' portal starts: the three share the machine, not state.
adopter_pid=""
if [ -z "${CODERUNNER_TEST_SKIP_ADOPTER:-}" ]; then
  packed="$results_dir/adopter.packed"
  (
    export CODERUNNER_ADOPTER_TSC_DONE=1 CODERUNNER_ADOPTER_PACKED="$packed"
    step adopter bash scripts/lib/adopter.sh "$results_dir"
  ) >"$results_dir/adopter.log" 2>&1 &
  adopter_pid=$!
  # Its first part packs the packages, rewriting their package.json files for a moment: the
  # unit tests and the portal start once that is over.
  while kill -0 "$adopter_pid" 2>/dev/null && [ ! -e "$packed" ]; do sleep 1; done
fi
if [ -z "${CODERUNNER_TEST_SKIP_E2E:-}" ]; then
  source scripts/lib/e2e-portal.sh
  if e2e_portal_start "$results_dir"; then
    trap e2e_portal_stop EXIT
  else
    echo "browser failed 0" >>"$steps_file"
    CODERUNNER_TEST_SKIP_E2E=1
  fi
fi
step unit yarn backstage-cli repo test --ci --watchAll=false --json --outputFile="$results_dir/jest.json"
if [ -n "$adopter_pid" ]; then
  wait "$adopter_pid"
  say "── adopter (ran beside the unit tests; its output follows)"
  cat "$results_dir/adopter.log"
  # A background run killed before it could record its outcome is a failure, not a step left out.
  grep -q '^adopter ' "$steps_file" || echo "adopter failed 0" >>"$steps_file"
fi
if [ -z "${CODERUNNER_TEST_SKIP_E2E:-}" ]; then
  step browser bash scripts/lib/e2e.sh "$results_dir"
  e2e_portal_stop
fi

node scripts/lib/summary.mjs "$results_dir"
