#!/usr/bin/env bash
# Starts the CodeRunner portal on embedded defaults: the app at http://localhost:3000, the
# backend at http://localhost:7007, SQLite in memory, guest sign-in and the local AgentSphere
# emulator. Installs what is missing first (Node 22, dependencies, bubblewrap and slirp4netns for
# the emulator).
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/system-deps.sh"
bootstrap
ensure_bubblewrap
cd "$CODERUNNER_ROOT"
say "Starting the portal: app on http://localhost:3000, backend on http://localhost:7007"
exec yarn start "$@"
