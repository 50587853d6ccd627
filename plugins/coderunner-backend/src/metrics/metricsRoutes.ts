import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { coderunnerDeploymentReadPermission } from '@coderunner/plugin-coderunner-common';
import { EntityGuard } from '../entities/EntityGuard';
import { MetricsReader } from '@coderunner/plugin-coderunner-node';
import { ApiRouter } from '../service/ApiRouter';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3600_000,
  d: 24 * 3600_000,
};
/** A chart of this many points per window unless the caller chooses its step. */
const DEFAULT_POINTS = 120;
const MIN_DEFAULT_STEP_SECONDS = 10;

/**
 * What the metrics routes need besides the entity guard.
 *
 * @internal
 */
export interface MetricsRouteOptions {
  /** Answers the queries: the built-in store, or a module's reader. */
  reader: MetricsReader;
  findDeployment(
    entityRef: string,
    environment: string,
  ): Promise<{ id: string } | undefined>;
  rawRetentionMs: number;
  rollupRetentionMs: number;
}

/**
 * Adds `GET …/deployments/:environment/metrics` (coderunner.deployment.read): one metric over a
 * window ending now. The spec (src/schema/openapi.yaml) validated and typed the query before it
 * runs.
 *
 * @internal
 */
export function addMetricsRoutes(
  router: ApiRouter,
  options: MetricsRouteOptions & {
    guard: EntityGuard;
    httpAuth: HttpAuthService;
  },
) {
  const { reader, guard, httpAuth } = options;
  router.get(
    '/entities/:kind/:namespace/:name/deployments/:environment/metrics',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      const entity = await guard.authorize({
        ref: {
          kind: req.params.kind,
          namespace: req.params.namespace,
          name: req.params.name,
        },
        permission: coderunnerDeploymentReadPermission,
        credentials,
      });
      const window = req.query.window ?? '1h';
      const match = /^([1-9]\d{0,3})([mhd])$/.exec(window);
      if (!match) {
        throw new InputError(
          `window must be a number and a unit (m, h or d), like 1h or 7d; got '${window}'`,
        );
      }
      const windowMs = Number(match[1]) * UNIT_MS[match[2]];
      if (windowMs > options.rollupRetentionMs) {
        throw new InputError(
          `window ${window} reaches past the ${
            options.rollupRetentionMs / UNIT_MS.d
          } days that metrics are kept`,
        );
      }
      const fromRollups = windowMs > options.rawRetentionMs;
      let stepSeconds = Math.max(
        MIN_DEFAULT_STEP_SECONDS,
        Math.ceil(windowMs / 1000 / DEFAULT_POINTS),
      );
      if (fromRollups) stepSeconds = Math.ceil(stepSeconds / 60) * 60;
      if (req.query.step !== undefined) stepSeconds = req.query.step;

      const entityRef = stringifyEntityRef(entity);
      const { environment } = req.params;
      const deployment = await options.findDeployment(entityRef, environment);
      if (!deployment) {
        throw new NotFoundError(
          `${entityRef} has no deployment in ${environment}`,
        );
      }

      const to = new Date();
      const from = new Date(to.getTime() - windowMs);
      const metric = req.query.metric;
      const points = await reader.query({
        deploymentId: deployment.id,
        metric,
        from,
        to,
        stepSeconds,
      });
      res.json({
        metric,
        from: from.toISOString(),
        to: to.toISOString(),
        stepSeconds,
        points: points.map(point => ({ ...point, at: point.at.toISOString() })),
      });
    },
  );
}
