import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Emulator } from '@coderunner/agentsphere-emulator';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';
import { AgentSphereRuntime } from '../runtime';

/** A backend module that runs the plugin's sandboxes on `emulator`, through the real SDK. */
export function emulatorRuntimeModule(emulator: Emulator) {
  return createBackendModule({
    pluginId: 'coderunner',
    moduleId: 'test-runtime',
    register(reg) {
      reg.registerInit({
        deps: { extension: coderunnerRuntimeExtensionPoint },
        async init({ extension }) {
          extension.setRuntime(
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
