import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { registerAlertChannelsExtensionPoint } from './alerts/alertChannelsExtension';
import { createAlertsCapability } from './alerts/createAlertsCapability';
import { createConfigCapability } from './config/createConfigCapability';
import { createCostCapability } from './cost/createCostCapability';
import { createDeploymentsCapability } from './deployments/createDeploymentsCapability';
import { registerExtensionPoints } from './extensionPoints';
import { createGatewayCapability } from './gateway/createGatewayCapability';
import { createHealthCapability } from './health/createHealthCapability';
import { createLogsCapability } from './logs/createLogsCapability';
import { createMetricsCapability } from './metrics/createMetricsCapability';
import { createScalingCapability } from './scaling/createScalingCapability';
import { mountRoutes } from './service/mountRoutes';
import { createPluginContext } from './service/pluginContext';
import { stopInOrder } from './service/stopInOrder';
import { createStreamCapability } from './stream/createStreamCapability';
import { createTerminalCapability } from './terminal/createTerminalCapability';

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
      // Each capability takes the core services it names from `deps` and the handles of the
      // capabilities built before it; the order below is the order they depend on each other.
      async init(deps) {
        const { logger, lifecycle } = deps;
        const context = await createPluginContext(deps, extensions);
        const { store, runtime, guard } = context;
        const shared = { ...deps, ...context };

        const logs = await createLogsCapability(shared);
        const { gateway, requests } = createGatewayCapability(shared);
        const configuration = await createConfigCapability({
          ...shared,
          deployments: store,
        });
        logs.redactSecretsOf(configuration.secrets);
        const deployments = await createDeploymentsCapability({
          ...shared,
          logs,
          gateway,
          releaseConfig: configuration.releaseConfig,
        });
        // Releases read their config; applying config redeploys.
        configuration.changes.applyThrough(deployments.service);
        const { reconciler, service } = deployments;
        const stream = createStreamCapability({
          ...shared,
          logs,
          deployments: service,
        });
        const terminal = createTerminalCapability({
          ...shared,
          deployments: service,
          instances: store,
        });
        const metrics = await createMetricsCapability({
          ...shared,
          findDeployment: (entityRef, environment) =>
            store.findDeployment(entityRef, environment),
          requests,
          logPipeline: logs.pipeline,
          reader: extensions.metricsReader,
        });
        const cost = await createCostCapability({
          ...shared,
          deployments: store,
          metricsReader: metrics.apiRoutes.reader,
          priceTable: extensions.priceTable,
        });
        // Live autoscaling: one controller across replicas; `scaling.wake` is for the gateway.
        const scaling = await createScalingCapability({
          ...shared,
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
        const health = createHealthCapability({
          ...shared,
          logHub: logs.hub,
          reconciler,
          metrics,
        });
        const alerts = await createAlertsCapability({
          ...shared,
          runtime: health.runtimeCheck,
          budgetStatus: cost.budgetStatus,
          channels: alertChannels,
        });

        await mountRoutes(deps.httpRouter, {
          // Metrics first, so that its latency middleware times every route.
          capabilities: [metrics, stream, terminal],
          api: {
            ...shared,
            entityGuard: guard,
            sourceReader: deployments.sourceReader,
            readiness: health.readiness,
            metrics: metrics.apiRoutes,
            scaling: { ...shared, controller: scaling.controller },
            cost: cost.routes,
            alerts: alerts.routes,
            deployments: { ...shared, service, logs: logs.store },
            config: configuration.routes,
          },
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
