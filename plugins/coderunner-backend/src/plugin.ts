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
  coderunnerMetricsExtensionPoint,
  coderunnerRuntimeExtensionPoint,
  MetricsReader,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import { createConfigCapability } from './config/createConfigCapability';
import { DeploymentService } from './deployments/DeploymentService';
import { DeploymentStore } from './deployments/DeploymentStore';
import { scheduleReleaseRetention } from './deployments/ReleaseRetention';
import { EntityGuard } from './entities/EntityGuard';
import { Gateway } from './gateway/Gateway';
import {
  agentSphereHealth,
  databaseHealth,
  logPipelineHealth,
  metricsPollerHealth,
  reconcilerHealth,
} from './health/components';
import { ReadinessCheck } from './health/ReadinessCheck';
import { registerReadinessCollector } from './health/readinessCollector';
import { LogHub } from './logs/LogHub';
import { LogRedactor } from './logs/LogRedactor';
import { scheduleLogRetention } from './logs/LogRetention';
import { LogStore } from './logs/LogStore';
import { PgNotifyTransport } from './logs/PgNotifyTransport';
import { createMetricsCapability } from './metrics/createMetricsCapability';
import { LogPipelineMetrics } from './metrics/logPipelineCollectors';
import { Reconciler } from './orchestrator/Reconciler';
import { AgentSphereRuntime } from './runtime';
import { RateLimiter } from './service/RateLimiter';
import { createRouter } from './service/router';
import { EntitySourceReader } from './source/EntitySourceReader';
import { SourceArchiver } from './source/SourceArchiver';
import { LocalSourceRoots } from './source/LocalSourceRoots';
import { FeedRegistry } from './stream/FeedRegistry';
import { StreamServer } from './stream/StreamServer';

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
    let metricsReader: { reader: MetricsReader; name: string } | undefined;
    env.registerExtensionPoint(coderunnerMetricsExtensionPoint, {
      setMetricsReader(reader, options) {
        if (metricsReader) {
          throw new Error(
            `CodeRunner already reads metrics from ${metricsReader.name}; only one module may set it.`,
          );
        }
        metricsReader = { reader, name: options.name };
      },
    });

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
      }) {
        permissionsRegistry.addPermissions(coderunnerPermissions);
        const store = await DeploymentStore.create({ database });
        const logStore = new LogStore(store.knex);
        // Live logs: news of written lines reaches every replica (NOTIFY on PostgreSQL).
        const logHub = new LogHub(
          PgNotifyTransport.isSupported(store.knex)
            ? new PgNotifyTransport(
                store.knex,
                logger.child({ component: 'logs' }),
              )
            : undefined,
        );
        // Capabilities that know secret values register them here (see docs/logs.md).
        const logRedactor = new LogRedactor();
        const logPipeline = new LogPipelineMetrics();
        await scheduleLogRetention({
          config,
          scheduler,
          logger,
          store: logStore,
        });
        await scheduleReleaseRetention({ config, scheduler, logger, store });

        const runtime =
          configured?.runtime ??
          AgentSphereRuntime.fromConfig(config, { logger });
        const runtimeName = configured?.name ?? 'agentsphere';
        logger.info(`CodeRunner runs sandboxes on ${runtimeName}`);

        const environments =
          config.getOptionalStringArray('coderunner.environments') ??
          DEFAULT_ENVIRONMENTS;

        const gatewayConfig = config.getOptionalConfig('coderunner.gateway');
        const measureRequests =
          config.getOptionalBoolean('coderunner.metrics.gateway.enabled') ??
          true;
        const gateway =
          gatewayConfig?.getOptionalBoolean('enabled') === false
            ? undefined
            : new Gateway(
                store,
                {
                  port: gatewayConfig?.getOptionalNumber('port') ?? 7080,
                  baseDomain:
                    gatewayConfig?.getOptionalString('baseDomain') ??
                    'localhost',
                  publicScheme:
                    gatewayConfig?.getOptionalString('publicScheme') ?? 'http',
                  publicPort: gatewayConfig?.getOptionalNumber('publicPort'),
                  listenHost: gatewayConfig?.getOptionalString('listenHost'),
                  measureRequests,
                },
                logger.child({ component: 'gateway' }),
              );

        const deploymentsRef: { current?: DeploymentService } = {};
        const configuration = await createConfigCapability({
          config,
          logger,
          database,
          scheduler,
          environments,
          deployments: store,
          // The deployment service is created below, with this capability's config provider.
          applier: {
            list: entityRef => deploymentsRef.current!.list(entityRef),
            redeployWithConfig: (entity, environment, actor) =>
              deploymentsRef.current!.redeployWithConfig(
                entity,
                environment,
                actor,
              ),
          },
        });
        logRedactor.registerSecretSource(configuration.secrets.valuesOf);
        configuration.secrets.onChange(deploymentId =>
          logRedactor.forget(deploymentId),
        );

        const reconciler = new Reconciler(runtime, store, logStore, logger, {
          config: configuration.service,
          onLogsWritten: (deploymentId, lastSeq, lagSeconds) => {
            logPipeline.writeLag.observe(lagSeconds);
            logHub.linesWritten(deploymentId, lastSeq);
          },
          redact: logRedactor.lineRedactor,
        });
        reconciler.onChange(async deployment => {
          logHub.statusChanged(deployment.id);
          // Signals cannot be limited to the users who may read the entity (the policy decides
          // that, not ownership), so the broadcast says only "changed"; readers re-read.
          const message: DeploymentSignal = { type: 'deployments-changed' };
          void signals
            .publish({
              recipients: { type: 'broadcast' },
              channel: deploymentSignalChannel(deployment.entity_ref),
              message: message as any,
            })
            .catch(error =>
              logger.warn(`Could not publish a deployment signal: ${error}`),
            );
          await gateway?.refresh();
        });

        const sourceReader = EntitySourceReader.create({
          urlReader,
          localRoots: LocalSourceRoots.fromConfig(config),
        });
        const guard = new EntityGuard(catalog, permissions);
        const service = new DeploymentService(
          store,
          reconciler,
          sourceReader,
          new SourceArchiver(sourceReader, urlReader),
          gateway,
          environments,
          configuration.service,
        );
        deploymentsRef.current = service;

        // One limiter for every route and the stream; its counters live in the database.
        const limiter = RateLimiter.fromConfig(config, store.knex);
        const streamServer = StreamServer.create({
          auth,
          discovery,
          logger: logger.child({ component: 'stream' }),
          limiter,
          maxSocketsPerUser:
            config.getOptionalNumber('coderunner.stream.maxSocketsPerUser') ??
            10,
          context: {
            feeds: new FeedRegistry(logStore, logHub),
            store: logStore,
            guard,
            deployments: service,
            logger: logger.child({ component: 'stream' }),
            limits: {
              maxSubscriptions: 20,
              highWaterBytes: 1024 * 1024,
              maxTail: 10_000,
            },
          },
        });
        logPipeline.stream = streamServer;
        const metrics = await createMetricsCapability({
          config,
          logger,
          scheduler,
          httpAuth,
          knex: store.knex,
          findDeployment: (entityRef, environment) =>
            store.findDeployment(entityRef, environment),
          runtime,
          requests: measureRequests ? gateway?.requestMetrics : undefined,
          logPipeline,
          reader: metricsReader,
        });
        const readiness = new ReadinessCheck([
          databaseHealth(store.knex),
          agentSphereHealth(runtime, runtimeName),
          logPipelineHealth(logHub),
          reconcilerHealth(reconciler),
          metricsPollerHealth(metrics.poller, metrics.pollIntervalMs),
        ]);
        registerReadinessCollector(metrics.registry, readiness);
        // First, so that its API latency middleware sees every route.
        httpRouter.use(metrics.router);
        metrics.authPolicies.forEach(policy =>
          httpRouter.addAuthPolicy(policy),
        );
        httpRouter.use(streamServer.router());
        // The socket authenticates itself with the token it offers as a subprotocol.
        httpRouter.addAuthPolicy({ path: '/stream', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            entityGuard: guard,
            sourceReader,
            environments,
            runtimeName,
            readiness,
            metrics: metrics.apiRoutes,
            deployments: {
              service,
              logs: logStore,
              auditor,
              limiter,
            },
            config: {
              service: configuration.service,
              rotator: configuration.rotator,
              auditor,
              limiter,
            },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/manifest/schema.json',
          allow: 'unauthenticated',
        });

        lifecycle.addStartupHook(async () => {
          await gateway?.start();
          await logHub.start();
          await reconciler.start();
        });
        lifecycle.addShutdownHook(async () => {
          // Stop listening first; then give each part a bounded time, so a stuck part never
          // keeps the process (and its ports) alive. Sandboxes keep running for adoption.
          const bounded = async (what: string, stop: () => Promise<void>) => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<void>(resolve => {
              timer = setTimeout(() => {
                logger.warn(
                  `CodeRunner: ${what} did not stop within 5 s; going on`,
                );
                resolve();
              }, 5000);
            });
            await Promise.race([
              stop().catch(error =>
                logger.warn(`CodeRunner: stopping ${what} failed: ${error}`),
              ),
              timeout,
            ]);
            clearTimeout(timer);
          };
          await bounded('the gateway', async () => gateway?.stop());
          await bounded('the log stream', () => streamServer.stop());
          await bounded('the reconciler', () => reconciler.stop());
          await bounded('the log hub', () => logHub.stop());
          await bounded('the runtime', () => runtime.close());
        });
      },
    });
  },
});
