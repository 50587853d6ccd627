import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';
import { emulatorFromConfig } from './emulatorFromConfig';

/**
 * Runs CodeRunner on a local AgentSphere emulator when no API key is
 * configured, so a development portal deploys for real on a laptop. With
 * `coderunner.agentsphere.apiKey` set it does nothing and the plugin uses
 * AgentSphere itself. With `NODE_ENV=production` it refuses to start unless
 * `coderunner.runtime.allowEmulatorInProduction` is true.
 *
 * It starts the emulator, or, with `coderunner.emulator.url` (and `apiKey`),
 * uses one already running there, so that several backend replicas share one
 * emulator as they would share AgentSphere. The plugin keeps its own
 * AgentSphere runtime (and its app-config for templates, lifetimes, retries
 * and the circuit breaker), pointed at the emulator's domain and key. An
 * emulator the module started stops after the plugin has shut down, so the
 * plugin's last calls still reach it.
 *
 * @public
 */
export const coderunnerModuleAgentsphereEmulator = createBackendModule({
  pluginId: 'coderunner',
  moduleId: 'agentsphere-emulator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        rootLifecycle: coreServices.rootLifecycle,
        runtime: coderunnerRuntimeExtensionPoint,
      },
      async init({ config, logger, rootLifecycle, runtime }) {
        if (config.getOptionalString('coderunner.agentsphere.apiKey')) {
          logger.info(
            'coderunner.agentsphere.apiKey is set: not starting the AgentSphere emulator',
          );
          return;
        }
        const emulator = await emulatorFromConfig(config, { logger });
        try {
          runtime.setAgentSphereEndpoint(emulator.endpoint, {
            name: 'agentsphere-emulator',
          });
        } catch (error) {
          // Another module set the runtime: start-up fails, and the emulator goes with it.
          await emulator.stop();
          throw error;
        }
        logger.info(
          emulator.started
            ? `CodeRunner runtime: agentsphere-emulator at ${emulator.url} (isolation: ${emulator.isolation}); set coderunner.agentsphere.apiKey to use AgentSphere`
            : `CodeRunner runtime: the agentsphere-emulator already running at ${emulator.url} (coderunner.emulator.url); set coderunner.agentsphere.apiKey to use AgentSphere`,
        );
        // The root lifecycle shuts down after every plugin: the plugin closes its runtime first.
        rootLifecycle.addShutdownHook(() => emulator.stop());
      },
    });
  },
});
