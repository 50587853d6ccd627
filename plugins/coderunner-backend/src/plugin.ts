import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  coderunnerPermissions,
  DEFAULT_ENVIRONMENTS,
  deploymentSignalChannel,
  DeploymentSignal,
} from '@coderunner/plugin-coderunner-common';
import {
  coderunnerRuntimeExtensionPoint,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import { DeploymentService } from './deployments/DeploymentService';
import { DeploymentStore } from './deployments/DeploymentStore';
import { EntityGuard } from './entities/EntityGuard';
import { Gateway } from './gateway/Gateway';
import { LogStore } from './logs/LogStore';
import { Reconciler } from './orchestrator/Reconciler';
import { AgentSphereRuntime } from './runtime';
import { RateLimiter } from './service/RateLimiter';
import { createRouter } from './service/router';
import { EntitySourceReader } from './source/EntitySourceReader';
import { SourceArchiver } from './source/SourceArchiver';

/**
 * The CodeRunner backend plugin: deploys catalog components to AgentSphere sandboxes.
 *
 * @public
 */
export const coderunnerPlugin = createBackendPlugin({
  pluginId: 'coderunner',
  register(env) {
    let configured: { runtime: SandboxRuntime; name: string } | undefined;
    env.registerExtensionPoint(coderunnerRuntimeExtensionPoint, {
      setRuntime(runtime, options) {
        if (configured) {
          throw new Error(
            `The CodeRunner runtime is already set to ${configured.name}; only one module may set it.`,
          );
        }
        configured = { runtime, name: options.name };
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auditor,
        permissions,
        permissionsRegistry,
        urlReader,
        lifecycle,
        catalog,
        signals,
      }) {
        permissionsRegistry.addPermissions(coderunnerPermissions);
        const store = await DeploymentStore.create({ database });
        const logStore = new LogStore(store.knex);

        const runtime =
          configured?.runtime ?? AgentSphereRuntime.fromConfig(config, { logger });
        const runtimeName = configured?.name ?? 'agentsphere';
        logger.info(`CodeRunner runs sandboxes on ${runtimeName}`);

        const environments =
          config.getOptionalStringArray('coderunner.environments') ??
          DEFAULT_ENVIRONMENTS;

        const gatewayConfig = config.getOptionalConfig('coderunner.gateway');
        const gateway =
          gatewayConfig?.getOptionalBoolean('enabled') === false
            ? undefined
            : new Gateway(
                store,
                {
                  port: gatewayConfig?.getOptionalNumber('port') ?? 7080,
                  baseDomain: gatewayConfig?.getOptionalString('baseDomain') ?? 'localhost',
                  publicScheme: gatewayConfig?.getOptionalString('publicScheme') ?? 'http',
                  publicPort: gatewayConfig?.getOptionalNumber('publicPort'),
                  listenHost: gatewayConfig?.getOptionalString('listenHost'),
                },
                logger.child({ component: 'gateway' }),
              );

        const reconciler = new Reconciler(runtime, store, logStore, logger);
        reconciler.onChange(deployment => {
          void gateway?.refresh();
          const message: DeploymentSignal = {
            deploymentId: deployment.id,
            environment: deployment.environment,
            status: deployment.status,
          };
          void signals
            .publish({
              recipients: { type: 'broadcast' },
              channel: deploymentSignalChannel(deployment.entity_ref),
              message: message as any,
            })
            .catch(error => logger.warn(`Could not publish a deployment signal: ${error}`));
        });

        const sourceReader = EntitySourceReader.create({ urlReader });
        const guard = new EntityGuard(catalog, permissions);
        const service = new DeploymentService(
          store,
          reconciler,
          sourceReader,
          new SourceArchiver(sourceReader, urlReader),
          gateway,
          environments,
        );

        httpRouter.use(
          await createRouter({
            httpAuth,
            entityGuard: guard,
            sourceReader,
            environments,
            runtimeName,
            deployments: {
              service,
              logs: logStore,
              auditor,
              limiter: new RateLimiter(
                config.getOptionalNumber('coderunner.rateLimit.mutationsPerMinute') ?? 60,
                60_000,
              ),
            },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        lifecycle.addStartupHook(async () => {
          await gateway?.start();
          await reconciler.start();
        });
        lifecycle.addShutdownHook(async () => {
          await reconciler.stop();
          await gateway?.stop();
          await runtime.close();
        });
      },
    });
  },
});
