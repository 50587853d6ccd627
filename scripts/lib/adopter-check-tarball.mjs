// Checks one packed package (a .tgz from `yarn pack`) the way the registry would serve it:
// every entry point its package.json names (main, module, types, exports, typesVersions, bin,
// configSchema) is in the tarball, it carries a LICENSE and README, names its repository and
// homepage, has no workspace: ranges left and declares @backstage/* as ^ ranges.
//
//   node scripts/lib/adopter-check-tarball.mjs <package.tgz>...
// Prints one line per package; exits 1 naming every problem.
import { execFileSync } from 'node:child_process';

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
