import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  coderunnerDeploymentReadPermission,
  EntitySetup,
  HealthResponse,
  manifestJsonSchema,
} from '@coderunner/plugin-coderunner-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { addAlertRoutes, AlertRouteOptions } from '../alerts/alertRoutes';
import { addConfigRoutes, ConfigRouteOptions } from '../config/configRoutes';
import { addCostRoutes, CostRouteOptions } from '../cost/costRoutes';
import { addDeploymentRoutes } from '../deployments/deploymentRoutes';
import { DeploymentService } from '../deployments/DeploymentService';
import { EntityGuard } from '../entities/EntityGuard';
import { addLogRoutes } from '../logs/logRoutes';
import { LogStore } from '../logs/LogStore';
import { ReadinessCheck } from '../health/ReadinessCheck';
import {
  addMetricsRoutes,
  MetricsRouteOptions,
} from '../metrics/metricsRoutes';
import { EntityRoutes } from './EntityRoutes';
import { addScalingRoutes } from '../scaling/scalingRoutes';
import { ScalingController } from '../scaling/ScalingController';
import { RateLimiter } from './RateLimiter';
import { EntitySourceReader } from '../source/EntitySourceReader';

/**
 * Options for {@link createRouter}.
 *
 * @internal
 */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  entityGuard: EntityGuard;
  sourceReader: EntitySourceReader;
  environments: string[];
  runtimeName?: string;
  /** The components `/health` checks; without it, `/health` only says the router is up. */
  readiness?: ReadinessCheck;
  deployments?: {
    service: DeploymentService;
    logs: LogStore;
    auditor: AuditorService;
    limiter: RateLimiter;
  };
  metrics?: MetricsRouteOptions;
  scaling?: {
    controller: ScalingController;
    auditor: AuditorService;
    limiter: RateLimiter;
  };
  cost?: CostRouteOptions;
  alerts?: AlertRouteOptions;
  config?: ConfigRouteOptions;
}

/**
 * The CodeRunner REST API.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, entityGuard, sourceReader, environments } = options;
  // Requests to documented routes are validated against src/schema/openapi.yaml (400 with
  // the validator's message otherwise); bodies are size-limited. The limit leaves room for an
  // import of coderunner.config.importMaxBytes written as JSON (escapes double line breaks and
  // quotes), so that an oversized import gets the import's own 400 naming that key.
  const importMaxBytes = options.config?.transfer.importMaxBytes ?? 0;
  const bodyLimit = Math.max(256 * 1024, 2 * importMaxBytes + 64 * 1024);
  const explainTooLarge: express.ErrorRequestHandler = (
    error,
    _req,
    _res,
    next,
  ) => {
    if (error?.type === 'entity.too.large') {
      error.message = `The request body is ${error.length} bytes; the limit is ${bodyLimit} bytes. Config imports are at most ${importMaxBytes} bytes (coderunner.config.importMaxBytes).`;
    }
    next(error);
  };
  const bodies = express
    .Router()
    .use(express.json({ limit: bodyLimit }), explainTooLarge);
  const router = await createOpenApiRouter({ middleware: [bodies] });

  router.get('/health', async (_req, res) => {
    const report = (await options.readiness?.run()) ?? {
      status: 'ok',
      components: {},
    };
    const failing = Object.entries(report.components)
      .filter(([, health]) => health.status === 'failing')
      .map(([name]) => name);
    const body: HealthResponse = {
      ...report,
      ...(failing.length > 0 && {
        message: `Not ready: ${failing.join(', ')} failing`,
      }),
      runtime: options.runtimeName,
    };
    res.status(failing.length > 0 ? 503 : 200).json({ ...body });
  });

  router.get('/manifest/schema.json', (_req, res) => {
    res
      .type('application/schema+json')
      .send(JSON.stringify(manifestJsonSchema, null, 2));
  });

  router.get('/entities/:kind/:namespace/:name/setup', async (req, res) => {
    const entity = await entityGuard.authorize({
      ref: {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      permission: coderunnerDeploymentReadPermission,
      credentials: await httpAuth.credentials(req),
    });
    const lookup = await sourceReader.readManifest(entity);
    const body: EntitySetup = {
      entityRef:
        `${req.params.kind}:${req.params.namespace}/${req.params.name}`.toLocaleLowerCase(
          'en-US',
        ),
      manifestPath: lookup.manifestPath,
      manifestFound: lookup.content !== undefined,
      problem: lookup.problem,
      environments,
    };
    res.json({ ...body });
  });

  if (options.deployments) {
    const routes = EntityRoutes.create({
      ...options.deployments,
      guard: entityGuard,
      httpAuth,
    });
    addDeploymentRoutes(router, {
      service: options.deployments.service,
      guard: entityGuard,
      httpAuth,
      routes,
    });
    addLogRoutes(router, {
      logs: options.deployments.logs,
      deployments: options.deployments.service,
      routes,
    });
  }

  if (options.metrics) {
    addMetricsRoutes(router, {
      ...options.metrics,
      guard: entityGuard,
      httpAuth,
    });
  }

  if (options.alerts) {
    addAlertRoutes(router, { ...options.alerts, guard: entityGuard, httpAuth });
  }

  if (options.cost) {
    addCostRoutes(router, {
      ...options.cost,
      guard: entityGuard,
      httpAuth,
      routes: EntityRoutes.create({
        ...options.cost,
        guard: entityGuard,
        httpAuth,
      }),
    });
  }

  if (options.scaling) {
    addScalingRoutes(router, {
      controller: options.scaling.controller,
      routes: EntityRoutes.create({
        ...options.scaling,
        guard: entityGuard,
        httpAuth,
      }),
    });
  }

  if (options.config) {
    addConfigRoutes(router, {
      ...options.config,
      httpAuth,
      routes: EntityRoutes.create({
        ...options.config,
        guard: entityGuard,
        httpAuth,
      }),
    });
  }

  return router;
}
