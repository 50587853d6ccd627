// Checks one packed package (a .tgz from `yarn pack`) the way the registry would serve it:
// every entry point its package.json names (main, module, types, exports, typesVersions, bin,
// configSchema) is in the tarball, it carries a LICENSE and README, names its repository and
// homepage, has no workspace: ranges left, declares @backstage/* as ^ ranges and declares every
// package its built code and types import.
//
//   node scripts/lib/adopter-check-tarball.mjs <package.tgz>...
// Prints one line per package; exits 1 naming every problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const builtins = new Set(builtinModules);
const PACKAGE_NAME =
  /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(\/.*)?$/;

/** The packages a file's code or types import, by bare specifier. */
function importedPackages(text) {
  const names = new Set();
  for (const match of text.matchAll(
    /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^import\s+)['"]([^'"]+)['"]/gm,
  )) {
    const spec = match[1];
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    if (!PACKAGE_NAME.test(spec) || builtins.has(spec.split('/')[0])) continue;
    names.add(
      spec.startsWith('@')
        ? spec.split('/').slice(0, 2).join('/')
        : spec.split('/')[0],
    );
  }
  return names;
}

const problems = [];
for (const tarball of process.argv.slice(2)) {
  const files = new Set(
    execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(
    execFileSync('tar', ['xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const fail = message => problems.push(`${pkg.name} (${tarball}): ${message}`);
  const has = file => files.has(file.replace(/^\.\//, ''));
  const entryPoints = [];
  for (const field of ['main', 'module', 'types', 'configSchema']) {
    if (pkg[field]) entryPoints.push([field, pkg[field]]);
  }
  const walk = (value, where) => {
    if (typeof value === 'string') {
      if (value.startsWith('./')) entryPoints.push([where, value]);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        walk(inner, `${where}.${key}`);
      }
    }
  };
  walk(pkg.exports, 'exports');
  walk(
    Object.fromEntries(
      Object.entries(pkg.typesVersions?.['*'] ?? {}).map(([k, v]) => [
        k,
        v.map(p => `./${p.replace(/^\.\//, '')}`),
      ]),
    ),
    'typesVersions',
  );
  const bins =
    typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin ?? {};
  for (const [name, file] of Object.entries(bins)) {
    entryPoints.push([`bin.${name}`, file]);
  }
  for (const [field, file] of entryPoints) {
    if (!has(file)) fail(`${field} names ${file}, which is not in the package`);
    if (/(^|\/)src\//.test(file) && field !== 'configSchema') {
      fail(
        `${field} points into src/ (${file}): publishConfig was not applied`,
      );
    }
  }
  // Every package the built code or types import is declared (a dependency or a peer).
  const unpacked = fs.mkdtempSync(
    path.join(os.tmpdir(), 'coderunner-tarball-'),
  );
  try {
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    const declared = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    for (const file of files) {
      if (!/\.(c|m)?js$|\.d\.ts$/.test(file) || file.startsWith('bin/'))
        continue;
      const text = fs.readFileSync(
        path.join(unpacked, 'package', file),
        'utf8',
      );
      for (const name of importedPackages(text)) {
        if (name !== pkg.name && !declared.has(name)) {
          fail(`${file} imports ${name}, which package.json does not declare`);
        }
      }
    }
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
  if (!has('LICENSE')) fail('no LICENSE file');
  if (!has('README.md')) fail('no README.md');
  if (!pkg.repository?.url) fail('no repository.url');
  if (!pkg.homepage) fail('no homepage');
  for (const kind of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(pkg[kind] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        fail(`${kind}.${name} is still ${range}`);
      }
      if (name.startsWith('@backstage/') && !/^\^\d/.test(range)) {
        fail(`${kind}.${name} is ${range}, not a ^ range of the release line`);
      }
    }
  }
  console.log(
    `${pkg.name}@${pkg.version}: ${files.size} files, ${entryPoints.length} entry points`,
  );
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
