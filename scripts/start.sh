#!/usr/bin/env bash
# Starts the CodeRunner portal on embedded defaults: the app at http://localhost:3000, the
# backend at http://localhost:7007, SQLite in .coderunner/database (deployments, config, logs and
# the development key survive a restart; --fresh deletes it first), guest sign-in and the local
# AgentSphere emulator. Installs what is missing first (Node 22, dependencies, bubblewrap and
# slirp4netns for the emulator).
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/system-deps.sh"
bootstrap
ensure_bubblewrap
cd "$CODERUNNER_ROOT"
if [ "${1:-}" = "--fresh" ]; then
  shift
  say "Starting fresh: deleting .coderunner/database (deployments, config values, logs, the development key)"
  rm -rf .coderunner/database
fi
say "Starting the portal: app on http://localhost:3000, backend on http://localhost:7007"
exec yarn start "$@"
