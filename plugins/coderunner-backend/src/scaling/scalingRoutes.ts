import {
  coderunnerDeploymentReadPermission,
  coderunnerScalingWritePermission,
} from '@coderunner/plugin-coderunner-common';
import { ApiRouter } from '../service/ApiRouter';
import { EntityRoutes } from '../service/EntityRoutes';
import { ScalingController } from './ScalingController';

const BASE = '/entities/:kind/:namespace/:name/deployments/:environment';

/**
 * Options of {@link addScalingRoutes}.
 *
 * @internal
 */
export interface ScalingRouteOptions {
  controller: ScalingController;
  routes: EntityRoutes;
}

/**
 * Adds the Scaling API (docs/autoscaling.md) to the typed router. Reading needs
 * `coderunner.deployment.read`; every change needs `coderunner.scaling.write`, counts against
 * the caller's `mutations` limit and is an auditor event. A bad value is a 400 naming the field.
 *
 * @internal
 */
export function addScalingRoutes(
  router: ApiRouter,
  options: ScalingRouteOptions,
) {
  const { controller, routes } = options;
  const write = (eventId: string, meta: Record<string, any> = {}) => ({
    permissions: [coderunnerScalingWritePermission],
    status: 200,
    audit: { eventId, meta },
  });

  router.get(`${BASE}/scaling`, async (req, res) => {
    const { entityRef } = await routes.authorize(
      req,
      coderunnerDeploymentReadPermission,
    );
    res.json(await controller.status(entityRef, req.params.environment));
  });

  router.put(`${BASE}/scaling/policy`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-policy-save', {
        environment: req.params.environment,
        fields: Object.keys(req.body ?? {}),
      }),
      ({ entityRef, actor }) =>
        controller.savePolicy(
          entityRef,
          req.params.environment,
          req.body,
          actor,
        ),
    ),
  );

  router.delete(`${BASE}/scaling/policy`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-policy-clear', { environment: req.params.environment }),
      ({ entityRef, actor }) =>
        controller.clearPolicy(entityRef, req.params.environment, actor),
    ),
  );

  router.get(`${BASE}/scaling/policy/versions`, async (req, res) => {
    const { entityRef } = await routes.authorize(
      req,
      coderunnerDeploymentReadPermission,
    );
    res.json({
      items: await controller.policyVersions(entityRef, req.params.environment),
    });
  });

  router.post(`${BASE}/scale`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-hold', {
        environment: req.params.environment,
        instances: req.body.instances,
        reason: req.body.reason,
        ...(req.body.expiresAt ? { expiresAt: req.body.expiresAt } : {}),
      }),
      ({ entityRef, actor }) =>
        controller.hold(entityRef, req.params.environment, req.body, actor),
    ),
  );

  router.delete(`${BASE}/scale`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-hold-release', { environment: req.params.environment }),
      ({ entityRef, actor }) =>
        controller.releaseHold(entityRef, req.params.environment, actor),
    ),
  );

  router.post(`${BASE}/scaling/pause`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-pause', { environment: req.params.environment }),
      ({ entityRef, actor }) =>
        controller.pause(
          entityRef,
          req.params.environment,
          req.body?.reason,
          actor,
        ),
    ),
  );

  router.post(`${BASE}/scaling/resume`, (req, res) =>
    routes.change(
      req,
      res,
      write('scaling-resume', { environment: req.params.environment }),
      ({ entityRef, actor }) =>
        controller.resume(entityRef, req.params.environment, actor),
    ),
  );

  router.get(`${BASE}/scaling/decisions`, async (req, res) => {
    const { entityRef } = await routes.authorize(
      req,
      coderunnerDeploymentReadPermission,
    );
    res.json({
      items: await controller.decisions(entityRef, req.params.environment, {
        limit: req.query.limit,
        before: req.query.before,
        changedOnly: req.query.changedOnly,
      }),
    });
  });
}
