import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import {
  startHelloNodeBackend,
  permissionsAllowing,
  seedConfig,
} from '../__testUtils__/coderunnerBackend';
import { createOpenApiRouter } from '../schema/openapi.generated';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const SECRET = 'ghp_route_test_secret_value';
const base = '/api/coderunner/entities/component/default/hello-node/config';

describe('Config API permissions', () => {
  let server: any;
  const auditor = mockServices.auditor.mock();
  const grants = permissionsAllowing();
  const as = grants.allow;

  beforeAll(async () => {
    ({ server } = await startHelloNodeBackend(
      // The grants change between one user's requests: no read decision is reused here
      // (EntityGuard.test covers the reuse).
      { environments: ['dev', 'prod'], accessCache: { readSeconds: 0 } },
      [grants.factory, auditor.factory],
    ));
    as('config.read', 'config.write');
    await seedConfig(server, base, [
      { scope: 'prod', name: 'API_TOKEN', value: SECRET, secret: true },
      { scope: 'shared', name: 'GREETING', value: 'hi' },
    ]);
  });

  const cases: [string, string[], number, () => request.Test][] = [
    ['read config', [], 403, () => request(server).get(base)],
    ['read config', ['config.read'], 200, () => request(server).get(base)],
    [
      'save',
      ['config.read'],
      403,
      () =>
        request(server)
          .post(`${base}/changes`)
          .send({ changes: [{ scope: 'dev', name: 'A', value: '1' }] }),
    ],
    [
      'save',
      ['config.write'],
      202,
      () =>
        request(server)
          .post(`${base}/changes`)
          .send({ changes: [{ scope: 'dev', name: 'B', value: '1' }] }),
    ],
    [
      'save and apply',
      ['config.write'],
      403,
      () =>
        request(server)
          .post(`${base}/changes`)
          .send({
            apply: true,
            changes: [{ scope: 'dev', name: 'C', value: '1' }],
          }),
    ],
    [
      'save and apply',
      ['config.write', 'deployment.deploy'],
      202,
      () =>
        request(server)
          .post(`${base}/changes`)
          .send({
            apply: true,
            changes: [{ scope: 'dev', name: 'D', value: '1' }],
          }),
    ],
    [
      'roll back',
      ['config.read'],
      403,
      () => request(server).post(`${base}/rollback`).send({ version: 1 }),
    ],
    [
      'reveal',
      ['config.read', 'config.write'],
      403,
      () =>
        request(server)
          .post(`${base}/reveal`)
          .send({ scope: 'prod', name: 'API_TOKEN' }),
    ],
    [
      'reveal',
      ['config.read', 'secret.reveal'],
      200,
      () =>
        request(server)
          .post(`${base}/reveal`)
          .send({ scope: 'prod', name: 'API_TOKEN' }),
    ],
    [
      'export with secrets',
      ['config.read'],
      403,
      () =>
        request(server).get(
          `${base}/export?scope=prod&format=env&includeSecrets=true`,
        ),
    ],
    [
      'export with secrets',
      ['config.read', 'secret.reveal'],
      200,
      () =>
        request(server).get(
          `${base}/export?scope=prod&format=env&includeSecrets=true`,
        ),
    ],
    [
      'export without secrets',
      ['config.read'],
      200,
      () => request(server).get(`${base}/export?scope=prod&format=env`),
    ],
    // As the Config tab sends it: includeSecrets is always there, typed as a boolean by the spec.
    [
      'export with includeSecrets=false',
      ['config.read'],
      200,
      () =>
        request(server).get(
          `${base}/export?scope=prod&format=yaml&includeSecrets=false`,
        ),
    ],
    ['history', [], 403, () => request(server).get(`${base}/audit`)],
    [
      'history',
      ['config.read'],
      200,
      () => request(server).get(`${base}/audit`),
    ],
    [
      'versions',
      ['config.read'],
      200,
      () => request(server).get(`${base}/versions`),
    ],
    [
      'import preview',
      ['config.read'],
      403,
      () =>
        request(server)
          .post(`${base}/import/preview`)
          .send({ scope: 'dev', format: 'env', content: 'A=1' }),
    ],
    [
      'import preview',
      ['config.write'],
      200,
      () =>
        request(server)
          .post(`${base}/import/preview`)
          .send({ scope: 'dev', format: 'env', content: 'A=1' }),
    ],
    [
      'template preview',
      ['config.read'],
      403,
      () =>
        request(server)
          .post(`${base}/templates/nodejs/preview`)
          .send({ scope: 'dev' }),
    ],
    [
      'template preview',
      ['config.write'],
      200,
      () =>
        request(server)
          .post(`${base}/templates/nodejs/preview`)
          .send({ scope: 'dev' }),
    ],
    ['diff', [], 403, () => request(server).get(`${base}/diff?from=0&to=1`)],
    [
      'diff',
      ['config.read'],
      200,
      () => request(server).get(`${base}/diff?from=0&to=1`),
    ],
    [
      'templates',
      [],
      200,
      () => request(server).get('/api/coderunner/config/templates'),
    ],
    [
      'encryption status',
      [],
      200,
      () => request(server).get('/api/coderunner/config/encryption'),
    ],
  ];

  it.each(cases)(
    '%s with %j answers %p',
    async (_what, permissions, status, send) => {
      as(...permissions);
      const response = await send();
      expect(response.status).toBe(status);
      const mayShowSecret =
        permissions.includes('secret.reveal') && status === 200;
      expect(mayShowSecret || !response.text.includes(SECRET)).toBe(true);
    },
  );

  it('reveals and exports secret values only to those who may, and audits it without the value', async () => {
    as('config.read', 'secret.reveal');
    const revealed = await request(server)
      .post(`${base}/reveal`)
      .send({ scope: 'prod', name: 'API_TOKEN' });
    expect(revealed.body).toEqual({ value: SECRET });
    const exported = await request(server).get(
      `${base}/export?scope=prod&format=env`,
    );
    expect(exported.body).toEqual({
      format: 'env',
      content: '',
      omittedSecrets: ['API_TOKEN'],
    });
    const events = auditor.createEvent.mock.calls.map(([options]) => options);
    expect(events.map(e => e.eventId)).toEqual(
      expect.arrayContaining([
        'config-change',
        'config-reveal',
        'config-export-secrets',
      ]),
    );
    expect(JSON.stringify(events.map(e => e.meta))).not.toContain(SECRET);
    const history = await request(server).get(`${base}/audit?name=API_TOKEN`);
    expect(history.body.items.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['reveal', 'change']),
    );
  });

  it('refuses a bad parameter or body with a 400 naming it, before anything is checked or saved', async () => {
    as('config.read', 'config.write', 'deployment.deploy', 'secret.reveal');
    const versionsBefore = (await request(server).get(`${base}/versions`)).body
      .items.length;
    const refused: [request.Test, string][] = [
      [
        request(server).get(`${base}?version=newest`),
        'request/query/version must be integer',
      ],
      [
        request(server).get(`${base}/diff?from=0&to=-1`),
        'request/query/to must be >= 0',
      ],
      [
        request(server).get(`${base}/diff?from=0`),
        "request/query must have required property 'to'",
      ],
      [
        request(server).get(`${base}/audit?limit=5000`),
        'request/query/limit must be <= 1000',
      ],
      [
        request(server).get(`${base}/audit?actor=me`),
        "Unknown query parameter 'actor'",
      ],
      [
        request(server).get(`${base}/export?scope=prod&format=dotenv`),
        'request/query/format must be equal to one of the allowed values: env, json, yaml',
      ],
      [
        request(server).get(`${base}/export?scope=prod&includeSecrets=1`),
        'request/query/includeSecrets must be boolean',
      ],
      [
        request(server)
          .post(`${base}/changes`)
          .send({ changes: [{ scope: 'dev', name: 'E', value: 1 }] }),
        'request/body/changes/0/value must be string',
      ],
      [
        request(server)
          .post(`${base}/changes`)
          .send({
            changes: [{ scope: 'dev', name: 'E', value: '1' }],
            apply: 'yes',
          }),
        'request/body/apply must be boolean',
      ],
      [
        request(server).post(`${base}/changes`).send({ changes: [] }),
        'request/body/changes must NOT have fewer than 1 items',
      ],
      [
        request(server).post(`${base}/rollback`).send({ version: '1' }),
        'request/body/version must be integer',
      ],
      [
        request(server).post(`${base}/rollback`).send({ to: 1 }),
        "request/body must have required property 'version'",
      ],
      [
        request(server)
          .post(`${base}/import/preview`)
          .send({ scope: 'dev', format: 'ini', content: 'A=1' }),
        'request/body/format must be equal to one of the allowed values: env, json, yaml',
      ],
      [
        request(server).post(`${base}/templates/nodejs/preview`).send({}),
        "request/body must have required property 'scope'",
      ],
      [
        request(server).post(`${base}/reveal`).send({ name: 'API_TOKEN' }),
        "request/body must have required property 'scope'",
      ],
    ];
    for (const [send, message] of refused) {
      const response = await send;
      expect({
        url: response.request.url,
        status: response.status,
        message: response.body.error?.message,
      }).toEqual({
        url: response.request.url,
        status: 400,
        message,
      });
    }
    expect(
      (await request(server).get(`${base}/versions`)).body.items,
    ).toHaveLength(versionsBefore);
  });

  it('answers what the spec says it answers', async () => {
    as('config.read', 'config.write', 'secret.reveal');
    // Real answers of the plugin, replayed through a router that validates responses against
    // the spec: a field missing, mistyped or outside its enum fails the replay.
    const calls: [
      method: 'get' | 'post',
      path: string,
      status: number,
      body?: object,
    ][] = [
      ['get', '/config/templates', 200],
      ['get', '/config/encryption', 200],
      ['get', '/entities/component/default/hello-node/config', 200],
      ['get', '/entities/component/default/hello-node/config?version=1', 200],
      ['get', '/entities/component/default/hello-node/config/versions', 200],
      [
        'get',
        '/entities/component/default/hello-node/config/diff?from=0&to=1',
        200,
      ],
      ['get', '/entities/component/default/hello-node/config/audit', 200],
      [
        'get',
        '/entities/component/default/hello-node/config/export?scope=prod&format=json',
        200,
      ],
      [
        'post',
        '/entities/component/default/hello-node/config/import/preview',
        200,
        {
          scope: 'shared',
          format: 'env',
          content: 'GREETING=hello\nNEW=1\nbad line',
          mode: 'replace',
        },
      ],
      [
        'post',
        '/entities/component/default/hello-node/config/templates/nodejs/preview',
        200,
        { scope: 'dev' },
      ],
      [
        'post',
        '/entities/component/default/hello-node/config/changes',
        202,
        {
          changes: [{ scope: 'dev', name: 'SPEC_CHECK', value: '1' }],
          message: 'spec check',
        },
      ],
      [
        'post',
        '/entities/component/default/hello-node/config/rollback',
        202,
        { version: 1 },
      ],
      [
        'post',
        '/entities/component/default/hello-node/config/reveal',
        200,
        { scope: 'prod', name: 'API_TOKEN' },
      ],
    ];
    const answers = new Map<string, { status: number; body: unknown }>();
    for (const [method, path, status, body] of calls) {
      const response = await request(server)
        [method](`/api/coderunner${path}`)
        .send(body);
      expect({ path, status: response.status }).toEqual({ path, status });
      answers.set(`${method.toUpperCase()} ${path}`, {
        status: response.status,
        body: response.body,
      });
    }
    const replay = await createOpenApiRouter({
      validatorOptions: { validateResponses: true },
    });
    replay.use((req, res) => {
      const answer = answers.get(`${req.method} ${req.originalUrl}`)!;
      res.status(answer.status).json(answer.body);
    });
    const app = express().use(replay).use(mockErrorHandler());
    for (const [method, path, , body] of calls) {
      const answer = answers.get(`${method.toUpperCase()} ${path}`)!;
      const replayed = await request(app)[method](path).send(body);
      expect({ path, status: replayed.status, body: replayed.body }).toEqual({
        path,
        status: answer.status,
        body: answer.body,
      });
    }
  });

  it('explains bad input with 400 and what to fix', async () => {
    as('config.write');
    const response = await request(server)
      .post(`${base}/changes`)
      .send({ changes: [{ scope: 'dev', name: 'PORT', value: '1' }] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('PORT is reserved');
  });
});
