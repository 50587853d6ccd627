#!/usr/bin/env bash
# The adopter test: installs CodeRunner into a Backstage portal the way an adopter would.
#
#  1. builds every published package (yarn tsc, then backstage-cli package build) and packs it with
#     `yarn pack`; scripts/lib/adopter-check-tarball.mjs checks each tarball (entry points present,
#     LICENSE, repository, no workspace: ranges, @backstage/* as ^ ranges);
#  2. creates a standalone Backstage 1.55 portal in a temporary folder OUTSIDE this workspace
#     (root, packages/backend, packages/app, as `npx @backstage/create-app` lays it out) whose
#     CodeRunner lines are the ones the package READMEs give: the test fails when a README no
#     longer has them;
#  3. installs the tarballs there (the portal's root `resolutions` stand in for the npm registry;
#     everything else comes from the registry, through Yarn's global cache);
#  4. starts the backend with `yarn start` and waits until GET /api/coderunner/health answers
#     with the local emulator as runtime (plugin, migrations, emulator); then runs the example
#     template (set up as the scaffolder module's README says), which publishes, registers and
#     deploys a component whose URL must answer through the gateway;
#  5. builds the frontend (`yarn build` in packages/app) with the CodeRunner plugin in it.
#
#   scripts/lib/adopter.sh [results-dir]
#   CODERUNNER_ADOPTER_SKIP_APP=1   leave out step 5
#   CODERUNNER_ADOPTER_KEEP=1       keep the portal folder (its path is printed)
#   CODERUNNER_ADOPTER_TSC_DONE=1   the type declarations are already written (scripts/test.sh's
#                                 typecheck step runs `yarn tsc`): skip that part of step 1
#   CODERUNNER_ADOPTER_PACKED=FILE  create FILE once step 1 is done: from then on the test works
#                                 only in its temporary folder, so the repo's package.json files
#                                 (which `yarn pack` rewrites for a moment) stay as they are
# Uses PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (databases
# prefixed coderunner_adopter_<n>_, dropped at the end), in-memory SQLite otherwise (better-sqlite3
# is then compiled, which takes a few minutes more). Ports: 7107 (backend), 7170 (emulator),
# 7180 (gateway).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results_dir="${1:-$root/test-results}"
mkdir -p "$results_dir"
cd "$root"

started=$SECONDS
phase() { printf '\033[1;34m[adopter]\033[0m %s (%ss)\n' "$*" "$((SECONDS - started))"; }
fail() {
  printf '\033[1;31m[adopter] %s\033[0m\n' "$*" >&2
  exit 1
}

for port in 7107 7170 7180; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "Port $port is already in use: stop whatever runs there and run the test again."
  fi
done

# The published packages: every workspace under plugins/ and the emulator, unless private.
packages=()
for dir in plugins/* packages/agentsphere-emulator; do
  [ -f "$dir/package.json" ] || continue
  node -e 'process.exit(require(process.argv[1]).private ? 1 : 0)' "$root/$dir/package.json" &&
    packages+=("$dir")
done

work="$(mktemp -d -t coderunner-adopter.XXXXXX)"
portal="$work/portal"
tarballs="$work/tarballs"
mkdir -p "$portal" "$tarballs"
backend_pid=""
db_prefix="coderunner_adopter_$$_"
cleanup() {
  if [ -n "$backend_pid" ]; then
    kill -TERM -- "-$backend_pid" 2>/dev/null
    for _ in 1 2 3 4 5; do kill -0 "$backend_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$backend_pid" 2>/dev/null
  fi
  if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ] && [ -d "$portal/node_modules/pg" ]; then
    (cd "$portal" && node -e '
      const { Client } = require("pg");
      const [url, prefix] = process.argv.slice(1);
      (async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        const { rows } = await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [prefix + "%"]);
        for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
        await c.end();
      })().catch(e => { console.error(`could not drop the test databases: ${e.message}`); });
    ' "$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING" "$db_prefix")
  fi
  if [ -n "${CODERUNNER_ADOPTER_KEEP:-}" ]; then
    echo "[adopter] portal kept in $portal"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# ── 1. build and pack ─────────────────────────────────────────────────────────────────────
if [ -z "${CODERUNNER_ADOPTER_TSC_DONE:-}" ]; then
  phase "type declarations (yarn tsc)"
  # Type errors are the typecheck step's to report; tsc writes the declarations regardless.
  yarn tsc >"$results_dir/adopter-tsc.log" 2>&1 ||
    printf '[adopter] yarn tsc reported type errors (see %s); building from its output anyway\n' "$results_dir/adopter-tsc.log"
fi
for dir in "${packages[@]}"; do
  phase "build $dir"
  (cd "$dir" && yarn backstage-cli package build) >>"$results_dir/adopter-build.log" 2>&1 ||
    fail "building $dir failed; see $results_dir/adopter-build.log"
done
phase "pack ${#packages[@]} packages"
# One at a time: each pack rewrites its package.json (prepack) and restores it (postpack), and
# this tree is shared, so the window stays a few seconds.
resolutions=""
for dir in "${packages[@]}"; do
  name="$(node -p 'require(process.argv[1]).name' "$root/$dir/package.json")"
  file="$tarballs/$(echo "$name" | tr -d @ | tr / -).tgz"
  (cd "$dir" && yarn pack --out "$file") >>"$results_dir/adopter-build.log" 2>&1 ||
    fail "yarn pack in $dir failed; see $results_dir/adopter-build.log"
  resolutions="$resolutions\"$name\": \"file:$file\","
done
phase "check the tarballs"
node scripts/lib/adopter-check-tarball.mjs "$tarballs"/*.tgz || fail "the packed packages are incomplete (above)"
[ -z "${CODERUNNER_ADOPTER_PACKED:-}" ] || touch "$CODERUNNER_ADOPTER_PACKED"

# ── 2. a standalone portal, from the READMEs ──────────────────────────────────────────────
# readme_line README LINE: LINE must be in README (ignoring white space and the trailing commas
# prettier adds when it breaks a call); the portal uses it as written.
squash() { tr -d ' \n' | sed 's/,)/)/g'; }
readme_line() {
  squash <"$root/$1" | grep -qF -- "$(printf '%s' "$2" | squash)" || fail "$1 no longer says: $2"
}
backend_lines=""
for spec in \
  "plugins/coderunner-backend/README.md|@coderunner/plugin-coderunner-backend" \
  "plugins/coderunner-backend-module-agentsphere-emulator/README.md|@coderunner/plugin-coderunner-backend-module-agentsphere-emulator" \
  "plugins/scaffolder-backend-module-coderunner/README.md|@coderunner/plugin-scaffolder-backend-module-coderunner" \
  "plugins/permission-backend-module-coderunner-policy/README.md|@coderunner/plugin-permission-backend-module-coderunner-policy"; do
  readme="${spec%%|*}"
  name="${spec##*|}"
  readme_line "$readme" "yarn --cwd packages/backend add $name"
  line="backend.add(import('$name'));"
  readme_line "$readme" "$line"
  backend_lines+="$line"$'\n'
done
readme_line plugins/coderunner/README.md "yarn --cwd packages/app add @coderunner/plugin-coderunner"
app_import="import coderunnerPlugin from '@coderunner/plugin-coderunner/alpha';"
readme_line plugins/coderunner/README.md "$app_import"
scaffolder_readme=plugins/scaffolder-backend-module-coderunner/README.md
readme_line $scaffolder_readme "localComponentsDir: ../../.coderunner/components"
readme_line $scaffolder_readme "localRoots: [../../.coderunner/components]"
readme_line $scaffolder_readme "target: ../../examples/templates/deploy-example/template.yaml"

phase "create the portal in $portal"
mkdir -p "$portal/packages/backend/src" "$portal/packages/app/src" "$portal/packages/app/public" "$portal/.yarn/releases"
cp "$root/.yarn/releases/yarn-4.13.0.cjs" "$portal/.yarn/releases/"
cp "$root/backstage.json" "$portal/backstage.json"
# The example template, copied into the portal's repository as the scaffolder module's README says.
mkdir -p "$portal/examples/templates"
cp -r "$root/examples/templates/deploy-example" "$portal/examples/templates/"
# The catalog module for file locations, as that README gives it (file, then the index.ts line).
mkdir -p "$portal/packages/backend/src/modules"
node -e '
  const fs = require("fs");
  const [readme, moduleFile] = process.argv.slice(1);
  const blocks = [...fs.readFileSync(readme, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
  const block = blocks.find(b => b.includes("setAllowedLocationTypes"));
  if (!block) { console.error(`${readme} no longer shows the catalog module for file locations`); process.exit(1); }
  const [moduleSource, indexLines] = block.split("// packages/backend/src/index.ts");
  fs.writeFileSync(moduleFile, moduleSource);
  process.stdout.write(indexLines.trim());
' "$root/$scaffolder_readme" "$portal/packages/backend/src/modules/catalogFileLocations.ts" >"$work/catalog-module-line" ||
  fail "could not take the catalog module from $scaffolder_readme"
backend_lines+="$(cat "$work/catalog-module-line")"$'\n'
# The monorepo's lockfile as the portal's starting point: the same Backstage 1.55 versions,
# resolved without asking the registry again. Yarn drops what the portal does not use.
cp "$root/yarn.lock" "$portal/yarn.lock"
cat >"$portal/.yarnrc.yml" <<'EOF'
nodeLinker: node-modules
enableTelemetry: false
yarnPath: .yarn/releases/yarn-4.13.0.cjs
EOF
# Backstage's release pins (the portal is on backstage.json's release) and the tarballs.
node -e '
  const [root, out, extra] = process.argv.slice(1);
  const monorepo = require(root + "/package.json");
  const pins = Object.fromEntries(Object.entries(monorepo.resolutions).filter(([n]) => n.startsWith("@backstage/") || n.startsWith("@types/react")));
  const pkg = {
    name: "adopter-portal", version: "1.0.0", private: true,
    engines: { node: "22 || 24" },
    scripts: { start: "yarn workspace backend start" },
    workspaces: { packages: ["packages/*"] },
    resolutions: { ...pins, ...JSON.parse(`{${extra.replace(/,$/, "")}}`) },
    packageManager: monorepo.packageManager,
  };
  require("fs").writeFileSync(out, JSON.stringify(pkg, null, 2));
' "$root" "$portal/package.json" "$resolutions"
pin() { node -p 'require(process.argv[1]).resolutions[process.argv[2]]' "$root/package.json" "$1"; }
db_client=better-sqlite3
db_package="\"better-sqlite3\": \"^12.0.0\""
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  db_client=pg
  db_package="\"pg\": \"^8.11.3\""
fi
cat >"$portal/packages/backend/package.json" <<EOF
{
  "name": "backend",
  "version": "0.0.0",
  "main": "dist/index.cjs.js",
  "types": "src/index.ts",
  "private": true,
  "backstage": { "role": "backend" },
  "scripts": { "start": "backstage-cli package start", "build": "backstage-cli package build" },
  "dependencies": {
    "@backstage/backend-defaults": "^$(pin @backstage/backend-defaults)",
    "@backstage/backend-plugin-api": "^$(pin @backstage/backend-plugin-api)",
    "@backstage/plugin-catalog-node": "^$(pin @backstage/plugin-catalog-node)",
    "@backstage/plugin-auth-backend": "^$(pin @backstage/plugin-auth-backend)",
    "@backstage/plugin-auth-backend-module-guest-provider": "^$(pin @backstage/plugin-auth-backend-module-guest-provider)",
    "@backstage/plugin-catalog-backend": "^$(pin @backstage/plugin-catalog-backend)",
    "@backstage/plugin-catalog-backend-module-scaffolder-entity-model": "^$(pin @backstage/plugin-catalog-backend-module-scaffolder-entity-model)",
    "@backstage/plugin-permission-backend": "^$(pin @backstage/plugin-permission-backend)",
    "@backstage/plugin-scaffolder-backend": "^$(pin @backstage/plugin-scaffolder-backend)",
    "@backstage/plugin-signals-backend": "^$(pin @backstage/plugin-signals-backend)",
    "@coderunner/plugin-coderunner-backend": "^0.1.0",
    "@coderunner/plugin-coderunner-backend-module-agentsphere-emulator": "^0.1.0",
    "@coderunner/plugin-permission-backend-module-coderunner-policy": "^0.1.0",
    "@coderunner/plugin-scaffolder-backend-module-coderunner": "^0.1.0",
    $db_package
  },
  "devDependencies": { "@backstage/cli": "^$(pin @backstage/cli)" }
}
EOF
cat >"$portal/packages/backend/src/index.ts" <<EOF
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
$backend_lines
backend.start();
EOF
cat >"$portal/packages/app/package.json" <<EOF
{
  "name": "app",
  "version": "0.0.0",
  "private": true,
  "bundled": true,
  "backstage": { "role": "frontend" },
  "scripts": { "start": "backstage-cli package start", "build": "backstage-cli package build" },
  "dependencies": {
    "@backstage/cli": "^$(pin @backstage/cli)",
    "@backstage/frontend-defaults": "^$(pin @backstage/frontend-defaults)",
    "@backstage/plugin-catalog": "^$(pin @backstage/plugin-catalog)",
    "@coderunner/plugin-coderunner": "^0.1.0",
    "react": "^18.0.2",
    "react-dom": "^18.0.2",
    "react-router": "^6.30.2",
    "react-router-dom": "^6.30.2"
  },
  "browserslist": {
    "production": [">0.2%", "not dead", "not op_mini all"],
    "development": ["last 1 chrome version", "last 1 firefox version", "last 1 safari version"]
  }
}
EOF
cat >"$portal/packages/app/src/App.tsx" <<EOF
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
$app_import

export default createApp({
  features: [catalogPlugin, coderunnerPlugin],
});
EOF
cat >"$portal/packages/app/src/index.tsx" <<'EOF'
import '@backstage/cli/asset-types';
import ReactDOM from 'react-dom/client';
import app from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
EOF
cat >"$portal/packages/app/public/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title><%= config.getOptionalString('app.title') ?? 'Backstage' %></title>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
EOF
if [ "$db_client" = pg ]; then
  db_config="    client: pg
    connection: \${ADOPTER_POSTGRES_URL}
    prefix: $db_prefix"
else
  db_config="    client: better-sqlite3
    connection: ':memory:'"
fi
cat >"$portal/app-config.yaml" <<EOF
app:
  title: Adopter portal
  baseUrl: http://localhost:3100
backend:
  baseUrl: http://localhost:7107
  listen:
    port: 7107
  database:
$db_config
auth:
  providers:
    guest:
      userEntityRef: user:default/guest
      ownershipEntityRefs: [user:default/guest, group:default/platform]
catalog:
  rules:
    - allow: [Component, System, API, Resource, Location, Group, User]
  locations:
    - type: file
      target: ../../examples/templates/deploy-example/template.yaml
      rules:
        - allow: [Template]
permission:
  enabled: true
coderunner:
  emulator:
    port: 7170
  gateway:
    port: 7180
  scaffolder:
    localComponentsDir: ../../.coderunner/components
  source:
    localRoots: [../../.coderunner/components]
EOF
cat >"$portal/tsconfig.json" <<'EOF'
{
  "extends": "@backstage/cli/config/tsconfig.json",
  "include": ["packages/*/src"],
  "exclude": ["node_modules"],
  "compilerOptions": { "outDir": "dist-types", "rootDir": ".", "jsx": "react-jsx" }
}
EOF

# Native modules (better-sqlite3) build against the running Node's headers, as bootstrap.sh does.
node_home="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_home/include/node/node.h" ]; then
  export npm_config_nodedir="$node_home"
fi

# ── 3. install ────────────────────────────────────────────────────────────────────────────
phase "yarn install in the portal"
(cd "$portal" && YARN_ENABLE_IMMUTABLE_INSTALLS=false yarn install) >"$results_dir/adopter-install.log" 2>&1 ||
  fail "yarn install in the portal failed; see $results_dir/adopter-install.log"
grep -E 'YN0060|YN0002.*@coderunner' "$results_dir/adopter-install.log" | grep '@coderunner' &&
  fail "a CodeRunner package's peer or dependency range does not fit the portal (above)"

# The emulator's command runs from the installed package (its build, not the sources).
node "$portal/node_modules/@coderunner/agentsphere-emulator/bin/agentsphere-emulator" --help >"$work/emulator-help.txt" 2>&1 ||
  { cat "$work/emulator-help.txt" >&2; fail "the installed agentsphere-emulator command does not run"; }

# ── 4. the backend boots ──────────────────────────────────────────────────────────────────
phase "start the backend"
backend_log="$results_dir/adopter-backend.log"
# exec: the background job's pid is setsid's, so the backend's process group is "$backend_pid".
(cd "$portal" && ADOPTER_POSTGRES_URL="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" \
  exec setsid yarn start >"$backend_log" 2>&1) &
backend_pid=$!
deadline=$((SECONDS + 300))
health=""
until health="$(curl -fs http://localhost:7107/api/coderunner/health)"; do
  kill -0 "$backend_pid" 2>/dev/null || { tail -40 "$backend_log" >&2; fail "the backend exited before /api/coderunner/health answered"; }
  [ $SECONDS -lt $deadline ] || { tail -40 "$backend_log" >&2; fail "/api/coderunner/health did not answer within 5 minutes"; }
  sleep 2
done
echo "$health" >"$results_dir/adopter-health.json"
node -e '
  const health = JSON.parse(process.argv[1]);
  const text = JSON.stringify(health);
  if (!text.includes("agentsphere-emulator")) {
    console.error(`the health answer does not name the emulator runtime: ${text}`);
    process.exit(1);
  }
' "$health" || fail "the backend did not run on the emulator module"
grep -q "CodeRunner runtime: agentsphere-emulator" "$backend_log" ||
  fail "the backend log does not say the emulator started; see $backend_log"
phase "backend up: $(node -p "JSON.stringify(JSON.parse(process.argv[1]))" "$health")"

# The example template: in the catalog, its actions offered, and run: the new component is
# published locally, registered and deployed, and its URL answers through the gateway.
token="$(curl -fs http://localhost:7107/api/auth/guest/refresh |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).backstageIdentity.token)}catch{}})')"
[ -n "$token" ] || fail "the guest sign-in gave no token"
api() { curl -fs -H "authorization: Bearer $token" -H 'content-type: application/json' "$@"; }
deadline=$((SECONDS + 120))
until api -o /dev/null http://localhost:7107/api/catalog/entities/by-name/template/default/coderunner-node-service; do
  [ $SECONDS -lt $deadline ] || fail "the example template did not reach the catalog within 2 minutes; see $backend_log"
  sleep 2
done
actions="$(api http://localhost:7107/api/scaffolder/v2/actions)" || fail "the scaffolder did not list its actions"
for action in coderunner:deploy coderunner:config:set coderunner:publish:local; do
  grep -q "\"$action\"" <<<"$actions" || fail "the scaffolder does not offer $action"
done
phase "run the example template"
# Every value the form would fill in: the API does not apply the parameters' defaults.
task="$(api -X POST http://localhost:7107/api/scaffolder/v2/tasks -d '{"templateRef":"template:default/coderunner-node-service","values":{"name":"adopter-hello","description":"Made by the adopter test","owner":"group:default/platform","environment":"development"}}' |
  node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')" || fail "the scaffolder did not start the example template"
deadline=$((SECONDS + 300))
while :; do
  status="$(api "http://localhost:7107/api/scaffolder/v2/tasks/$task" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).status')"
  case "$status" in
    completed) break ;;
    failed | cancelled)
      api "http://localhost:7107/api/scaffolder/v2/tasks/$task/events" >"$results_dir/adopter-template-events.json"
      fail "the example template $status; its events are in $results_dir/adopter-template-events.json" ;;
  esac
  [ $SECONDS -lt $deadline ] || fail "the example template did not finish within 5 minutes (status $status)"
  sleep 2
done
curl -fs -H 'Host: adopter-hello.development.localhost:7180' http://127.0.0.1:7180/healthz >/dev/null ||
  fail "the deployed adopter-hello does not answer through the gateway"
phase "the example template created, registered and deployed adopter-hello"
kill -TERM -- "-$backend_pid" 2>/dev/null
wait "$backend_pid" 2>/dev/null
backend_pid=""

# ── 5. the frontend builds ────────────────────────────────────────────────────────────────
if [ -z "${CODERUNNER_ADOPTER_SKIP_APP:-}" ]; then
  phase "build the frontend (packages/app)"
  (cd "$portal/packages/app" && yarn build) >"$results_dir/adopter-app.log" 2>&1 ||
    { tail -40 "$results_dir/adopter-app.log" >&2; fail "the portal's frontend did not build"; }
  ls "$portal"/packages/app/dist/static/*.js >/dev/null 2>&1 || fail "the frontend build wrote no scripts"
  grep -lq "coderunner" "$portal"/packages/app/dist/static/*.js || fail "the frontend bundle has no CodeRunner plugin in it"
fi
phase "passed"
