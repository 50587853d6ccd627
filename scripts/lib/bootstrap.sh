# Sourced by scripts/start.sh and scripts/test.sh. Makes sure this machine can run the
# monorepo: Node 22+ first on PATH (fetched from the npm registry into a local folder when
# the machine's Node is older), Yarn from the committed release, and dependencies installed
# with native modules built against that Node. Idempotent: a second run changes nothing.

set -euo pipefail

CODERUNNER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CODERUNNER_TOOLS="${CODERUNNER_TOOLS:-$HOME/.cache/coderunner}"
YARN_RELEASE="$CODERUNNER_ROOT/.yarn/releases/yarn-4.13.0.cjs"
NODE_MAJOR_WANTED=22

say() { printf '\033[1;34m[coderunner]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[coderunner] %s\033[0m\n' "$*" >&2; }
die() {
  printf '\033[1;31m[coderunner] %s\033[0m\n' "$*" >&2
  exit 1
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# fetch_registry_package NODE PACKAGE MAJOR DIR: the newest MAJOR.x release of PACKAGE from the
# npm registry (npm_config_registry, or registry.npmjs.org), checked against its published
# sha512, unpacked into DIR. For machines whose Node came without npm.
fetch_registry_package() {
  local node="$1" package="$2" major="$3" dir="$4"
  local archive
  archive="$(mktemp)"
  "$node" - "$package" "$major" "$archive" <<'JS' || { rm -f "$archive"; return 1; }
const [name, major, archive] = process.argv.slice(2);
const registry = (process.env.npm_config_registry || 'https://registry.npmjs.org').replace(/\/$/, '');
const newest = (a, b) => {
  const [x, y] = [a, b].map(v => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
(async () => {
  const meta = await (await fetch(`${registry}/${name}`)).json();
  const versions = Object.keys(meta.versions ?? {}).filter(v => /^\d+\.\d+\.\d+$/.test(v) && v.split('.')[0] === major);
  if (!versions.length) throw new Error(`no ${name}@${major} in ${registry}`);
  const dist = meta.versions[versions.sort(newest).pop()].dist;
  const response = await fetch(dist.tarball);
  if (!response.ok) throw new Error(`${dist.tarball} answered ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const [algorithm, expected] = (dist.integrity ?? '').split('-');
  const actual = algorithm && require('node:crypto').createHash(algorithm).update(bytes).digest('base64');
  if (!expected || actual !== expected) throw new Error(`${dist.tarball} does not match its published ${algorithm || 'sha512'}`);
  require('node:fs').writeFileSync(archive, bytes);
})().catch(error => {
  console.error(String(error.message ?? error));
  process.exit(1);
});
JS
  mkdir -p "$dir"
  tar xzf "$archive" -C "$dir" --strip-components=1 || { rm -f "$archive"; return 1; }
  rm -f "$archive"
}

ensure_node() {
  command -v git >/dev/null || die "git is required. Install it (for example: apt-get install -y git) and run this again."
  local system_node
  system_node="$(command -v node || true)"
  [ -n "$system_node" ] || die "Node.js 18 or newer is required to bootstrap (it fetches Node $NODE_MAJOR_WANTED). Install Node.js and run this again."
  local major
  major="$(node_major "$system_node")"
  if [ "$major" -ge 22 ] && [ "$major" -le 24 ]; then
    NODE_HOME="$(cd "$(dirname "$system_node")/.." && pwd)"
  else
    [ "$major" -ge 18 ] || die "Node.js $major is too old to bootstrap: install Node.js 18 or newer."
    local arch
    case "$(uname -m)" in
      x86_64 | amd64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) die "No Node.js $NODE_MAJOR_WANTED package for architecture $(uname -m) in the npm registry; install Node.js 22 or 24 yourself." ;;
    esac
    local prefix="$CODERUNNER_TOOLS/node$NODE_MAJOR_WANTED-$arch"
    NODE_HOME="$prefix/node_modules/node-linux-$arch"
    if [ ! -x "$NODE_HOME/bin/node" ]; then
      say "Node.js $major found; fetching Node.js $NODE_MAJOR_WANTED (node-linux-$arch) into $prefix"
      mkdir -p "$prefix"
      if command -v npm >/dev/null; then
        npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_MAJOR_WANTED" >/dev/null ||
          die "Could not fetch node-linux-$arch@$NODE_MAJOR_WANTED from the npm registry. Check the network or install Node.js 22 yourself."
      else
        # Debian's nodejs package comes without npm: fetch the package with Node itself.
        fetch_registry_package "$system_node" "node-linux-$arch" "$NODE_MAJOR_WANTED" "$NODE_HOME" ||
          die "Could not fetch node-linux-$arch@$NODE_MAJOR_WANTED from the npm registry. Check the network or install Node.js 22 yourself."
      fi
    fi
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native modules (better-sqlite3) must build against this Node's headers, not the system's.
  if [ -d "$NODE_HOME/include/node" ]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
}

ensure_yarn() {
  [ -f "$YARN_RELEASE" ] || die "The committed Yarn release $YARN_RELEASE is missing."
  local bin="$CODERUNNER_TOOLS/bin"
  mkdir -p "$bin"
  cat >"$bin/yarn" <<EOF
#!/usr/bin/env bash
exec "$NODE_HOME/bin/node" "$YARN_RELEASE" "\$@"
EOF
  chmod +x "$bin/yarn"
  export PATH="$bin:$PATH"
  export YARN_ENABLE_TELEMETRY=0
}

# Installs dependencies when package manifests or the lockfile changed since the last install.
ensure_dependencies() {
  cd "$CODERUNNER_ROOT"
  local stamp="node_modules/.coderunner-install-stamp"
  local want
  want="$(node -v) $(cat yarn.lock package.json */*/package.json 2>/dev/null | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  say "Installing dependencies (yarn install) with Node $(node -v)"
  local flags=()
  if [ -n "${CI:-}" ]; then flags+=(--immutable); fi
  yarn install "${flags[@]}" || die "yarn install failed; see the output above."
  node -e 'require("better-sqlite3")(":memory:").close()' 2>/dev/null || {
    say "Rebuilding better-sqlite3 against Node $(node -v)"
    yarn rebuild better-sqlite3 || die "better-sqlite3 could not be built: install python3, make and g++ and run this again."
  }
  echo "$want" >"$stamp"
}

bootstrap() {
  ensure_node
  ensure_yarn
  ensure_dependencies
}
