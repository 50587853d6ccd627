import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Emulator } from '@coderunner/agentsphere-emulator';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';
import { AgentSphereRuntime } from '../runtime';

/**
 * A backend module that runs the plugin's sandboxes on `emulator`, through the real SDK; or on
 * `runtime`, a runtime the test made for the emulator (with its own retry or breaker settings).
 */
export function emulatorRuntimeModule(
  emulator: Emulator,
  runtime?: AgentSphereRuntime,
) {
  return createBackendModule({
    pluginId: 'coderunner',
    moduleId: 'test-runtime',
    register(reg) {
      reg.registerInit({
        deps: { extension: coderunnerRuntimeExtensionPoint },
        async init({ extension }) {
          extension.setRuntime(
            runtime ??
              AgentSphereRuntime.create({
                logger: mockServices.logger.mock(),
                apiKey: emulator.apiKey,
                domain: emulator.domain,
              }),
            { name: 'agentsphere-emulator' },
          );
        },
      });
    },
  });
}
