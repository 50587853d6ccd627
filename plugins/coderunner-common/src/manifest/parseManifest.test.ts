import { formatManifestErrors } from './formatManifestErrors';
import { parseManifest } from './parseManifest';

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The errors of a manifest, rendered as `line:column path: message`. */
function problems(text: string): string[] {
  const { manifest, errors } = parseManifest(text);
  expect(manifest).toBeUndefined();
  return formatManifestErrors(errors, '')
    .split('\n')
    .map(line => line.slice(1));
}

const common = {
  apiVersion: 'coderunner.io/v1',
  runtime: { template: 'base' },
  build: {},
  resources: { size: 'small' },
  env: {},
  instances: 1,
  scaling: { min: 1, max: 1 },
};

describe('parseManifest', () => {
  describe('valid manifests', () => {
    it('reads a service and fills in its defaults', () => {
      const result = parseManifest(
        yaml(
          'apiVersion: coderunner.io/v1',
          'runtime: { template: node-22 }',
          'build:   { install: npm ci, command: npm run build }',
          'run:     { command: node server.js, port: 8080, health: { path: /healthz, timeoutSeconds: 30 } }',
          'resources: { size: medium }',
          'env:     { NODE_ENV: production, WORKERS: 4, DEBUG: false, RATIO: 1.10 }',
          'scaling: { template: web-app, min: 2, max: 5 }',
        ),
      );
      expect(result).toEqual({
        errors: [],
        manifest: {
          ...common,
          kind: 'service',
          runtime: { template: 'node-22' },
          build: { install: 'npm ci', command: 'npm run build' },
          run: {
            command: 'node server.js',
            port: 8080,
            health: {
              path: '/healthz',
              timeoutSeconds: 30,
              intervalSeconds: 2,
              failureThreshold: 3,
            },
            forwardCredentials: false,
          },
          resources: { size: 'medium' },
          env: {
            NODE_ENV: 'production',
            WORKERS: '4',
            DEBUG: 'false',
            RATIO: '1.10',
          },
          instances: 2,
          scaling: { template: 'web-app', min: 2, max: 5 },
        },
      });
    });

    it('reads the smallest service', () => {
      expect(
        parseManifest(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  command: node server.js',
          ),
        ).manifest,
      ).toEqual({
        ...common,
        kind: 'service',
        run: {
          command: 'node server.js',
          port: 3000,
          health: {
            path: '/',
            timeoutSeconds: 60,
            intervalSeconds: 2,
            failureThreshold: 3,
          },
          forwardCredentials: false,
        },
      });
    });

    it('reads a service that lets the gateway pass credentials on', () => {
      const manifest = (value: string) =>
        yaml(
          'apiVersion: coderunner.io/v1',
          'run:',
          '  command: node server.js',
          `  forwardCredentials: ${value}`,
        );
      expect(parseManifest(manifest('true')).manifest).toMatchObject({
        run: { forwardCredentials: true },
      });
      expect(problems(manifest('yes'))).toEqual([
        '4:23 run.forwardCredentials: must be true or false, got "yes"',
      ]);
    });

    it('reads a worker, which has no port or health check', () => {
      expect(
        parseManifest(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: worker',
            'run:',
            '  command: python worker.py',
            'instances: 3',
          ),
        ).manifest,
      ).toEqual({
        ...common,
        kind: 'worker',
        run: { command: 'python worker.py' },
        instances: 3,
        scaling: { min: 3, max: 3 },
      });
    });

    it('reads a static site', () => {
      expect(
        parseManifest(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: static',
            'build:',
            '  install: npm ci',
            '  command: npm run build',
            'static:',
            '  dir: dist',
            '  spa: true',
          ),
        ).manifest,
      ).toEqual({
        ...common,
        kind: 'static',
        build: { install: 'npm ci', command: 'npm run build' },
        static: { dir: 'dist', spa: true },
      });
    });

    it('starts scaling.min instances when instances is not written', () => {
      const text = (scaling: string) =>
        yaml(
          'apiVersion: coderunner.io/v1',
          'run: { command: x }',
          `scaling: ${scaling}`,
        );
      expect(parseManifest(text('{ min: 3 }')).manifest).toMatchObject({
        instances: 3,
        scaling: { min: 3, max: 10 },
      });
      expect(parseManifest(text('{ min: 0, max: 4 }')).manifest).toMatchObject({
        instances: 1,
        scaling: { min: 0, max: 4 },
      });
    });

    it('follows aliases', () => {
      expect(
        parseManifest(
          yaml(
            'apiVersion: coderunner.io/v1',
            'build: { command: &cmd make }',
            'run: { command: *cmd }',
            'env: { A: &a one, B: *a }',
          ),
        ).manifest,
      ).toMatchObject({
        build: { command: 'make' },
        run: { command: 'make' },
        env: { A: 'one', B: 'one' },
      });
    });

    it('keeps an env variable named like an Object.prototype member as data', () => {
      const { manifest } = parseManifest(
        yaml(
          'apiVersion: coderunner.io/v1',
          'run: { command: x }',
          'env: { __proto__: a, constructor: b }',
        ),
      );
      expect(Object.getPrototypeOf(manifest!.env)).toBe(Object.prototype);
      expect(Object.entries(manifest!.env)).toEqual([
        ['__proto__', 'a'],
        ['constructor', 'b'],
      ]);
    });
  });

  describe('errors', () => {
    it('reports YAML syntax errors with their position', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x',
            'kind: worker',
          ),
        ),
      ).toEqual([
        '3:1 YAML syntax: Flow map in block collection must be sufficiently indented and end with a }',
      ]);
    });

    it('reports an empty file and a file that is not a mapping', () => {
      expect(problems('')).toEqual([
        ':1:1 coderunner.yaml is empty; it needs at least "apiVersion: coderunner.io/v1"'.slice(
          1,
        ),
      ]);
      expect(problems('# just a comment\n')).toHaveLength(1);
      expect(problems(yaml('', '- a', '- b'))).toEqual([
        '2:1 must be a mapping with the fields apiVersion, kind, runtime, build, run, static, resources, env, instances, scaling, got a list',
      ]);
    });

    it('refuses several documents in one file', () => {
      expect(
        problems(yaml('apiVersion: coderunner.io/v1', '---', 'kind: worker')),
      ).toEqual([
        expect.stringMatching(/^2:1 YAML syntax: .*multiple documents/),
      ]);
    });

    it('requires apiVersion with the right value', () => {
      expect(problems(yaml('# manifest', 'run: { command: x }'))).toEqual([
        "2:1 apiVersion: is required and must be 'coderunner.io/v1'",
      ]);
      expect(
        problems(yaml('apiVersion: coderunner.io/v2', 'run: { command: x }')),
      ).toEqual([
        '1:13 apiVersion: must be \'coderunner.io/v1\', got "coderunner.io/v2"',
      ]);
    });

    it('names the field, line, column and allowed range of a wrong value', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  command: node server.js',
            '  port: abc',
            '  health:',
            '    path: healthz',
            '    timeoutSeconds: 1.5',
            'resources: { size: 2 }',
            'instances: 101',
          ),
        ),
      ).toEqual([
        '4:9 run.port: must be an integer from 1 to 65535, got "abc"',
        '6:11 run.health.path: must be a path starting with \'/\', got "healthz"',
        '7:21 run.health.timeoutSeconds: must be an integer from 1 to 3600, got 1.5',
        "8:20 resources.size: must be one of 'small', 'medium', 'large' or 'xlarge', got 2",
        '9:12 instances: must be an integer from 1 to 100, got 101',
      ]);
    });

    it('says what a mapping allows when it gets something else', () => {
      expect(
        problems(yaml('apiVersion: coderunner.io/v1', 'run: node server.js')),
      ).toEqual([
        '2:6 run: must be a mapping with the fields command, port, health, forwardCredentials, got "node server.js"',
      ]);
    });

    it('suggests the field meant by an unknown one', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  comand: node server.js',
            'scalling: { min: 1 }',
            'replicas: 2',
          ),
        ),
      ).toEqual([
        "3:3 run.comand: is not a known field; did you mean 'command'? allowed here: command, port, health, forwardCredentials",
        '3:3 run.command: is required and must be a non-empty string',
        "4:1 scalling: is not a known field; did you mean 'scaling'? allowed here: apiVersion, kind, runtime, build, run, static, resources, env, instances, scaling",
        '5:1 replicas: is not a known field; allowed here: apiVersion, kind, runtime, build, run, static, resources, env, instances, scaling',
      ]);
    });

    it('suggests the value meant by an unknown one', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: wroker',
            'run: { command: x }',
            'scaling: { template: webapp }',
          ),
        ),
      ).toEqual([
        "2:7 kind: must be one of 'service', 'worker' or 'static', got \"wroker\"; did you mean 'worker'?",
        "4:22 scaling.template: must be one of 'web-app', 'api', 'worker', 'ml-inference', 'development' or 'cost-saver', got \"webapp\"; did you mean 'web-app'?",
      ]);
    });

    it('refuses duplicate fields', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  command: a',
            '  command: b',
            'env: { A: 1, A: 2 }',
          ),
        ),
      ).toEqual([
        '4:3 run.command: is written twice (first on line 3); keep one',
        '5:14 env.A: is written twice (first on line 5); keep one',
      ]);
    });

    it('checks environment variable names and values', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            'env:',
            '  1ST: a',
            '  MY-VAR: b',
            '  PORT: 8080',
            '  CODERUNNER_TOKEN: c',
            '  EMPTY:',
            '  LIST: [a]',
            '  "": d',
          ),
        ),
      ).toEqual([
        '4:3 env.1ST: is not a valid name; names must be letters, digits and _, not starting with a digit',
        '5:3 env.MY-VAR: is not a valid name; names must be letters, digits and _, not starting with a digit',
        '6:3 env.PORT: is reserved: CodeRunner sets PORT and CODERUNNER_* itself; choose another name',
        '7:3 env.CODERUNNER_TOKEN: is reserved: CodeRunner sets PORT and CODERUNNER_* itself; choose another name',
        '8:9 env.EMPTY: must be a string, number or boolean, got nothing; write "" for an empty value',
        '9:9 env.LIST: must be a string, number or boolean, got a list',
        '10:3 env.: is not a valid name; names must be letters, digits and _, not starting with a digit',
      ]);
    });

    it('refuses field names that are not plain text', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            '? [a]',
            ': b',
          ),
        ),
      ).toEqual(['3:3 field names must be plain text, got a list']);
    });

    it('checks the fields each kind requires and forbids', () => {
      expect(problems(yaml('apiVersion: coderunner.io/v1'))).toEqual([
        "1:1 run: is required when kind is 'service' and must be a mapping with the fields command, port, health, forwardCredentials",
      ]);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: worker',
            'run:',
            '  command: node worker.js',
            '  port: 3000',
            '  health: { path: / }',
            '  forwardCredentials: true',
          ),
        ),
      ).toEqual([
        "5:3 run.port: is not allowed when kind is 'worker': a worker does not listen on a port; use kind: service",
        "6:3 run.health: is not allowed when kind is 'worker': a worker has no HTTP health check; use kind: service",
        "7:3 run.forwardCredentials: is not allowed when kind is 'worker': a worker gets no requests from the gateway; use kind: service",
      ]);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: static',
            'run: { command: npx serve }',
          ),
        ),
      ).toEqual(
        [
          "3:1 run: is not allowed when kind is 'static': CodeRunner's built-in server serves static.dir; use kind: service to run your own",
          "1:1 static: is required when kind is 'static' and must be a mapping with the fields dir, spa",
        ].sort(),
      );
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            'static: { dir: dist }',
          ),
        ),
      ).toEqual([
        "3:1 static: is not allowed when kind is 'service': only a static site has static",
      ]);
    });

    it('keeps a static directory inside the source', () => {
      const dir = (value: string) =>
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: static',
            `static: { dir: ${value} }`,
          ),
        );
      const allowed = "must be a relative path inside the source, without '..'";
      expect(dir('../site')).toEqual([
        `3:16 static.dir: ${allowed}, got "../site"`,
      ]);
      expect(dir('/var/www')).toEqual([
        `3:16 static.dir: ${allowed}, got "/var/www"`,
      ]);
      expect(dir('build/../../x')).toEqual([
        `3:16 static.dir: ${allowed}, got "build/../../x"`,
      ]);
      expect(
        parseManifest(
          yaml(
            'apiVersion: coderunner.io/v1',
            'kind: static',
            'static: { dir: ./dist..old }',
          ),
        ).errors,
      ).toEqual([]);
    });

    it('checks rules across fields once every field is valid', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            'scaling:',
            '  min: 20',
          ),
        ),
      ).toEqual([
        '4:8 scaling.min: must not exceed scaling.max (10, the default), got 20',
      ]);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            'scaling: { min: 5, max: 2 }',
          ),
        ),
      ).toEqual(['3:17 scaling.min: must not exceed scaling.max (2), got 5']);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: { command: x }',
            'instances: 7',
            'scaling: { max: 5 }',
          ),
        ),
      ).toEqual([
        '3:12 instances: must be from scaling.min (1) to scaling.max (5), got 7',
      ]);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  command: x',
            '  health: { timeoutSeconds: 5, intervalSeconds: 10 }',
          ),
        ),
      ).toEqual([
        '4:49 run.health.intervalSeconds: must not exceed run.health.timeoutSeconds (5), got 10',
      ]);
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run:',
            '  command: x',
            '  health: { failureThreshold: 0 }',
          ),
        ),
      ).toEqual([
        '4:31 run.health.failureThreshold: must be an integer from 1 to 100, got 0',
      ]);
    });

    it('reports every problem in the file at once, in file order', () => {
      const { errors } = parseManifest(
        yaml(
          'apiVersion: v1',
          'kind: job',
          'run: { command: "", port: 0 }',
          'resources: { cpu: 2 }',
        ),
      );
      expect(
        errors.map(error => `${error.line}:${error.column} ${error.path}`),
      ).toEqual([
        '1:13 apiVersion',
        '2:7 kind',
        '3:17 run.command',
        '3:27 run.port',
        '4:14 resources.cpu',
      ]);
    });

    it('refuses unknown tags', () => {
      expect(
        problems(
          yaml('apiVersion: coderunner.io/v1', 'run: { command: !shell x }'),
        ),
      ).toEqual([expect.stringMatching(/^2:17 YAML syntax: .*shell/)]);
    });
  });

  describe('hostile input', () => {
    it('refuses alias bombs', () => {
      const lines = [
        'apiVersion: coderunner.io/v1',
        'run: { command: x }',
        'env:',
        '  A0: &a0 x',
      ];
      for (let i = 1; i <= 150; i++) {
        lines.push(`  A${i}: *a0`);
      }
      expect(problems(yaml(...lines))).toEqual([
        '105:9 env.A101: uses more than 100 aliases; write the values out instead',
      ]);
    });

    it('refuses a mapping that contains itself without looping', () => {
      expect(
        problems(
          yaml(
            'apiVersion: coderunner.io/v1',
            'run: &r { command: x, port: *r }',
          ),
        ),
      ).toEqual([
        '2:29 run.port: must be an integer from 1 to 65535, got a mapping',
      ]);
    });

    it('refuses deep nesting before parsing it', () => {
      expect(problems('['.repeat(100_000))).toEqual([
        '1:1 coderunner.yaml nests more than 64 levels deep; a manifest needs at most 4',
      ]);
      expect(problems(`${'- '.repeat(10_000)}x`)).toHaveLength(1);
    });

    it('refuses huge files', () => {
      expect(problems(`# ${'x'.repeat(300_000)}`)).toEqual([
        '1:1 coderunner.yaml is 300002 characters long; at most 262144 are allowed',
      ]);
    });

    it('caps the number of errors', () => {
      const lines = [
        'apiVersion: coderunner.io/v1',
        'run: { command: x }',
        'env:',
      ];
      for (let i = 0; i < 80; i++) {
        lines.push(`  ${i}X: x`);
      }
      const errors = problems(yaml(...lines));
      expect(errors).toHaveLength(51);
      expect(errors[50]).toBe('54:3 30 more errors not shown');
    });

    it('uses the file name it is given', () => {
      expect(
        parseManifest('', { fileName: 'web/coderunner.yaml' }).errors[0]
          .message,
      ).toBe(
        'web/coderunner.yaml is empty; it needs at least "apiVersion: coderunner.io/v1"',
      );
    });

    it('answers input that is not text instead of throwing', () => {
      expect(parseManifest(undefined as unknown as string).errors).toEqual([
        {
          path: '',
          line: 1,
          column: 1,
          message: 'coderunner.yaml must be text, got undefined',
        },
      ]);
    });
  });
});
