import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  SandboxRuntime,
  coderunnerRuntimeExtensionPoint,
} from '@coderunner/plugin-coderunner-node';
import net from 'node:net';
import { coderunnerModuleAgentsphereEmulator } from './module';

/** Stands in for the coderunner plugin: records the runtime a module hands it. */
function recordingPlugin() {
  const set: Array<{ runtime: SandboxRuntime; name: string }> = [];
  const plugin = createBackendPlugin({
    pluginId: 'coderunner',
    register(env) {
      env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
        setRuntime(runtime, options) {
          set.push({ runtime, name: options.name });
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, set };
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

  it('starts the emulator, hands the plugin a runtime on it, and stops it at shutdown', async () => {
    const port = await freePort();
    const { plugin, set } = recordingPlugin();
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
    expect(set.map(s => s.name)).toEqual(['agentsphere-emulator']);
    expect(await answers(port)).toBe(true);
    await backend.stop();
    expect(await answers(port)).toBe(false);
  });

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
