import {
  HttpAuthService,
  HttpRouterServiceAuthPolicy,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { Registry } from 'prom-client';
import { RequestMetrics } from '../gateway/RequestMetrics';
import {
  AgentSphereCalls,
  registerAgentSphereCollectors,
} from './agentSphereCollectors';
import { apiLatencyMiddleware } from './apiLatency';
import { DatabaseDeploymentCensus } from './DeploymentCensus';
import { registerDeploymentCollectors } from './deploymentCollectors';
import { registerGatewayCollectors } from './gatewayCollectors';
import { MetricsAccess } from './MetricsAccess';

/**
 * Builds the Metrics capability: a Prometheus registry of its own (never prom-client's global
 * one, which other plugins share) over what the gateway measured and the deployments' instance
 * counts, served at `/metrics` under the configured access policy, and the API latency middleware.
 *
 * @internal
 */
export function createMetricsCapability(options: {
  config: Config;
  httpAuth: HttpAuthService;
  /** The plugin's database, for the instance counts. */
  knex: Knex;
  /** What the gateway measured; absent when the gateway is disabled. */
  requests?: RequestMetrics;
  /** The AgentSphere runtime's call statistics; absent when a module sets another runtime. */
  agentSphere?: AgentSphereCalls;
}) {
  const access = MetricsAccess.fromConfig(options.config, {
    httpAuth: options.httpAuth,
  });
  const registry = new Registry();
  if (options.requests) registerGatewayCollectors(registry, options.requests);
  if (options.agentSphere)
    registerAgentSphereCollectors(registry, options.agentSphere);
  registerDeploymentCollectors(
    registry,
    DatabaseDeploymentCensus.create({ knex: options.knex }),
  );

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
  return { router, authPolicies, registry };
}
