import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AgentSphereEndpoint,
  coderunnerRuntimeExtensionPoint,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import emulatorModule from '@coderunner/plugin-coderunner-backend-module-agentsphere-emulator';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { localComponent } from './__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from './plugin';

jest.setTimeout(120_000);

const examples = path.resolve(__dirname, '../../../examples');
const base = '/api/coderunner/entities/component/default';

/** A module that chooses the runtime: a runtime of its own, or an AgentSphere endpoint. */
function runtimeModule(
  moduleId: string,
  choice:
    | { runtime: SandboxRuntime }
    | { endpoint: AgentSphereEndpoint; after?: Promise<void> },
) {
  return createBackendModule({
    pluginId: 'coderunner',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { extension: coderunnerRuntimeExtensionPoint },
        async init({ extension }) {
          if ('runtime' in choice) {
            extension.setRuntime(choice.runtime, { name: moduleId });
          } else {
            await choice.after;
            extension.setAgentSphereEndpoint(choice.endpoint, {
              name: moduleId,
            });
          }
        },
      });
    },
  });
}

/** A runtime for start-ups that must fail before the plugin uses it. */
const unusedRuntime = {} as SandboxRuntime;

function startBackend(
  features: BackendFeature[],
  coderunner: Record<string, unknown> = {},
) {
  return startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({
        entities: [localComponent('static-site', `${examples}/static-site`)],
      }),
      ...features,
      mockServices.rootConfig.factory({
        data: {
          coderunner: {
            environments: ['development'],
            gateway: { port: 0 },
            source: { localRoots: [examples] },
            ...coderunner,
          },
        },
      }),
    ],
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether anything answers HTTP on the port. */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/_emulator`).then(
    () => true,
    () => false,
  );
}

describe('coderunnerRuntimeExtensionPoint', () => {
  it('fails start-up naming the first module when the emulator module comes second, and the emulator stops', async () => {
    const port = await freePort();
    await expect(
      startBackend(
        [runtimeModule('my-cloud', { runtime: unusedRuntime }), emulatorModule],
        { emulator: { port, allowInternetAccess: false } },
      ),
    ).rejects.toThrow(
      /The CodeRunner runtime is already set to my-cloud; only one module may set it/,
    );
    expect(await answers(port)).toBe(false);
  });

  it('fails start-up naming the module that set an endpoint when another sets a runtime', async () => {
    let endpointSet = () => {};
    const endpointModule = createBackendModule({
      pluginId: 'coderunner',
      moduleId: 'first-endpoint',
      register(reg) {
        reg.registerInit({
          deps: { extension: coderunnerRuntimeExtensionPoint },
          async init({ extension }) {
            extension.setAgentSphereEndpoint(
              { domain: 'agentsphere.example', apiKey: 'key' },
              { name: 'first-endpoint' },
            );
            endpointSet();
          },
        });
      },
    });
    const afterEndpoint = new Promise<void>(resolve => {
      endpointSet = resolve;
    });
    // The second choice waits for the first, so the order does not depend on start-up order.
    const second = runtimeModule('second-endpoint', {
      endpoint: { domain: 'other.example', apiKey: 'key' },
      after: afterEndpoint,
    });
    await expect(startBackend([second, endpointModule])).rejects.toThrow(
      /The CodeRunner runtime is already set to first-endpoint; only one module may set it/,
    );
  });

  it('fails start-up naming the field when an endpoint has no key or domain', async () => {
    await expect(
      startBackend([
        runtimeModule('keyless', {
          endpoint: { domain: 'agentsphere.example', apiKey: '' },
        }),
      ]),
    ).rejects.toThrow(
      /setAgentSphereEndpoint \(runtime keyless\) needs endpoint\.apiKey, a non-empty string/,
    );
    await expect(
      startBackend([
        runtimeModule('domainless', {
          endpoint: { domain: '', apiKey: 'key' },
        }),
      ]),
    ).rejects.toThrow(/needs endpoint\.domain/);
  });

  it('runs the plugin on the emulator module: /health names agentsphere-emulator healthy, a deploy gets ready, and it all stops', async () => {
    const port = await freePort();
    const backend = await startBackend([emulatorModule], {
      emulator: { port, allowInternetAccess: false },
      // The module's endpoint replaces the configured domain.
      agentsphere: { domain: 'agentsphere.invalid' },
    });
    const { server } = backend;
    const health = () =>
      request(server).get('/api/coderunner/health').set('authorization', '');

    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      runtime: 'agentsphere-emulator',
      components: { agentsphere: { status: 'ok' } },
    });
    // The plugin's own AgentSphere runtime, which /health checks (a module's runtime is not).
    expect(up.body.components.agentsphere.detail).toMatch(
      /^circuit breaker closed/,
    );

    const deployed = await request(server)
      .post(`${base}/static-site/deployments/development/deploy`)
      .send({});
    expect(deployed.status).toBe(202);
    let deployment;
    for (let i = 0; i < 600; i++) {
      const listed = await request(server).get(
        `${base}/static-site/deployments`,
      );
      deployment = listed.body.items[0];
      if (deployment?.status === 'ready' || deployment?.status === 'failed') {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(deployment).toMatchObject({
      status: 'ready',
      instances: [{ state: 'ready' }],
    });
    const afterDeploy = await health();
    expect(afterDeploy.body.components.agentsphere).toEqual({
      status: 'ok',
      detail: expect.stringMatching(/last call ok/),
    });

    // The plugin closes its runtime, then the module stops the emulator.
    await backend.stop();
    expect(await answers(port)).toBe(false);
  });
});
