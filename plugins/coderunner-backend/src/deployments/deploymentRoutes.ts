import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import {
  coderunnerDeploymentReadPermission,
  coderunnerDeployPermission,
  coderunnerLogsReadPermission,
  DeployRequest,
  RollbackRequest,
} from '@coderunner/plugin-coderunner-common';
import { JsonObject } from '@backstage/types';
import { Request, Response, Router } from 'express';
import { EntityGuard } from '../entities/EntityGuard';
import { parseLogQuery, writeLogDownload } from '../logs/logQuery';
import { LogStore } from '../logs/LogStore';
import { RateLimiter } from '../service/RateLimiter';
import { actorOf, DeploymentService } from './DeploymentService';

const ENTITY = '/entities/:kind/:namespace/:name';

/**
 * Adds the Deployments API to a router: list, deploy, rollback, restart, stop, start, delete,
 * releases and log history. Every route checks a resource permission on the entity; every
 * mutation is rate limited and audited.
 *
 * @internal
 */
export function addDeploymentRoutes(
  router: Router,
  options: {
    service: DeploymentService;
    logs: LogStore;
    guard: EntityGuard;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    limiter: RateLimiter;
  },
) {
  const { service, logs, guard, httpAuth, auditor, limiter } = options;

  const load = async (
    req: Request,
    permission: typeof coderunnerDeployPermission,
  ) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await guard.authorize({
      ref: {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      permission,
      credentials,
    });
    return { credentials, entity, actor: actorOf(credentials) };
  };

  /** Wraps a mutation: rate limit, permission, audit event with no values in it. */
  const mutation =
    (
      eventId: string,
      action: (
        req: Request,
        ctx: Awaited<ReturnType<typeof load>>,
      ) => Promise<unknown>,
    ) =>
    async (req: Request, res: Response) => {
      const ctx = await load(req, coderunnerDeployPermission);
      if (!(await limiter.admit(res, ctx.actor, 'mutations'))) return;
      const meta: JsonObject = {
        entityRef: stringifyEntityRef(ctx.entity),
        environment: req.params.environment,
      };
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        request: req,
        meta,
      });
      try {
        const result = await action(req, ctx);
        await event.success();
        res.status(202).json(result);
      } catch (error) {
        await event.fail({
          error: isError(error) ? error : new Error(String(error)),
        });
        throw error;
      }
    };

  router.get('/deployments', async (req, res) => {
    const deployments = await service.list();
    const allowed = await guard.allowedRefs({
      refs: deployments.map(d => d.entityRef),
      permission: coderunnerDeploymentReadPermission,
      credentials: await httpAuth.credentials(req),
    });
    res.json({
      items: deployments.filter(d =>
        allowed.has(stringifyEntityRef(parseEntityRef(d.entityRef))),
      ),
    });
  });

  router.get(`${ENTITY}/deployments`, async (req, res) => {
    const { entity } = await load(req, coderunnerDeploymentReadPermission);
    res.json({ items: await service.list(stringifyEntityRef(entity)) });
  });

  router.post(
    `${ENTITY}/deployments/:environment/deploy`,
    mutation('deployment-deploy', async (req, { entity, actor }) => {
      const body = (req.body ?? {}) as DeployRequest;
      return service.deploy(entity, req.params.environment, {
        instances: body.instances,
        actor,
      });
    }),
  );

  router.post(
    `${ENTITY}/deployments/:environment/rollback`,
    mutation('deployment-rollback', async (req, { entity, actor }) => {
      const body = (req.body ?? {}) as Partial<RollbackRequest>;
      if (typeof body.releaseNumber !== 'number') {
        throw new InputError(
          'Send {"releaseNumber": N} naming the release to roll back to.',
        );
      }
      return service.rollback(
        entity,
        req.params.environment,
        body.releaseNumber,
        actor,
      );
    }),
  );

  router.post(
    `${ENTITY}/deployments/:environment/restart`,
    mutation('deployment-restart', async (req, { entity, actor }) =>
      service.restart(entity, req.params.environment, actor),
    ),
  );

  router.post(
    `${ENTITY}/deployments/:environment/stop`,
    mutation('deployment-stop', async (req, { entity }) =>
      service.stop(entity, req.params.environment),
    ),
  );

  router.post(
    `${ENTITY}/deployments/:environment/start`,
    mutation('deployment-start', async (req, { entity }) =>
      service.start(entity, req.params.environment),
    ),
  );

  router.delete(
    `${ENTITY}/deployments/:environment`,
    mutation('deployment-delete', async (req, { entity }) =>
      service.delete(entity, req.params.environment),
    ),
  );

  router.get(
    `${ENTITY}/deployments/:environment/releases`,
    async (req, res) => {
      const { entity } = await load(req, coderunnerDeploymentReadPermission);
      res.json({
        items: await service.releases(entity, req.params.environment),
      });
    },
  );

  router.get(`${ENTITY}/deployments/:environment/logs`, async (req, res) => {
    const { entity } = await load(req, coderunnerLogsReadPermission);
    const deployment = await service.get(entity, req.params.environment);
    res.json(await logs.read(deployment.id, parseLogQuery(req.query)));
  });

  router.get(
    `${ENTITY}/deployments/:environment/logs/search`,
    async (req, res) => {
      const { entity } = await load(req, coderunnerLogsReadPermission);
      const deployment = await service.get(entity, req.params.environment);
      const { text, ...query } = parseLogQuery(req.query);
      if (!text) throw new InputError('q must name the text to find');
      res.json(await logs.search(deployment.id, { ...query, text }));
    },
  );

  router.get(
    `${ENTITY}/deployments/:environment/logs/download`,
    async (req, res) => {
      const { entity, actor } = await load(req, coderunnerLogsReadPermission);
      if (!(await limiter.admit(res, actor, 'exports'))) return;
      const deployment = await service.get(entity, req.params.environment);
      // The spec admits text (the default) and ndjson only; anything else was a 400 already.
      const format = req.query.format === 'ndjson' ? 'ndjson' : 'text';
      const query = parseLogQuery(req.query);
      const name = `${entity.metadata.name}-${req.params.environment}-logs.${
        format === 'text' ? 'log' : 'ndjson'
      }`;
      res.setHeader(
        'content-type',
        format === 'text'
          ? 'text/plain; charset=utf-8'
          : 'application/x-ndjson',
      );
      res.setHeader('content-disposition', `attachment; filename="${name}"`);
      await writeLogDownload(res, logs, deployment.id, query, format);
    },
  );
}
