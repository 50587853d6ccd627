import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startHelloNodeBackend } from './__testUtils__/coderunnerBackend';
import { localComponent } from './__testUtils__/OrchestratorHarness';
import path from 'node:path';
import request from 'supertest';
import { coderunnerPlugin } from './plugin';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const examples = path.resolve(__dirname, '../../../examples');

const entities = [
  localComponent('hello-node', `${examples}/hello-node`),
  localComponent('no-manifest', examples),
];

async function startBackend(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory({ result }),
      mockServices.rootConfig.factory({
        data: {
          coderunner: { environments: ['dev', 'prod'], gateway: { port: 0 } },
        },
      }),
    ],
  });
}

describe('coderunner backend plugin', () => {
  it('answers /health without credentials, not ready without an AgentSphere API key', async () => {
    const { server } = await startBackend();
    const response = await request(server)
      .get('/api/coderunner/health')
      .set('authorization', '');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'failing',
      message: 'Not ready: agentsphere failing',
      components: {
        database: { status: 'ok' },
        agentsphere: {
          status: 'failing',
          detail: expect.stringContaining(
            'check coderunner.agentsphere.apiKey',
          ),
        },
      },
    });
  });

  it('refuses to start with a sandbox output buffer out of bounds, naming the key', async () => {
    await expect(
      startHelloNodeBackend({ logs: { sandboxBufferBytes: 1000 } }),
    ).rejects.toThrow(
      'coderunner.logs.sandboxBufferBytes must be a whole number of bytes from 4096 (4 KiB) to 1073741824 (1 GiB); got 1000',
    );
  });

  it('serves the JSON Schema of coderunner.yaml to editors without credentials', async () => {
    const { server } = await startBackend();
    const response = await request(server)
      .get('/api/coderunner/manifest/schema.json')
      .set('authorization', '');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain(
      'application/schema+json',
    );
    const schema = JSON.parse(response.text);
    expect(schema).toMatchObject({
      $id: 'https://coderunner.io/schemas/coderunner.schema.json',
    });
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['apiVersion', 'run', 'build']),
    );
  });

  it('finds the manifest next to a local catalog file', async () => {
    const { server } = await startBackend();
    const response = await request(server).get(
      '/api/coderunner/entities/component/default/hello-node/setup',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/hello-node',
      manifestPath: 'coderunner.yaml',
      manifestFound: true,
      environments: ['dev', 'prod'],
    });
  });

  it('says what is missing when a component has no manifest', async () => {
    const { server } = await startBackend();
    const response = await request(server).get(
      '/api/coderunner/entities/component/default/no-manifest/setup',
    );
    expect(response.status).toBe(200);
    expect(response.body.manifestFound).toBe(false);
    expect(response.body.problem).toContain('There is no coderunner.yaml');
  });

  it('answers 404 for an unknown entity and 403 when the policy denies', async () => {
    const allowed = await startBackend();
    const missing = await request(allowed.server).get(
      '/api/coderunner/entities/component/default/ghost/setup',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('component:default/ghost');

    const denied = await startBackend(AuthorizeResult.DENY);
    const forbidden = await request(denied.server).get(
      '/api/coderunner/entities/component/default/hello-node/setup',
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toContain(
      'coderunner.deployment.read',
    );
  });
});
