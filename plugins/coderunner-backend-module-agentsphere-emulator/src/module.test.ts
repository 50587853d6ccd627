import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AgentSphereEndpoint,
  coderunnerRuntimeExtensionPoint,
} from '@coderunner/plugin-coderunner-node';
import { startEmulator } from '@coderunner/agentsphere-emulator';
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

  it('uses the emulator already running at coderunner.emulator.url, and leaves it running', async () => {
    const port = await freePort();
    const shared = await startEmulator({
      port,
      host: '127.0.0.1',
      allowInternetAccess: false,
      apiKey: 'shared-key',
      log: () => undefined,
    });
    try {
      const backends = [];
      const recorded = [];
      // Two backends (as two replicas would) on the one emulator, by app-config alone.
      for (let i = 0; i < 2; i++) {
        const { plugin, set } = recordingPlugin();
        recorded.push(set);
        backends.push(
          await startTestBackend({
            features: [
              plugin,
              coderunnerModuleAgentsphereEmulator,
              mockServices.rootConfig.factory({
                data: {
                  coderunner: {
                    emulator: { url: shared.url, apiKey: 'shared-key' },
                  },
                },
              }),
            ],
          }),
        );
      }
      for (const set of recorded) {
        expect(set).toEqual([
          {
            endpoint: { domain: 'agentsphere.test', apiKey: 'shared-key' },
            name: 'agentsphere-emulator',
          },
        ]);
      }
      expect(await listSandboxes(recorded[0][0].endpoint, 'shared-key')).toBe(
        200,
      );
      // Last started first: each backend's route restores the one installed before it.
      for (const backend of backends.reverse()) await backend.stop();
      // It was not this backend's to stop.
      expect(await answers(port)).toBe(true);
    } finally {
      await shared.stop();
    }
  });

  it.each([
    [
      { url: 'http://127.0.0.1:7070' },
      /coderunner\.emulator\.url needs coderunner\.emulator\.apiKey, the key the emulator at http:\/\/127\.0\.0\.1:7070 requires/,
    ],
    [
      { url: 'https://emulator.example.com', apiKey: 'k' },
      /coderunner\.emulator\.url must be the plain HTTP address of a running emulator \(scheme, host and port only, no user, path or query\), such as http:\/\/127\.0\.0\.1:7070; got 'https:\/\/emulator\.example\.com'/,
    ],
    [
      // The password is not repeated in the message (it ends up in the backend's log).
      { url: 'http://admin:hunter2@127.0.0.1:7070', apiKey: 'k' },
      /coderunner\.emulator\.url must be the plain HTTP address .*; got 'http:\/\/…@127\.0\.0\.1:7070'/,
    ],
    [
      { url: 'http://127.0.0.1:7070/api?x=1', apiKey: 'k' },
      /coderunner\.emulator\.url must be the plain HTTP address .*; got 'http:\/\/127\.0\.0\.1:7070\/api\?x=1'/,
    ],
    [
      { url: 'http://127.0.0.1:99999', apiKey: 'k' },
      /coderunner\.emulator\.url must be the plain HTTP address .*; got 'http:\/\/127\.0\.0\.1:99999'/,
    ],
    [
      { url: 'http://127.0.0.1:7070', apiKey: 'k', domain: 'example.com' },
      /coderunner\.emulator\.domain must be a name under the reserved \.test domain, such as agentsphere\.test; got 'example\.com'/,
    ],
  ])(
    'refuses emulator settings %j, naming the key',
    async (emulator, message) => {
      const { plugin, set } = recordingPlugin();
      await expect(
        startTestBackend({
          features: [
            plugin,
            coderunnerModuleAgentsphereEmulator,
            mockServices.rootConfig.factory({
              data: { coderunner: { emulator } },
            }),
          ],
        }),
      ).rejects.toThrow(message);
      expect(set).toEqual([]);
    },
  );

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
