import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import {
  assertEmulatorAllowed,
  coderunnerRuntimeExtensionPoint,
} from '@coderunner/plugin-coderunner-node';

const EMULATED_DOMAIN = 'agentsphere.test';
const ISOLATIONS = ['auto', 'bubblewrap', 'none'] as const;

/**
 * Runs CodeRunner on a local AgentSphere emulator when no API key is
 * configured, so a development portal deploys for real on a laptop. With
 * `coderunner.agentsphere.apiKey` set it does nothing and the plugin uses
 * AgentSphere itself. With `NODE_ENV=production` it refuses to start unless
 * `coderunner.runtime.allowEmulatorInProduction` is true.
 *
 * The plugin keeps its own AgentSphere runtime (and its app-config for
 * templates, lifetimes, retries and the circuit breaker), pointed at the
 * emulator's domain and key. The emulator stops after the plugin has shut
 * down, so the plugin's last calls still reach it.
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
        assertEmulatorAllowed(config);
        const isolation =
          config.getOptionalString('coderunner.emulator.isolation') ?? 'auto';
        if (!ISOLATIONS.includes(isolation as (typeof ISOLATIONS)[number])) {
          throw new Error(
            `coderunner.emulator.isolation must be one of ${ISOLATIONS.join(
              ', ',
            )}, not '${isolation}'`,
          );
        }
        const emulator = await startEmulator({
          port: config.getOptionalNumber('coderunner.emulator.port') ?? 7070,
          domain: EMULATED_DOMAIN,
          isolation: isolation as (typeof ISOLATIONS)[number],
          allowInternetAccess: config.getOptionalBoolean(
            'coderunner.emulator.allowInternetAccess',
          ),
          apiKey: config.getOptionalString('coderunner.emulator.apiKey'),
          log: message => logger.info(message),
        });
        const route = routeDomainToEmulator(EMULATED_DOMAIN, emulator.url);
        const stop = async () => {
          route.remove();
          await emulator.stop();
        };
        try {
          runtime.setAgentSphereEndpoint(
            { domain: EMULATED_DOMAIN, apiKey: emulator.apiKey },
            { name: 'agentsphere-emulator' },
          );
        } catch (error) {
          // Another module set the runtime: start-up fails, and the emulator goes with it.
          await stop();
          throw error;
        }
        logger.info(
          `CodeRunner runtime: agentsphere-emulator at ${emulator.url} (isolation: ${emulator.isolation}); set coderunner.agentsphere.apiKey to use AgentSphere`,
        );
        // The root lifecycle shuts down after every plugin: the plugin closes its runtime first.
        rootLifecycle.addShutdownHook(stop);
      },
    });
  },
});
