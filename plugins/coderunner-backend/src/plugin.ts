import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  coderunnerPermissions,
  DEFAULT_ENVIRONMENTS,
} from '@coderunner/plugin-coderunner-common';
import { registerAlertChannelsExtensionPoint } from './alerts/alertChannelsExtension';
import { createAlertsCapability } from './alerts/createAlertsCapability';
import { createConfigCapability } from './config/createConfigCapability';
import { createCostCapability } from './cost/createCostCapability';
import { createDeploymentsCapability } from './deployments/createDeploymentsCapability';
import { DeploymentStore } from './deployments/DeploymentStore';
import { EntityGuard } from './entities/EntityGuard';
import { chosenRuntime, registerExtensionPoints } from './extensionPoints';
import { createGatewayCapability } from './gateway/createGatewayCapability';
import {
  agentSphereHealth,
  databaseHealth,
  logPipelineHealth,
  metricsPollerHealth,
  reconcilerHealth,
} from './health/components';
import { ReadinessCheck } from './health/ReadinessCheck';
import { registerReadinessCollector } from './health/readinessCollector';
import { createLogsCapability } from './logs/createLogsCapability';
import { createMetricsCapability } from './metrics/createMetricsCapability';
import { RateLimiter } from './service/RateLimiter';
import { createRouter } from './service/router';
import { stopInOrder } from './service/stopInOrder';
import { createStreamCapability } from './stream/createStreamCapability';
import { createTerminalCapability } from './terminal/createTerminalCapability';
import { createScalingCapability } from './scaling/createScalingCapability';

/**
 * The CodeRunner backend plugin: deploys catalog components to AgentSphere sandboxes.
 *
 * @public
 */
export const coderunnerPlugin = createBackendPlugin({
  pluginId: 'coderunner',
  register(env) {
    const extensions = registerExtensionPoints(env);
    const alertChannels = registerAlertChannelsExtensionPoint(env);

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        discovery,
        scheduler,
        auditor,
        permissions,
        permissionsRegistry,
        urlReader,
        lifecycle,
        catalog,
        signals,
        notifications,
      }) {
        permissionsRegistry.addPermissions(coderunnerPermissions);
        const store = await DeploymentStore.create({ database });
        const logs = await createLogsCapability({
          config,
          logger,
          scheduler,
          knex: store.knex,
        });

        const { runtime, name: runtimeName } = chosenRuntime(extensions, {
          config,
          logger,
        });
        logger.info(`CodeRunner runs sandboxes on ${runtimeName}`);

        const environments =
          config.getOptionalStringArray('coderunner.environments') ??
          DEFAULT_ENVIRONMENTS;

        const { gateway, requests } = createGatewayCapability({
          config,
          logger,
          store,
        });

        // One limiter for every route and the stream; its counters live in the database.
        const limiter = RateLimiter.fromConfig(config, store.knex);
        const configuration = await createConfigCapability({
          config,
          logger,
          scheduler,
          auditor,
          limiter,
          knex: store.knex,
          environments,
          deployments: store,
        });
        logs.redactSecretsOf(configuration.secrets);
        const deployments = await createDeploymentsCapability({
          config,
          logger,
          scheduler,
          urlReader,
          signals,
          store,
          runtime,
          environments,
          logs,
          gateway,
          releaseConfig: configuration.releaseConfig,
        });
        // Releases read their config; applying config redeploys.
        configuration.changes.applyThrough(deployments.service);
        const { reconciler, service, sourceReader } = deployments;

        const guard = new EntityGuard(catalog, permissions);

        const stream = createStreamCapability({
          config,
          logger,
          auth,
          discovery,
          limiter,
          logs,
          guard,
          deployments: service,
        });
        const terminal = createTerminalCapability({
          config,
          logger,
          auth,
          httpAuth,
          discovery,
          auditor,
          limiter,
          guard,
          runtime,
          deployments: service,
          instances: store,
        });
        const metrics = await createMetricsCapability({
          config,
          logger,
          scheduler,
          httpAuth,
          knex: store.knex,
          findDeployment: (entityRef, environment) =>
            store.findDeployment(entityRef, environment),
          runtime,
          requests,
          logPipeline: logs.pipeline,
          reader: extensions.metricsReader,
        });
        const cost = await createCostCapability({
          config,
          logger,
          deployments: store,
          catalog,
          auth,
          auditor,
          limiter,
          environments,
          metricsReader: metrics.apiRoutes.reader,
          priceTable: extensions.priceTable,
        });
        // Live autoscaling: one controller across replicas; `scaling.wake` is for the gateway.
        const scaling = await createScalingCapability({
          config,
          logger,
          scheduler,
          auditor,
          deployments: store,
          metrics: metrics.apiRoutes.reader,
          pollIntervalMs: metrics.pollIntervalMs,
          reconciler,
          hub: logs.hub,
          budgetCap: cost.budgetCap,
        });
        stream.context.scaling = scaling.controller;
        // A request to a deployment scaled to zero wakes it at the gateway.
        gateway?.wakeWith(scaling);
        const readiness = new ReadinessCheck([
          databaseHealth(store.knex),
          agentSphereHealth(runtime, runtimeName),
          logPipelineHealth(logs.hub),
          reconcilerHealth(reconciler),
          metricsPollerHealth(metrics.poller, metrics.pollIntervalMs),
        ]);
        registerReadinessCollector(metrics.registry, readiness);
        const alerts = await createAlertsCapability({
          config,
          logger,
          scheduler,
          knex: store.knex,
          catalog,
          auth,
          notifications,
          signals,
          runtime: {
            name: runtimeName,
            check: () => agentSphereHealth(runtime, runtimeName).check(),
          },
          budgetStatus: cost.budgetStatus,
          channels: alertChannels,
        });
        // First, so that its API latency middleware sees every route.
        httpRouter.use(metrics.router);
        metrics.authPolicies.forEach(policy =>
          httpRouter.addAuthPolicy(policy),
        );
        httpRouter.use(stream.router);
        stream.authPolicies.forEach(policy => httpRouter.addAuthPolicy(policy));
        httpRouter.use(terminal.router);
        httpRouter.use(
          await createRouter({
            httpAuth,
            entityGuard: guard,
            sourceReader,
            environments,
            runtimeName,
            readiness,
            metrics: metrics.apiRoutes,
            scaling: { controller: scaling.controller, auditor, limiter },
            cost: cost.routes,
            alerts: alerts.routes,
            deployments: {
              service,
              logs: logs.store,
              auditor,
              limiter,
            },
            config: configuration.routes,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/manifest/schema.json',
          allow: 'unauthenticated',
        });

        lifecycle.addStartupHook(async () => {
          await gateway?.start();
          await logs.hub.start();
          await reconciler.start();
        });
        // Stop listening first, then the parts that work; sandboxes keep running for adoption.
        lifecycle.addShutdownHook(() =>
          stopInOrder(logger, [
            { what: 'the gateway', stop: async () => gateway?.stop() },
            { what: 'the log stream', stop: () => stream.server.stop() },
            { what: 'the terminals', stop: () => terminal.server.stop() },
            { what: 'the reconciler', stop: () => reconciler.stop() },
            { what: 'the log hub', stop: () => logs.hub.stop() },
            { what: 'the runtime', stop: () => runtime.close() },
          ]),
        );
      },
    });
  },
});
