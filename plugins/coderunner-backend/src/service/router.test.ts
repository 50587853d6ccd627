import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ConfigFormat,
  ConfigSaveResponse,
  LogPage,
} from '@coderunner/plugin-coderunner-common';
import express from 'express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ConfigChanges } from '../config/ConfigChanges';
import { ConfigHistory } from '../config/ConfigHistory';
import { ConfigTransfer } from '../config/ConfigTransfer';
import { ConfigValues } from '../config/ConfigValues';
import { DatabaseConfigStore } from '../config/DatabaseConfigStore';
import { Keyring } from '../config/Keyring';
import { KeyRotator } from '../config/KeyRotator';
import { SecretCipher } from '../config/SecretCipher';
import { DeploymentService } from '../deployments/DeploymentService';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { EntityGuard } from '../entities/EntityGuard';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { LogQuery } from '../logs/LogStore';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { LocalSourceRoots } from '../source/LocalSourceRoots';
import { SourceArchiver } from '../source/SourceArchiver';
import { createRouter } from './router';
import { dirname } from 'node:path';
import { RateLimiter } from './RateLimiter';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: {},
};
const deployment =
  '/entities/component/default/hello-node/deployments/development';
const config = '/entities/component/default/hello-node/config';
jest.setTimeout(60_000);

const databases = createTestDatabases();
const page: LogPage = {
  items: [
    {
      seq: 1,
      stream: 'stdout',
      line: 'hello',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  ],
  lastSeq: 1,
};

/**
 * The router in front of the real services with their data methods replaced (jest.spyOn): checks
 * what the OpenAPI validator lets through to the handlers (and in which shape) and what it
 * refuses, without deployments, config values or a runtime behind them.
 */
describe('createRouter request validation', () => {
  const read = jest.fn(
    async (_deploymentId: string, _options?: LogQuery) => page,
  );
  const head = jest.fn(async () => 1);
  const snapshot = jest.fn(async () => ({
    entityRef: 'component:default/hello-node',
    version: 0,
    scopes: {},
    overrideOrder: [],
  }));
  const diff = jest.fn(async (_ref: string, from: number, to: number) => ({
    from,
    to,
    entries: [],
  }));
  const audit = jest.fn(async () => []);
  const exportConfig = jest.fn(
    async (_ref: string, _scope: string, format: ConfigFormat) => ({
      format,
      content: '',
      omittedSecrets: [],
    }),
  );
  const change = jest.fn(
    async (): Promise<ConfigSaveResponse> => ({
      version: {
        version: 1,
        author: 'user:default/test',
        createdAt: '2026-01-01T00:00:00.000Z',
        scopes: ['shared'],
        changes: [{ scope: 'shared', name: 'A', change: 'added' }],
      },
      applied: [],
      pending: [],
    }),
  );
  let app: express.Express;
  let router: express.Router;
  let deploymentId: string;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    const logger = mockServices.logger.mock();
    const urlReader = mockServices.urlReader.mock();
    const limiter = RateLimiter.fromConfig(new ConfigReader({}), knex);
    const sourceReader = EntitySourceReader.create({
      urlReader,
      localRoots: LocalSourceRoots.of([]),
    });
    // Never asked: the log routes only look the deployment up.
    const runtime = AgentSphereRuntime.create({
      logger,
      apiKey: 'unused',
      domain: 'localhost:1',
    });
    const store = DatabaseDeploymentStore.fromKnex(knex);
    const logs = DatabaseLogStore.create({ knex });
    const service = new DeploymentService(
      store,
      new Reconciler(runtime, store, knex, logs, logger, {}),
      sourceReader,
      new SourceArchiver(sourceReader, urlReader),
      undefined,
      ['development', 'production'],
    );
    deploymentId = (
      await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: 'user:default/test',
      })
    ).id;
    jest.spyOn(logs, 'read').mockImplementation(read);
    // An unfiltered page is read by the deployment's key: found here, then handed to `read`,
    // so every test below sees the options the route parsed in one place.
    jest
      .spyOn(logs, 'readOf')
      .mockImplementation(async (key, options) =>
        key.entityRef === 'component:default/hello-node' &&
        key.environment === 'development'
          ? read(deploymentId, options)
          : undefined,
      );
    jest.spyOn(logs, 'head').mockImplementation(head);

    const ring = Keyring.of([{ id: 'k', secret: randomBytes(32) }], 'k');
    const cipher = new SecretCipher(ring);
    const configStore = await DatabaseConfigStore.create({ knex });
    const values = new ConfigValues(configStore, cipher, [
      'development',
      'production',
    ]);
    const history = new ConfigHistory(configStore, values);
    jest.spyOn(history, 'snapshot').mockImplementation(snapshot);
    jest.spyOn(history, 'diff').mockImplementation(diff);
    jest.spyOn(history, 'audit').mockImplementation(audit);
    const changes = new ConfigChanges(configStore, values);
    jest.spyOn(changes, 'change').mockImplementation(change);
    const transfer = new ConfigTransfer(configStore, values);
    jest.spyOn(transfer, 'export').mockImplementation(exportConfig);

    router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      entityGuard: new EntityGuard(
        catalogServiceMock({ entities: [entity] }),
        mockServices.permissions(),
      ),
      sourceReader,
      environments: ['development', 'production'],
      deployments: {
        service,
        logs,
        auditor: mockServices.auditor.mock(),
        limiter,
      },
      config: {
        history,
        changes,
        transfer,
        rotator: new KeyRotator(configStore, ring, cipher, logger),
        auditor: mockServices.auditor.mock(),
        limiter,
      },
    });
    app = express().use(router).use(mockErrorHandler());
  });

  beforeEach(() => jest.clearAllMocks());

  const badRequest = async (test: request.Test, ...expected: string[]) => {
    const response = await test;
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    for (const text of expected)
      expect(response.body.error.message).toContain(text);
    return response;
  };

  it('finds a route without compiling any route pattern again (express-openapi-validator as patched in .yarn/patches)', async () => {
    // The validator's own copy of path-to-regexp, as it requires it.
    const pathToRegexp = jest.requireActual(
      require.resolve('path-to-regexp', {
        paths: [dirname(require.resolve('express-openapi-validator'))],
      }),
    );
    await request(app).get(`${deployment}/logs`);
    const compile = jest.spyOn(pathToRegexp, 'pathToRegexp');
    try {
      // Deep in the validator's sorted routes: 24 others are tried first.
      expect((await request(app).get(`${deployment}/logs`)).status).toBe(200);
      expect(compile).not.toHaveBeenCalled();
    } finally {
      compile.mockRestore();
    }
  });

  it('answers the deployment lists as compact JSON, or as res.json would where the portal sets JSON options', async () => {
    const indentedApp = express()
      .set('json spaces', 2)
      .use(router)
      .use(mockErrorHandler());
    for (const list of [
      '/deployments',
      '/entities/component/default/hello-node/deployments',
    ]) {
      const compact = await request(app).get(list);
      expect(compact.status).toBe(200);
      expect(compact.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(compact.body.items).toEqual([
        expect.objectContaining({ entityRef: 'component:default/hello-node' }),
      ]);
      expect(compact.text).toBe(JSON.stringify(compact.body));
      const indented = await request(indentedApp).get(list);
      expect(indented.status).toBe(200);
      expect(indented.text).toBe(JSON.stringify(compact.body, null, 2));
    }
  });

  describe('log history', () => {
    it('answers a page as compact JSON, or as res.json would where the portal sets JSON options (indented in development)', async () => {
      const compact = await request(app).get(`${deployment}/logs`);
      expect(compact.status).toBe(200);
      expect(compact.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(compact.text).toBe(JSON.stringify(page));
      const indented = await request(
        express().set('json spaces', 2).use(router).use(mockErrorHandler()),
      ).get(`${deployment}/logs`);
      expect(indented.status).toBe(200);
      expect(indented.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(indented.text).toBe(JSON.stringify(page, null, 2));
    });

    it('passes typed filters to the store, as the frontend sends them (comma lists, encoded text)', async () => {
      const params = new URLSearchParams({
        after: '5',
        limit: '100',
        stream: 'build,system',
        level: 'warn,error',
        q: 'a+b c*',
        since: '2026-12-01T10:00:00.000Z',
        releaseId: 'r1',
      });
      const response = await request(app).get(`${deployment}/logs?${params}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(page);
      expect(read).toHaveBeenCalledWith(deploymentId, {
        after: 5,
        limit: 100,
        streams: ['build', 'system'],
        levels: ['warn', 'error'],
        text: 'a+b c*',
        since: '2026-12-01T10:00:00.000Z',
        until: undefined,
        releaseId: 'r1',
        instanceId: undefined,
      });
    });

    it('accepts repeated list parameters and unencoded times, as curl users send them', async () => {
      const response = await request(app).get(
        `${deployment}/logs?stream=stdout&stream=stderr&since=2026-12-01T10:00:00Z&until=2026-12-02T10:00:00Z`,
      );
      expect(response.status).toBe(200);
      expect(read).toHaveBeenCalledWith(
        deploymentId,
        expect.objectContaining({
          streams: ['stdout', 'stderr'],
          since: '2026-12-01T10:00:00.000Z',
          until: '2026-12-02T10:00:00.000Z',
        }),
      );
    });

    it.each([
      ['limit=0', 'limit=0', 'request/query/limit must be >= 1'],
      ['limit=5001', 'limit=5001', 'request/query/limit must be <= 5000'],
      ['limit=lots', 'limit=lots', 'request/query/limit must be integer'],
      ['after=-1', 'after=-1', 'request/query/after must be >= 0'],
      [
        'an unknown stream',
        'stream=stdout,journal',
        'request/query/stream/1',
        'build, stdout, stderr, system',
      ],
      [
        'an unknown level',
        'level=loud',
        'request/query/level/0',
        'trace, debug, info, warn, error, fatal',
      ],
      [
        'a time that is not ISO 8601',
        'since=yesterday',
        'request/query/since must match format "date-time"',
      ],
      [
        'q of 201 characters',
        `q=${'x'.repeat(201)}`,
        'request/query/q must NOT have more than 200 characters',
      ],
      ['an unknown parameter', 'tail=10', "Unknown query parameter 'tail'"],
    ])('refuses %s with a 400 naming it', async (_what, query, ...expected) => {
      await badRequest(
        request(app).get(`${deployment}/logs?${query}`),
        ...expected,
      );
      expect(read).not.toHaveBeenCalled();
    });

    it('still explains a time range that ends before it starts', async () => {
      await badRequest(
        request(app).get(
          `${deployment}/logs?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z`,
        ),
        'since (2026-12-02T00:00:00.000Z) must be before until',
      );
      expect(read).not.toHaveBeenCalled();
    });
  });

  describe('log download', () => {
    it('streams NDJSON with the filters of the history', async () => {
      const response = await request(app).get(
        `${deployment}/logs/download?format=ndjson&level=info,warn`,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-ndjson');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="hello-node-development-logs.ndjson"',
      );
      expect(response.text).toBe(`${JSON.stringify(page.items[0])}\n`);
      expect(read).toHaveBeenCalledWith(
        deploymentId,
        expect.objectContaining({ levels: ['info', 'warn'], limit: 5000 }),
      );
    });

    it('is plain text when no format is given', async () => {
      const response = await request(app).get(`${deployment}/logs/download`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(
        'text/plain; charset=utf-8',
      );
      expect(response.text).toBe('hello\n');
    });

    it.each([
      ['format=csv', 'format', 'allowed values'],
      ['limit=10', "Unknown query parameter 'limit'"],
      ['stream=console', 'stream'],
    ])('refuses %s with a 400 naming it', async (query, ...expected) => {
      await badRequest(
        request(app).get(`${deployment}/logs/download?${query}`),
        ...expected,
      );
      expect(read).not.toHaveBeenCalled();
    });
  });

  describe('config', () => {
    it('hands typed numbers and booleans to the handlers', async () => {
      expect((await request(app).get(`${config}?version=3`)).status).toBe(200);
      expect(snapshot).toHaveBeenCalledWith('component:default/hello-node', 3);
      expect(
        (await request(app).get(`${config}/diff?from=1&to=2`)).body,
      ).toEqual({ from: 1, to: 2, entries: [] });
      expect(
        (await request(app).get(`${config}/audit?name=API_TOKEN&limit=20`))
          .status,
      ).toBe(200);
      expect(audit).toHaveBeenCalledWith('component:default/hello-node', {
        name: 'API_TOKEN',
        limit: 20,
      });
      // The frontend always sends includeSecrets, also when false: no secrets, no reveal check.
      const exported = await request(app).get(
        `${config}/export?scope=shared&format=yaml&includeSecrets=false`,
      );
      expect(exported.status).toBe(200);
      expect(exportConfig).toHaveBeenCalledWith(
        'component:default/hello-node',
        'shared',
        'yaml',
        {
          includeSecrets: false,
          actor: expect.any(String),
        },
      );
      await request(app).get(`${config}/export?scope=shared`).expect(200);
      expect(exportConfig).toHaveBeenLastCalledWith(
        'component:default/hello-node',
        'shared',
        'env',
        expect.objectContaining({ includeSecrets: false }),
      );
    });

    it.each([
      [`${config}?version=-1`, 'version', '>= 0'],
      [`${config}?version=latest`, 'version', 'must be integer'],
      [`${config}/diff?from=1`, "must have required property 'to'"],
      [`${config}/audit?limit=0`, 'limit', '>= 1'],
      [`${config}/audit?limit=1001`, 'limit', '<= 1000'],
      [`${config}/export?format=env`, "must have required property 'scope'"],
      [`${config}/export?scope=shared&format=toml`, 'format', 'allowed values'],
      [
        `${config}/export?scope=shared&includeSecrets=yes`,
        'includeSecrets',
        'must be boolean',
      ],
    ])(
      'refuses GET %s with a 400 naming the problem',
      async (url, ...expected) => {
        await badRequest(request(app).get(url), ...expected);
        expect(
          [snapshot, diff, audit, exportConfig].some(
            fn => fn.mock.calls.length > 0,
          ),
        ).toBe(false);
      },
    );

    it.each<[string, object, ...string[]]>([
      ['changes', { changes: [] }, 'changes', 'fewer than 1 items'],
      [
        'changes',
        { changes: [{ scope: 'shared', name: 'A', value: 5 }] },
        'changes/0/value',
        'must be string',
      ],
      [
        'changes',
        { changes: [{ scope: 'shared', name: 'A', value: '1', secert: true }] },
        'must NOT have additional properties',
      ],
      [
        'changes',
        { changes: [{ scope: 'shared', name: 'A', delete: false }] },
        'changes/0/delete',
        'allowed values',
      ],
      [
        'changes',
        { change: [{ scope: 'shared', name: 'A', value: '1' }] },
        "must have required property 'changes'",
      ],
      [
        'changes',
        {
          changes: [{ scope: 'shared', name: 'A', value: '1' }],
          expectedVersion: '2',
        },
        'expectedVersion',
        'must be integer',
      ],
      ['rollback', {}, "must have required property 'version'"],
      ['rollback', { version: '2' }, 'version', 'must be integer'],
      [
        'import/preview',
        { scope: 'shared', format: 'toml', content: 'A=1' },
        'format',
        'allowed values',
      ],
      [
        'import/preview',
        { scope: 'shared', format: 'env', content: 'A=1', mode: 'overwrite' },
        'mode',
        'allowed values',
      ],
      [
        'import/preview',
        { scope: 'shared', format: 'env' },
        "must have required property 'content'",
      ],
      ['templates/nodejs/preview', {}, "must have required property 'scope'"],
      ['reveal', { scope: 'shared' }, "must have required property 'name'"],
    ])(
      'refuses POST %s %j with a 400 naming the problem',
      async (path, body, ...expected) => {
        await badRequest(
          request(app).post(`${config}/${path}`).send(body),
          ...expected,
        );
        expect(change).not.toHaveBeenCalled();
      },
    );

    it('accepts a change set as the frontend and the scaffolder action send it', async () => {
      const body = {
        changes: [
          {
            scope: 'development',
            name: 'API_TOKEN',
            value: 's3cret',
            secret: true,
          },
          { scope: 'shared', name: 'GREETING', value: 'hi' },
          { scope: 'shared', name: 'OLD', delete: true },
        ],
        message: 'Set by a scaffolder template',
        expectedVersion: 4,
      };
      await request(app).post(`${config}/changes`).send(body).expect(202);
      expect(change).toHaveBeenCalledWith(entity, body, expect.any(String));
    });
  });
});
