import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  coderunnerDeploymentReadPermission,
  coderunnerDeployPermission,
} from '@coderunner/plugin-coderunner-common';
import { EntityGuard } from '../entities/EntityGuard';
import { ApiRouter } from '../service/ApiRouter';
import { Response } from 'express';
import { sendJsonText } from '../service/sendJsonText';
import {
  EntityContext,
  EntityRequest,
  EntityRoutes,
} from '../service/EntityRoutes';
import { DeploymentService } from './DeploymentService';
import {
  encodeListCursor,
  parseDeploymentListQuery,
} from './deploymentListQuery';

/**
 * Adds the Deployments API to the typed router: the global list (a page at a time), an
 * entity's list, deploy, rollback, restart, stop, start,
 * delete and releases. Every route checks a resource permission on the entity; every mutation
 * is rate limited and audited (no values in the event).
 *
 * @internal
 */
export function addDeploymentRoutes(
  router: ApiRouter,
  options: {
    service: DeploymentService;
    guard: EntityGuard;
    httpAuth: HttpAuthService;
    routes: EntityRoutes;
  },
) {
  const { service, guard, httpAuth, routes } = options;

  /** Deploy permission, `mutations` limit, an auditor event naming the environment. */
  const change = <T>(
    eventId: string,
    req: EntityRequest & { params: { environment: string } },
    res: Response,
    action: (ctx: EntityContext) => Promise<T>,
  ) =>
    routes.change(
      req,
      res,
      {
        permissions: [coderunnerDeployPermission],
        audit: { eventId, meta: { environment: req.params.environment } },
      },
      action,
    );

  router.get('/deployments', async (req, res) => {
    const { limit, after, filter } = parseDeploymentListQuery(
      req.query,
      service.environments,
    );
    const credentials = await httpAuth.credentials(req);
    // Only the deployments of entities the caller may read are loaded and shown, and a page
    // is filled from those alone.
    const page = await service.listPage({
      limit,
      after,
      filter,
      allowed: refs =>
        guard.allowedRefs({
          refs,
          permission: coderunnerDeploymentReadPermission,
          credentials,
        }),
    });
    const nextCursor = page.next && encodeListCursor(page.next);
    sendJsonText(
      req,
      res,
      () => ({
        items: page.items,
        ...(nextCursor ? { nextCursor } : {}),
        environments: service.environments,
      }),
      () =>
        `{"items":[${page.texts.join(',')}]${
          nextCursor ? `,"nextCursor":${JSON.stringify(nextCursor)}` : ''
        },"environments":${JSON.stringify(service.environments)}}`,
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/deployments',
    async (req, res) => {
      const { entityRef } = await routes.authorize(
        req,
        coderunnerDeploymentReadPermission,
      );
      const { items, texts } = await service.listViews(entityRef);
      sendJsonText(
        req,
        res,
        () => ({ items }),
        () => `{"items":[${texts.join(',')}]}`,
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments/:environment/deploy',
    (req, res) =>
      change('deployment-deploy', req, res, ({ entity, actor }) =>
        service.deploy(entity, req.params.environment, {
          instances: req.body?.instances,
          actor,
        }),
      ),
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments/:environment/rollback',
    (req, res) =>
      change('deployment-rollback', req, res, ({ entity, actor }) =>
        service.rollback(
          entity,
          req.params.environment,
          req.body.releaseNumber,
          actor,
        ),
      ),
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments/:environment/restart',
    (req, res) =>
      change('deployment-restart', req, res, ({ entity, actor }) =>
        service.restart(entity, req.params.environment, actor),
      ),
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments/:environment/stop',
    (req, res) =>
      change('deployment-stop', req, res, ({ entity }) =>
        service.stop(entity, req.params.environment),
      ),
  );

  router.post(
    '/entities/:kind/:namespace/:name/deployments/:environment/start',
    (req, res) =>
      change('deployment-start', req, res, ({ entity }) =>
        service.start(entity, req.params.environment),
      ),
  );

  router.delete(
    '/entities/:kind/:namespace/:name/deployments/:environment',
    (req, res) =>
      change('deployment-delete', req, res, ({ entity }) =>
        service.delete(entity, req.params.environment),
      ),
  );

  router.get(
    '/entities/:kind/:namespace/:name/deployments/:environment/releases',
    async (req, res) => {
      const { entity } = await routes.authorize(
        req,
        coderunnerDeploymentReadPermission,
      );
      res.json({
        items: await service.releases(entity, req.params.environment),
      });
    },
  );
}
