#!/usr/bin/env bash
# Runs the browser tests in e2e/ against the portal: the one scripts/test.sh started (its pid in
# E2E_PORTAL_PID), or else one started here with the README's start command and stopped at the end.
#
# The files run in groups side by side against that one portal, one file at a time within a
# group; then the files that need the portal to themselves run alone. Each file's spec output is
# printed when it ends, its JUnit report goes to RESULTS_DIR/e2e-junit-<group>-<file>.xml and its
# duration to RESULTS_DIR/e2e-timings.txt.
set -uo pipefail
results_dir="$1"
CODERUNNER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$CODERUNNER_ROOT"
source scripts/lib/e2e-portal.sh
mkdir -p "$results_dir"

# Two files in different groups run at the same time, so they must not touch the same state
# (group 1 takes about as long as group 2; e2e-timings.txt has each file's time):
#
# 1. hello-node in development: deployed, configured, budgeted, scaled and held, loaded with
#    requests, and each of its tabs checked with axe and at 390 px (accessibility). One after
#    another, in the order a sequential run had them.
# 2. The rest, each in an entity or environment of its own: ticker-worker in staging (1,000,000
#    stored lines, searched on the server) and in development (live lines), hello-express in
#    staging, crashy-node in staging (its crash loop, the alert and the notifications), the
#    component the template creates, hello-node in production (terminal; its card looks like
#    development's, so accessibility's checks hold either way, and the Autoscaling tab shows
#    one environment, development); and the two files that only read hello-node (entity-tabs:
#    each tab shows something; viewer: the staging card, never deployed). None of them deploys,
#    configures, scales or budgets hello-node in development or sets a team budget.
#    logs-scale comes first, so that its million-line seeding overlaps the first deploy and
#    accessibility's generous waits rather than autoscaling's.
#
# Alone, after both: globalPage.test.mjs pages through the whole list with limit=1 and compares
# it with the list read at once, so no deployment may be created meanwhile (group 2 creates
# several).
E2E_GROUPS=(
  "accessibility autoscaling config cost deploy metrics"
  "logs-scale hello-express alerts logs scaffolder entity-tabs viewer terminal"
)
E2E_ALONE="globalPage"

# Every test file in exactly one group: a new file must be placed, not left out.
listed="$(printf '%s\n' ${E2E_GROUPS[@]} $E2E_ALONE | sort)"
present="$(for f in e2e/*.test.mjs; do basename "$f" .test.mjs; done | sort)"
if [ "$listed" != "$present" ] || [ -n "$(uniq -d <<<"$listed")" ]; then
  echo "scripts/lib/e2e.sh's groups must name every e2e/*.test.mjs once; the difference (< listed, > present):" >&2
  diff <(echo "$listed") <(echo "$present") >&2
  exit 1
fi

if [ -z "${E2E_PORTAL_PID:-}" ]; then
  e2e_portal_start "$results_dir" || exit 1
  trap e2e_portal_stop EXIT
fi
e2e_portal_wait || exit 1

# Reports of an earlier run in this folder would be counted with this run's (scripts/lib/summary.mjs).
rm -f "$results_dir"/e2e-junit*.xml
timings="$results_dir/e2e-timings.txt"
: >"$timings"
started=$SECONDS

# run_file GROUP NAME: runs e2e/NAME.test.mjs, prints its output in one piece, records how long it
# took; fails when it did.
run_file() {
  local group="$1" name="$2" began=$SECONDS code outcome log
  log="$results_dir/e2e-$name.log"
  E2E_RESULTS_DIR="$results_dir/e2e" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$results_dir/e2e-junit-$group-$name.xml" \
    "e2e/$name.test.mjs" >"$log" 2>&1
  code=$?
  outcome=passed
  [ $code -eq 0 ] || outcome=failed
  echo "$group $name $outcome $((SECONDS - began))" >>"$timings"
  (
    flock 9
    echo "── browser group $group: $name.test.mjs $outcome in $((SECONDS - began)) s"
    cat "$log"
  ) 9>"$results_dir/e2e-output.lock"
  return $code
}

# run_group GROUP NAME…: runs the files one after another; fails when any did.
run_group() {
  local group="$1" name code=0
  shift
  for name in "$@"; do
    run_file "$group" "$name" || code=1
  done
  return $code
}

code=0
pids=()
stop_groups() {
  local pid
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null
    kill -TERM "$pid" 2>/dev/null
  done
}
trap 'stop_groups; exit 130' INT TERM
for i in "${!E2E_GROUPS[@]}"; do
  # shellcheck disable=SC2086 # the group's file names, split on spaces
  run_group "$((i + 1))" ${E2E_GROUPS[$i]} &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || code=1
done
pids=()
# shellcheck disable=SC2086
run_group alone $E2E_ALONE || code=1

echo "── browser tests: $((SECONDS - started)) s (each file's duration in $timings)"
if grep -E "Plugin '.*' startup failed|version mismatch|Failed to start" "$E2E_PORTAL_LOG" >&2; then
  echo "The backend log shows a plugin failing to start (above)." >&2
  code=1
fi
exit $code
