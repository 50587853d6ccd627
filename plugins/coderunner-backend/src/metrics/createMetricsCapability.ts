import {
  HttpAuthService,
  HttpRouterServiceAuthPolicy,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  MetricsReader,
  SandboxRuntime,
} from '@coderunner/plugin-coderunner-node';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { Registry } from 'prom-client';
import { RequestMetrics } from '../gateway/RequestMetrics';
import { AgentSphereRuntime } from '../runtime';
import { registerAgentSphereCollectors } from './agentSphereCollectors';
import { apiLatencyMiddleware } from './apiLatency';
import { DatabaseDeploymentCensus } from './DeploymentCensus';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { registerDeploymentCollectors } from './deploymentCollectors';
import { GatewayMetricsFlusher } from './GatewayMetricsFlusher';
import { registerGatewayCollectors } from './gatewayCollectors';
import { LogPipelineMetrics } from './logPipelineCollectors';
import { MetricsAccess } from './MetricsAccess';
import { MetricsRouteOptions } from './metricsRoutes';
import { readMetricsSettings } from './MetricsSettings';
import { SandboxUsagePoller } from './SandboxUsagePoller';
import { registerUsageCollectors } from './usageCollectors';

/** Rollups are recomputed this far back on every run, so late samples still count. */
const ROLLUP_LOOKBACK_MS = 10 * 60_000;

/**
 * Builds the Metrics capability: a Prometheus registry of its own (never prom-client's global
 * one, which other plugins share) over what the gateway and the AgentSphere caller measured and
 * the deployments' instance counts, served at `/metrics` under the configured access policy; the
 * API latency middleware; and the time-series store with its tasks (gateway flush on every
 * replica, sandbox usage poll and rollup/prune once across replicas).
 *
 * @internal
 */
export async function createMetricsCapability(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  httpAuth: HttpAuthService;
  /** The plugin's database, migrated. */
  knex: Knex;
  /** Finds a deployment's id for the metrics API. */
  findDeployment: MetricsRouteOptions['findDeployment'];
  runtime: SandboxRuntime;
  /** What the gateway measured; absent when the gateway is disabled. */
  requests?: RequestMetrics;
  /** What the log writers and the live stream measured. */
  logPipeline?: LogPipelineMetrics;
  /** Set by a module through coderunnerMetricsExtensionPoint: answers queries instead of the store. */
  reader?: { reader: MetricsReader; name: string };
}) {
  const { config, scheduler, knex, requests, runtime } = options;
  const logger = options.logger.child({ component: 'metrics' });
  const settings = readMetricsSettings(config);
  const access = MetricsAccess.fromConfig(config, {
    httpAuth: options.httpAuth,
  });
  const census = DatabaseDeploymentCensus.create({ knex });
  const store = DatabaseMetricsStore.create({
    knex,
    rawRetentionMs: settings.rawRetentionMs,
  });

  const registry = new Registry();
  if (requests) registerGatewayCollectors(registry, requests);
  // Another runtime set by a module has no call statistics of ours.
  if (runtime instanceof AgentSphereRuntime)
    registerAgentSphereCollectors(registry, runtime);
  registerDeploymentCollectors(registry, census);
  options.logPipeline?.register(registry);
  const poller = new SandboxUsagePoller(runtime, census, store, logger);
  registerUsageCollectors(registry, () => poller.latest);

  const router = Router();
  // First in the plugin's router, so that it times every route after it.
  router.use(apiLatencyMiddleware(registry));
  router.get('/metrics', async (req, res) => {
    await access.check(req);
    const text = await registry.metrics();
    res.setHeader('content-type', registry.contentType);
    res.end(text);
  });
  const authPolicies: HttpRouterServiceAuthPolicy[] =
    access.bypassesBackstageAuth
      ? [{ path: '/metrics', allow: 'unauthenticated' }]
      : [];

  if (requests) {
    const flusher = new GatewayMetricsFlusher(requests, store);
    await scheduler.scheduleTask({
      id: 'coderunner-metrics-gateway-flush',
      // Each replica's gateway counts in its own memory.
      scope: 'local',
      frequency: { seconds: settings.flushIntervalSeconds },
      timeout: { minutes: 1 },
      fn: async () => {
        await flusher.flush();
      },
    });
  }
  await scheduler.scheduleTask({
    id: 'coderunner-metrics-sandbox-usage',
    scope: 'global',
    frequency: { seconds: settings.sandboxPollIntervalSeconds },
    timeout: { minutes: 1 },
    fn: async () => {
      await poller.poll();
    },
  });
  await scheduler.scheduleTask({
    id: 'coderunner-metrics-rollup',
    scope: 'global',
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    fn: async () => {
      const now = Date.now();
      await store.rollUp({
        from: new Date(now - ROLLUP_LOOKBACK_MS),
        to: new Date(now),
      });
      const pruned = await store.prune({
        samples: new Date(now - settings.rawRetentionMs),
        rollups: new Date(now - settings.rollupRetentionMs),
      });
      if (pruned.samples || pruned.rollups) {
        logger.debug(
          `Pruned ${pruned.samples} metric samples and ${pruned.rollups} rollups`,
        );
      }
    },
  });

  if (options.reader) {
    logger.info(`CodeRunner reads metrics from ${options.reader.name}`);
  }
  const apiRoutes: MetricsRouteOptions = {
    reader: options.reader?.reader ?? store,
    findDeployment: options.findDeployment,
    rawRetentionMs: settings.rawRetentionMs,
    rollupRetentionMs: settings.rollupRetentionMs,
  };
  return {
    router,
    authPolicies,
    registry,
    store,
    apiRoutes,
    poller,
    pollIntervalMs: settings.sandboxPollIntervalSeconds * 1000,
  };
}
