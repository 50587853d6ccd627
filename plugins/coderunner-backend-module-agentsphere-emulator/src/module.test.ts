import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AgentSphereEndpoint,
  coderunnerRuntimeExtensionPoint,
} from '@coderunner/plugin-coderunner-node';
import net from 'node:net';
import { coderunnerModuleAgentsphereEmulator } from './module';

// Starts the emulator and a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

/**
 * Stands in for the coderunner plugin: records the endpoint a module points its runtime at
 * (a module handing it a whole runtime fails the test), refuses it with `refusal` if given, and
 * runs `atShutdown` in its own shutdown hook, as the plugin closes its runtime there.
 */
function recordingPlugin(
  options: { refusal?: string; atShutdown?: () => Promise<void> } = {},
) {
  const set: Array<{ endpoint: AgentSphereEndpoint; name: string }> = [];
  const plugin = createBackendPlugin({
    pluginId: 'coderunner',
    register(env) {
      env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
        setRuntime() {
          throw new Error('the emulator module should not build a runtime');
        },
        setAgentSphereEndpoint(endpoint, { name }) {
          if (options.refusal) throw new Error(options.refusal);
          set.push({ endpoint, name });
        },
      });
      env.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          const { atShutdown } = options;
          if (atShutdown) lifecycle.addShutdownHook(atShutdown);
        },
      });
    },
  });
  return { plugin, set };
}

/** Lists sandboxes at `https://api.<domain>`, as the AgentSphere SDK calls it; the status. */
async function listSandboxes(endpoint: AgentSphereEndpoint, apiKey: string) {
  const response = await fetch(`https://api.${endpoint.domain}/sandboxes`, {
    headers: { 'X-API-KEY': apiKey },
  });
  return response.status;
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

async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/_emulator`).then(
    () => true,
    () => false,
  );
}

describe('coderunnerModuleAgentsphereEmulator', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('starts the emulator, points the plugin at it, and stops it after the plugin has shut down', async () => {
    const port = await freePort();
    let answeredAtPluginShutdown: boolean | undefined;
    const { plugin, set } = recordingPlugin({
      atShutdown: async () => {
        answeredAtPluginShutdown = await answers(port);
      },
    });
    const backend = await startTestBackend({
      features: [
        plugin,
        coderunnerModuleAgentsphereEmulator,
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              emulator: { port, allowInternetAccess: false },
            },
          },
        }),
      ],
    });
    expect(set).toEqual([
      {
        endpoint: { domain: 'agentsphere.test', apiKey: expect.any(String) },
        name: 'agentsphere-emulator',
      },
    ]);
    const { endpoint } = set[0];
    // The domain reaches the emulator, which takes this key and no other.
    expect(await listSandboxes(endpoint, endpoint.apiKey)).toBe(200);
    expect(await listSandboxes(endpoint, `${endpoint.apiKey}x`)).toBe(401);
    await backend.stop();
    expect(answeredAtPluginShutdown).toBe(true);
    expect(await answers(port)).toBe(false);
  }, 60_000);

  it('stops the emulator when the plugin refuses the endpoint, failing start-up', async () => {
    const port = await freePort();
    const { plugin } = recordingPlugin({
      refusal: 'The CodeRunner runtime is already set to another-runtime',
    });
    await expect(
      startTestBackend({
        features: [
          plugin,
          coderunnerModuleAgentsphereEmulator,
          mockServices.rootConfig.factory({
            data: {
              coderunner: { emulator: { port, allowInternetAccess: false } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/already set to another-runtime/);
    expect(await answers(port)).toBe(false);
  }, 60_000);

  it('does nothing when an AgentSphere API key is configured', async () => {
    const port = await freePort();
    const { plugin, set } = recordingPlugin();
    const backend = await startTestBackend({
      features: [
        plugin,
        coderunnerModuleAgentsphereEmulator,
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              agentsphere: { apiKey: 'a-real-key' },
              emulator: { port },
            },
          },
        }),
      ],
    });
    expect(set).toEqual([]);
    expect(await answers(port)).toBe(false);
    await backend.stop();
  });

  it('refuses an unknown isolation, naming the key and the allowed values', async () => {
    const { plugin } = recordingPlugin();
    await expect(
      startTestBackend({
        features: [
          plugin,
          coderunnerModuleAgentsphereEmulator,
          mockServices.rootConfig.factory({
            data: { coderunner: { emulator: { isolation: 'docker' } } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /coderunner\.emulator\.isolation must be one of auto, bubblewrap, none, not 'docker'/,
    );
  });

  it('refuses to run with NODE_ENV=production unless allowed', async () => {
    process.env.NODE_ENV = 'production';
    const { plugin, set } = recordingPlugin();
    await expect(
      startTestBackend({
        features: [
          plugin,
          coderunnerModuleAgentsphereEmulator,
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }),
    ).rejects.toThrow(/allowEmulatorInProduction/);
    expect(set).toEqual([]);
  });
});
