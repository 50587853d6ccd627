import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import {
  AgentSphereRuntime,
  assertEmulatorAllowed,
} from '@coderunner/plugin-coderunner-backend';
import { coderunnerRuntimeExtensionPoint } from '@coderunner/plugin-coderunner-node';

const EMULATED_DOMAIN = 'agentsphere.test';
const ISOLATIONS = ['auto', 'bubblewrap', 'none'] as const;

/**
 * Runs CodeRunner on a local AgentSphere emulator when no API key is
 * configured, so a development portal deploys for real on a laptop. With
 * `coderunner.agentsphere.apiKey` set it does nothing and the plugin uses
 * AgentSphere itself. With `NODE_ENV=production` it refuses to start unless
 * `coderunner.runtime.allowEmulatorInProduction` is true.
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
        lifecycle: coreServices.lifecycle,
        runtime: coderunnerRuntimeExtensionPoint,
      },
      async init({ config, logger, lifecycle, runtime }) {
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
        const agentsphere = AgentSphereRuntime.create({
          logger,
          apiKey: emulator.apiKey,
          domain: EMULATED_DOMAIN,
          defaultTemplate: config.getOptionalString(
            'coderunner.agentsphere.defaultTemplate',
          ),
          sandboxLifetimeSeconds: config.getOptionalNumber(
            'coderunner.agentsphere.sandboxLifetimeSeconds',
          ),
          keepAliveIntervalSeconds: config.getOptionalNumber(
            'coderunner.agentsphere.keepAliveIntervalSeconds',
          ),
        });
        runtime.setRuntime(agentsphere, { name: 'agentsphere-emulator' });
        logger.info(
          `CodeRunner runtime: agentsphere-emulator at ${emulator.url} (isolation: ${emulator.isolation}); set coderunner.agentsphere.apiKey to use AgentSphere`,
        );
        lifecycle.addShutdownHook(async () => {
          await agentsphere.close();
          route.remove();
          await emulator.stop();
        });
      },
    });
  },
});
