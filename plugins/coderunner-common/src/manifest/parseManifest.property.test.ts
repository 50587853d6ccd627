/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "fc.assert"] }] */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseManifest } from './parseManifest';
import {
  ParseManifestResult,
  manifestScalingTemplates,
  resourceSizeNames,
} from './types';

const validService = {
  apiVersion: 'coderunner.io/v1',
  runtime: { template: 'base' },
  build: { install: 'npm ci', command: 'npm run build' },
  run: {
    command: 'node server.js',
    port: 3000,
    health: { path: '/healthz', timeoutSeconds: 60 },
  },
  resources: { size: 'small' },
  env: { NODE_ENV: 'production' },
  scaling: { template: 'web-app', min: 1, max: 5 },
};

/** A result is either a manifest or at least one well-formed error. */
function expectWellFormed(result: ParseManifestResult): void {
  if (result.manifest) {
    expect(result.errors).toEqual([]);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(typeof error.path).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    expect(Number.isInteger(error.line) && error.line >= 1).toBe(true);
    expect(Number.isInteger(error.column) && error.column >= 1).toBe(true);
  }
}

const yamlFragment = fc.constantFrom(
  'apiVersion',
  'coderunner.io/v1',
  'run',
  'command',
  'port',
  'health',
  'env',
  'kind',
  'static',
  'scaling',
  ':',
  ': ',
  ' ',
  '  ',
  '\n',
  '\t',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!!str ',
  '!x ',
  '"',
  "'",
  '#',
  '|',
  '>',
  '? ',
  '---',
  '...',
  '%YAML 1.2',
  '3000',
  '-1',
  '1e9',
  'true',
  'null',
  '~',
  '<<: ',
  '\u0000',
  '\uD800',
  '\uFEFF',
);

const envName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)
  .filter(name => name !== 'PORT' && !name.startsWith('CODERUNNER_'));

const validManifest = fc
  .record({
    min: fc.integer({ min: 0, max: 100 }),
    spread: fc.integer({ min: 0, max: 100 }),
    timeoutSeconds: fc.integer({ min: 1, max: 3600 }),
    interval: fc.integer({ min: 1, max: 300 }),
    failureThreshold: fc.integer({ min: 1, max: 100 }),
    kind: fc.constantFrom('service', 'worker', 'static', undefined),
    template: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,20}$/),
    command: fc.string({ minLength: 1, maxLength: 40 }),
    port: fc.integer({ min: 1, max: 65535 }),
    path: fc.string({ maxLength: 20 }).map(rest => `/${rest}`),
    dir: fc
      .array(fc.stringMatching(/^[a-z0-9_-][a-z0-9_.-]{0,7}$/), {
        minLength: 1,
        maxLength: 3,
      })
      .map(segments => segments.join('/')),
    spa: fc.boolean(),
    size: fc.constantFrom(...resourceSizeNames),
    env: fc.dictionary(
      envName,
      fc.oneof(fc.string(), fc.integer(), fc.boolean()),
      { maxKeys: 5 },
    ),
    scalingTemplate: fc.constantFrom(...manifestScalingTemplates),
    withScaling: fc.boolean(),
  })
  .map(input => {
    const max = Math.min(100, Math.max(1, input.min + input.spread));
    const min = Math.min(input.min, max);
    const kind = input.kind ?? 'service';
    return {
      apiVersion: 'coderunner.io/v1',
      ...(input.kind && { kind: input.kind }),
      runtime: { template: input.template },
      build: { command: input.command },
      ...(kind === 'service' && {
        run: {
          command: input.command,
          port: input.port,
          health: {
            path: input.path,
            timeoutSeconds: input.timeoutSeconds,
            intervalSeconds: Math.min(input.interval, input.timeoutSeconds),
            failureThreshold: input.failureThreshold,
          },
        },
      }),
      ...(kind === 'worker' && { run: { command: input.command } }),
      ...(kind === 'static' && { static: { dir: input.dir, spa: input.spa } }),
      resources: { size: input.size },
      env: input.env,
      ...(input.withScaling && {
        scaling: { template: input.scalingTemplate, min, max },
      }),
    };
  });

describe('parseManifest under arbitrary input', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), text => {
        expectWellFormed(parseManifest(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on strings made of YAML syntax', () => {
    fc.assert(
      fc.property(fc.array(yamlFragment, { maxLength: 60 }), fragments => {
        expectWellFormed(parseManifest(fragments.join('')));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary JSON-like values written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), value => {
        expectWellFormed(parseManifest(stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid manifest with one field replaced or removed', () => {
    const paths = [
      ['apiVersion'],
      ['kind'],
      ['runtime'],
      ['runtime', 'template'],
      ['build', 'install'],
      ['run'],
      ['run', 'command'],
      ['run', 'port'],
      ['run', 'health'],
      ['run', 'health', 'path'],
      ['run', 'health', 'timeoutSeconds'],
      ['run', 'health', 'failureThreshold'],
      ['env'],
      ['env', 'PORT'],
      ['env', 'NODE_ENV'],
      ['scaling', 'min'],
      ['scaling', 'max'],
      ['scaling', 'template'],
      ['instances'],
      ['static'],
      ['unknown'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        fc.option(fc.jsonValue({ maxDepth: 3 })),
        (path, replacement) => {
          const manifest = structuredClone(validService) as Record<string, any>;
          let parent = manifest;
          for (const name of path.slice(0, -1)) {
            parent[name] =
              typeof parent[name] === 'object' && parent[name]
                ? parent[name]
                : {};
            parent = parent[name];
          }
          const last = path[path.length - 1];
          if (replacement === null) {
            delete parent[last];
          } else {
            parent[last] = replacement;
          }
          expectWellFormed(parseManifest(stringify(manifest)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on a valid manifest with its text damaged', () => {
    const text = stringify(validService);
    fc.assert(
      fc.property(
        fc.nat({ max: text.length }),
        fc.nat({ max: 10 }),
        fc.string({ maxLength: 5 }),
        (at, removed, inserted) => {
          expectWellFormed(
            parseManifest(
              text.slice(0, at) + inserted + text.slice(at + removed),
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseManifest on generated valid manifests', () => {
  it('accepts them and keeps what they say', () => {
    fc.assert(
      fc.property(validManifest, input => {
        const { manifest, errors } = parseManifest(stringify(input));
        expect(errors).toEqual([]);
        expect(manifest).toMatchObject({
          ...input,
          kind: input.kind ?? 'service',
          env: Object.fromEntries(
            Object.entries(input.env).map(([name, value]) => [
              name,
              String(value),
            ]),
          ),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips a parsed manifest through YAML unchanged', () => {
    fc.assert(
      fc.property(validManifest, input => {
        const first = parseManifest(stringify(input)).manifest;
        const second = parseManifest(stringify(first));
        expect(second).toEqual({ manifest: first, errors: [] });
      }),
      { numRuns: 300 },
    );
  });
});
