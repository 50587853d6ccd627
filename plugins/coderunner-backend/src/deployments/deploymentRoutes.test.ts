import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockErrorHandler,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';
import express from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from '../plugin';
import { AgentSphereRuntime } from '../runtime';
import { createOpenApiRouter } from '../schema/openapi.generated';

jest.setTimeout(120_000);

const examples = path.resolve(__dirname, '../../../../examples');
const brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-broken-'));
fs.writeFileSync(
  path.join(brokenDir, 'coderunner.yaml'),
  'apiVersion: coderunner.io/v1\nrun:\n  comand: node server.js\n  port: 3000\n',
);

const entities = [
  localComponent('hello-node', path.join(examples, 'hello-node')),
  localComponent('hidden-node', path.join(examples, 'hello-node')),
  localComponent('broken', brokenDir),
];
const base = '/api/coderunner/entities/component/default';

describe('Deployments API', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  async function startBackend(
    options: {
      result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      mutationsPerMinute?: number;
      /** Decides each permission request itself (instead of `result` for all). */
      decide?: (
        permission: string,
        resourceRef?: string,
      ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    } = {},
  ) {
    const runtimeModule = createBackendModule({
      pluginId: 'coderunner',
      moduleId: 'test-runtime',
      register(reg) {
        reg.registerInit({
          deps: { runtime: coderunnerRuntimeExtensionPoint },
          async init({ runtime }) {
            runtime.setRuntime(
              AgentSphereRuntime.create({
                logger: mockServices.logger.mock(),
                apiKey: env.emulator.apiKey,
                domain: env.emulator.domain,
              }),
              { name: 'agentsphere-emulator' },
            );
          },
        });
      },
    });
    return startTestBackend({
      features: [
        coderunnerPlugin,
        runtimeModule,
        catalogServiceMock.factory({ entities }),
        options.decide
          ? mockServices.permissions.mock({
              // The decision depends on the entity: conditional for the permission as such.
              authorizeConditional: async queries =>
                queries.map(() => ({
                  result: AuthorizeResult.CONDITIONAL,
                  pluginId: 'catalog',
                  resourceType: 'catalog-entity',
                  conditions: {
                    rule: 'IS_ENTITY_OWNER',
                    resourceType: 'catalog-entity',
                    params: { claims: [] },
                  },
                })) as any,
              authorize: async requests =>
                requests.map(r => ({
                  result: options.decide!(
                    r.permission.name,
                    (r as { resourceRef?: string }).resourceRef,
                  ),
                })) as any,
            }).factory
          : mockServices.permissions.factory({
              result: options.result ?? AuthorizeResult.ALLOW,
            }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              environments: ['development', 'production'],
              gateway: { port: 0 },
              source: { localRoots: [examples, brokenDir] },
              rateLimit: {
                mutationsPerMinute: options.mutationsPerMinute ?? 60,
              },
            },
          },
        }),
      ],
    });
  }

  it('deploys, lists, reports readiness with a URL, restarts, stops and deletes', async () => {
    const backend = await startBackend();
    const { server } = backend;

    const deployed = await request(server)
      .post(`${base}/hello-node/deployments/development/deploy`)
      .send({});
    expect(deployed.status).toBe(202);
    expect(deployed.body.release).toMatchObject({
      number: 1,
      status: 'pending',
    });
    expect(deployed.body.deployment).toMatchObject({
      entityRef: 'component:default/hello-node',
      environment: 'development',
      status: 'deploying',
    });

    let deployment;
    for (let i = 0; i < 300; i++) {
      const listed = await request(server).get(
        `${base}/hello-node/deployments`,
      );
      deployment = listed.body.items[0];
      if (deployment?.status === 'ready') break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(deployment).toMatchObject({
      status: 'ready',
      activeRelease: { number: 1, status: 'built' },
      instances: [{ state: 'ready', releaseNumber: 1 }],
    });
    expect(deployment.url).toMatch(
      /^http:\/\/hello-node\.development\.localhost:\d+\/$/,
    );

    // Both lists answer compact JSON joined from each deployment's kept text: the same text as
    // JSON.stringify of the answer, read again the same, and what the spec documents.
    const lists = [
      '/deployments',
      '/entities/component/default/hello-node/deployments',
    ];
    for (const list of lists) {
      const first = await request(server).get(`/api/coderunner${list}`);
      expect(first.status).toBe(200);
      expect(first.text).toBe(JSON.stringify(first.body));
      expect(first.body.items).toEqual([deployment]);
      const again = await request(server).get(`/api/coderunner${list}`);
      expect(again.text).toBe(first.text);
      const validating = await createOpenApiRouter({
        validatorOptions: { validateResponses: true },
      });
      validating.use((_req, res) => res.json(first.body));
      const checked = await request(
        express().use(validating).use(mockErrorHandler()),
      ).get(list);
      expect(checked.status).toBe(200);
      expect(checked.body).toEqual(first.body);
    }

    const releases = await request(server).get(
      `${base}/hello-node/deployments/development/releases`,
    );
    expect(
      releases.body.items.map((r: { number: number }) => r.number),
    ).toEqual([1]);

    const logs = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build`,
    );
    expect(logs.status).toBe(200);
    expect(logs.body.items[0].line).toBe('Building release 1');
    // Compact JSON; read again (its lines now from the store's cache), the same text.
    expect(logs.text).toBe(JSON.stringify(logs.body));
    const logsAgain = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build`,
    );
    expect(logsAgain.text).toBe(logs.text);
    // Its ETag is the store's (made of the lines' numbers, not a hash of the text): asked
    // with it, the page is answered 304; another page has another.
    expect(logsAgain.headers.etag).toMatch(/^W\/"/);
    // (The first answer, read whole, has express's hash of the same text.)
    expect(logsAgain.headers.etag).not.toBe(logs.headers.etag);
    // A third time the page is the one kept whole (its bytes sent as they are): JSON with its
    // length, the same text and tag, and the same headers without a body for HEAD.
    const kept = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build`,
    );
    expect(kept.text).toBe(logs.text);
    expect(kept.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(kept.headers['content-length']).toBe(
      String(Buffer.byteLength(logs.text)),
    );
    expect(kept.headers.etag).toBe(logsAgain.headers.etag);
    const head = await request(server).head(
      `${base}/hello-node/deployments/development/logs?stream=build`,
    );
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expect(head.headers.etag).toBe(logsAgain.headers.etag);
    expect(head.headers['content-length']).toBe(kept.headers['content-length']);
    const unchanged = await request(server)
      .get(`${base}/hello-node/deployments/development/logs?stream=build`)
      .set('If-None-Match', logsAgain.headers.etag);
    expect(unchanged.status).toBe(304);
    const shorter = await request(server)
      .get(
        `${base}/hello-node/deployments/development/logs?stream=build&limit=1`,
      )
      .set('If-None-Match', logsAgain.headers.etag);
    expect(shorter.status).toBe(200);
    expect(shorter.body.items).toEqual(logs.body.items.slice(0, 1));
    // The answer is what the spec documents: replayed through a router that validates responses.
    const replay = await createOpenApiRouter({
      validatorOptions: { validateResponses: true },
    });
    replay.use((_req, res) => res.json(logs.body));
    const replayed = await request(
      express().use(replay).use(mockErrorHandler()),
    ).get(
      '/entities/component/default/hello-node/deployments/development/logs?stream=build',
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(logs.body);

    // Lists as the frontend sends them (comma-separated) and as curl users may (repeated).
    const history = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build%2Csystem`,
    );
    expect(history.status).toBe(200);
    expect(
      new Set(history.body.items.map((l: { stream: string }) => l.stream)),
    ).toEqual(new Set(['build', 'system']));
    const firstTwo = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build%2Csystem&limit=2`,
    );
    expect(firstTwo.body.items).toEqual(history.body.items.slice(0, 2));
    const next = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=build&stream=system&after=${firstTwo.body.lastSeq}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.items.slice(0, history.body.items.length - 2)).toEqual(
      history.body.items.slice(2),
    );
    const download = await request(server).get(
      `${base}/hello-node/deployments/development/logs/download?format=ndjson&stream=build`,
    );
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/x-ndjson');
    expect(JSON.parse(download.text.split('\n')[0])).toMatchObject({
      stream: 'build',
      line: 'Building release 1',
    });
    // Search runs on the server over the whole history, with the filters.
    const found = await request(server).get(
      `${base}/hello-node/deployments/development/logs/search?q=BUILDING%20release&stream=build`,
    );
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ seqs: [logs.body.items[0].seq] });
    const noText = await request(server).get(
      `${base}/hello-node/deployments/development/logs/search`,
    );
    expect(noText.status).toBe(400);
    expect(noText.body.error.message).toContain('q');

    const all = await request(server).get('/api/coderunner/deployments');
    expect(all.body.items).toHaveLength(1);

    const current = async () =>
      (await request(server).get(`${base}/hello-node/deployments`)).body
        .items[0] as
        | {
            status: string;
            instances: { id: string; sandboxId?: string; state: string }[];
          }
        | undefined;
    const eventually = async <T>(
      what: string,
      check: () => Promise<T | false | undefined>,
    ) => {
      for (let i = 0; i < 600; i++) {
        const value = await check();
        if (value) return value;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      throw new Error(
        `Timed out waiting for ${what}: ${JSON.stringify(await current())}`,
      );
    };

    // Restart: the instance is replaced by one in a new sandbox, and the old sandbox is killed.
    const before = deployment.instances[0];
    expect(
      (
        await request(server)
          .post(`${base}/hello-node/deployments/development/restart`)
          .send()
      ).status,
    ).toBe(202);
    const restarted = await eventually('a restarted instance', async () => {
      const d = await current();
      const ready = d?.instances.filter(i => i.state === 'ready') ?? [];
      return (
        d?.status === 'ready' &&
        d.instances.length === 1 &&
        ready[0]?.sandboxId !== before.sandboxId &&
        ready[0]
      );
    });
    expect(restarted.sandboxId).toBeDefined();
    await eventually(
      'the old sandbox to be killed',
      async () => !env.emulator.sandboxIds().includes(before.sandboxId!),
    );

    // Stop: no instance, no sandbox, status stopped.
    expect(
      (
        await request(server)
          .post(`${base}/hello-node/deployments/development/stop`)
          .send()
      ).status,
    ).toBe(202);
    await eventually('the deployment to stop', async () => {
      const d = await current();
      return d?.status === 'stopped' && d.instances.length === 0;
    });
    await eventually(
      'its sandbox to be killed',
      async () => !env.emulator.sandboxIds().includes(restarted.sandboxId!),
    );

    // Delete: the deployment is gone.
    const deleted = await request(server).delete(
      `${base}/hello-node/deployments/development`,
    );
    expect(deleted.status).toBe(202);
    expect(deleted.body.deployment.desiredState).toBe('deleted');
    await eventually(
      'the deployment to be deleted',
      async () => (await current()) === undefined,
    );
    await backend.stop();
  });

  it('lists on the global page only the deployments of entities the user may read', async () => {
    const backend = await startBackend({
      decide: (permission, ref) =>
        permission === 'coderunner.deployment.read' &&
        ref === 'component:default/hidden-node'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const { server } = backend;
    for (const name of ['hello-node', 'hidden-node']) {
      expect(
        (
          await request(server)
            .post(`${base}/${name}/deployments/development/deploy`)
            .send({})
        ).status,
      ).toBe(202);
    }
    const all = await request(server).get('/api/coderunner/deployments');
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((d: { entityRef: string }) => d.entityRef),
    ).toEqual(['component:default/hello-node']);
    const hidden = await request(server).get(`${base}/hidden-node/deployments`);
    expect(hidden.status).toBe(403);
    await backend.stop();
  });

  it('answers bad input with a 4xx that says what to fix', async () => {
    const backend = await startBackend();
    const { server } = backend;

    const unknownEnv = await request(server)
      .post(`${base}/hello-node/deployments/qa/deploy`)
      .send({});
    expect(unknownEnv.status).toBe(400);
    expect(unknownEnv.body.error.message).toBe(
      'Unknown environment "qa"; use one of development, production.',
    );

    const badCount = await request(server)
      .post(`${base}/hello-node/deployments/development/deploy`)
      .send({ instances: 0 });
    expect(badCount.status).toBe(400);
    expect(badCount.body.error.message).toContain(
      'instances must be a whole number from 1 to 100',
    );

    // Requests are validated against the OpenAPI spec, which the plugin also serves.
    const wrongType = await request(server)
      .post(`${base}/hello-node/deployments/development/deploy`)
      .send({ instances: 'two' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain('instances must be integer');
    const unknownField = await request(server)
      .post(`${base}/hello-node/deployments/development/deploy`)
      .send({ replicas: 2 });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain(
      'must NOT have additional properties',
    );
    const badLimit = await request(server).get(
      `${base}/hello-node/deployments/development/logs?limit=0`,
    );
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toBe(
      'request/query/limit must be >= 1',
    );
    const badStream = await request(server).get(
      `${base}/hello-node/deployments/development/logs?stream=stdout,console`,
    );
    expect(badStream.status).toBe(400);
    expect(badStream.body.error.message).toBe(
      'request/query/stream/1 must be equal to one of the allowed values: build, stdout, stderr, system',
    );
    const badFormat = await request(server).get(
      `${base}/hello-node/deployments/development/logs/download?format=csv`,
    );
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toBe(
      'request/query/format must be equal to one of the allowed values: text, ndjson',
    );
    const spec = await request(server).get('/api/coderunner/openapi.json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/coderunner/entities/{kind}/{namespace}/{name}/deployments/{environment}/deploy',
        '/api/coderunner/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs',
        '/api/coderunner/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/download',
        '/api/coderunner/entities/{kind}/{namespace}/{name}/config/changes',
        '/api/coderunner/stream',
      ]),
    );

    const invalid = await request(server)
      .post(`${base}/broken/deployments/development/deploy`)
      .send({});
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('coderunner.yaml:3:3');
    expect(invalid.body.error.message).toContain("did you mean 'command'");
    // Nothing was recorded for the refused deploy.
    expect(
      (await request(server).get(`${base}/broken/deployments`)).body.items,
    ).toEqual([]);

    const noRelease = await request(server)
      .post(`${base}/hello-node/deployments/production/rollback`)
      .send({ releaseNumber: 3 });
    expect(noRelease.status).toBe(404);

    const noNumber = await request(server)
      .post(`${base}/hello-node/deployments/production/rollback`)
      .send({});
    expect(noNumber.status).toBe(400);
    expect(noNumber.body.error.message).toContain('releaseNumber');
    await backend.stop();
  });

  it('checks the deploy permission and rate-limits changes', async () => {
    const denied = await startBackend({ result: AuthorizeResult.DENY });
    const forbidden = await request(denied.server)
      .post(`${base}/hello-node/deployments/development/deploy`)
      .send({});
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain(
      'coderunner.deployment.deploy',
    );
    expect(
      (await request(denied.server).get(`${base}/hello-node/deployments`))
        .status,
    ).toBe(403);
    await denied.stop();

    const limited = await startBackend({ mutationsPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (
          await request(limited.server)
            .post(`${base}/hello-node/deployments/production/stop`)
            .send({})
        ).status,
      );
    }
    // Stopping a deployment that does not exist is a 404; the third call is over the limit.
    expect(statuses).toEqual([404, 404, 429]);
    await limited.stop();
  });
});
