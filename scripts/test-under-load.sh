#!/usr/bin/env bash
# Runs the whole unit suite (every package, the same command as the unit step of scripts/test.sh;
# store tests on SQLite and, when a server is reachable, PostgreSQL) several times in a row while
# every core is kept busy, to catch tests that depend on the machine's speed. Each run's counts
# and failing tests go to test-results/under-load/; the last line sums up all runs.
#
#   bash scripts/test-under-load.sh [runs]   (default 3)
#
#   CODERUNNER_TEST_POSTGRES_URL   PostgreSQL for the store tests (default postgresql://postgres@127.0.0.1:5432)
#   CODERUNNER_LOAD_WORKERS        CPU hogs to start (default: one per core)
#
# The load is Debian's stress-ng (installed with apt-get when running as root), or one busy shell
# loop per worker when stress-ng cannot be had. It is stopped when the script ends, also on Ctrl-C.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/system-deps.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-databases.sh"
set +e
bootstrap || exit 1
cd "$CODERUNNER_ROOT"

runs="${1:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "runs must be a positive whole number, got '$runs'"
workers="${CODERUNNER_LOAD_WORKERS:-$(nproc)}"
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "CODERUNNER_LOAD_WORKERS must be a positive whole number, got '$workers'"

results_dir="$CODERUNNER_ROOT/test-results/under-load"
rm -rf "$results_dir"
mkdir -p "$results_dir"

use_test_databases

load_pid=""
stop_load() {
  [ -n "$load_pid" ] || return 0
  # The load runs in its own process group (setsid): end the group, then its leader.
  kill -TERM -- "-$load_pid" 2>/dev/null || kill -TERM "$load_pid" 2>/dev/null
  wait "$load_pid" 2>/dev/null
  load_pid=""
  say "CPU load stopped"
}
trap stop_load EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing_packages stress-ng:stress-ng
if command -v stress-ng >/dev/null; then
  load="stress-ng --cpu $workers"
  setsid stress-ng --cpu "$workers" --quiet >"$results_dir/load.log" 2>&1 &
else
  load="$workers busy shell loops (stress-ng is not installed)"
  setsid bash -c 'for _ in $(seq "$1"); do (while :; do :; done) & done; wait' _ "$workers" \
    >"$results_dir/load.log" 2>&1 &
fi
load_pid=$!
sleep 1
kill -0 "$load_pid" 2>/dev/null || die "the CPU load ($load) did not start; see $results_dir/load.log"
say "CPU load: $load (process group $load_pid); load average $(cut -d' ' -f1-3 /proc/loadavg)"

for run in $(seq "$runs"); do
  say "── run $run of $runs"
  started=$SECONDS
  yarn backstage-cli repo test --ci --watchAll=false --json --outputFile="$results_dir/run-$run.json" \
    >"$results_dir/run-$run.log" 2>&1
  code=$?
  node scripts/lib/under-load-report.mjs "$results_dir" "$run" "$code" "$((SECONDS - started))" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
done

stop_load
node scripts/lib/under-load-report.mjs "$results_dir" summary "$load"
