import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { isError, NotAllowedError } from '@backstage/errors';
import {
  coderunnerConfigReadPermission,
  coderunnerConfigWritePermission,
  coderunnerDeployPermission,
  coderunnerSecretRevealPermission,
  ConfigChangeRequest,
  ConfigFormat,
  ConfigImportRequest,
  ConfigRollbackRequest,
} from '@coderunner/plugin-coderunner-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Request, Response, Router } from 'express';
import { actorOf } from '../deployments/DeploymentService';
import { EntityGuard } from '../entities/EntityGuard';
import { RateLimiter } from '../service/RateLimiter';
import { ConfigService } from './ConfigService';
import { KeyRotator } from './KeyRotator';
import { CONFIG_TEMPLATES } from './templates';

const ENTITY = '/entities/:kind/:namespace/:name';

type Context = {
  credentials: BackstageCredentials;
  entity: Entity;
  actor: string;
  entityRef: string;
};

/**
 * Adds the Config API to a router. Reading needs `coderunner.config.read`, changing
 * `coderunner.config.write` (and `coderunner.deployment.deploy` to apply), secret values
 * `coderunner.secret.reveal`. Every change and every reveal is an auditor event that names
 * variables, never values. Every route is in src/schema/openapi.yaml, so the router has
 * validated (and typed: integers, booleans, defaults) the query and body before a handler
 * runs; a bad one was a 400 naming it.
 *
 * @internal
 */
export function addConfigRoutes(
  router: Router,
  options: {
    service: ConfigService;
    rotator: KeyRotator;
    guard: EntityGuard;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    limiter: RateLimiter;
  },
) {
  const { service, rotator, guard, httpAuth, auditor, limiter } = options;

  const load = async (
    req: Request,
    ...permissions: ResourcePermission<'catalog-entity'>[]
  ): Promise<Context> => {
    const credentials = await httpAuth.credentials(req);
    const ref = {
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    };
    let entity: Entity | undefined;
    for (const permission of permissions) {
      entity = await guard.authorize({ ref, permission, credentials });
    }
    return {
      credentials,
      entity: entity!,
      actor: actorOf(credentials),
      entityRef: stringifyEntityRef(entity!),
    };
  };

  const mayReveal = async (req: Request) => {
    try {
      await load(req, coderunnerSecretRevealPermission);
      return true;
    } catch (error) {
      if (error instanceof NotAllowedError) return false;
      throw error;
    }
  };

  /** Rate limit, permissions, an auditor event with names only, then the action. */
  const audited =
    (
      eventId: string,
      permissions: (req: Request) => ResourcePermission<'catalog-entity'>[],
      meta: (req: Request) => JsonObject,
      action: (req: Request, ctx: Context) => Promise<unknown>,
      status = 202,
    ) =>
    async (req: Request, res: Response) => {
      const ctx = await load(req, ...permissions(req));
      if (!(await limiter.admit(res, ctx.actor, 'mutations'))) return;
      const event = await auditor.createEvent({
        eventId,
        severityLevel: eventId === 'config-reveal' ? 'high' : 'medium',
        request: req,
        meta: { entityRef: ctx.entityRef, ...meta(req) },
      });
      try {
        const result = (await action(req, ctx)) as
          | { version?: { version: number } }
          | undefined;
        await event.success(
          result?.version
            ? { meta: { version: result.version.version } }
            : undefined,
        );
        res.status(status).json(result);
      } catch (error) {
        await event.fail({
          error: isError(error) ? error : new Error(String(error)),
        });
        throw error;
      }
    };

  /** The query as the spec's validator left it: numbers and booleans are typed. */
  const queryOf = <T>(req: Request) => req.query as unknown as T;

  const changeNames = (req: Request): JsonObject => {
    const changes = ((req.body ?? {}) as ConfigChangeRequest).changes;
    return {
      names: Array.isArray(changes) ? changes.map(c => String(c?.name)) : [],
      scopes: Array.isArray(changes)
        ? [...new Set(changes.map(c => String(c?.scope)))]
        : [],
    };
  };
  const writeAndMaybeApply = (req: Request) =>
    (req.body ?? {}).apply === true
      ? [coderunnerConfigWritePermission, coderunnerDeployPermission]
      : [coderunnerConfigWritePermission];

  router.get('/config/templates', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: CONFIG_TEMPLATES });
  });

  router.get('/config/encryption', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await rotator.status());
  });

  router.get(`${ENTITY}/config`, async (req, res) => {
    const { entityRef } = await load(req, coderunnerConfigReadPermission);
    const { version } = queryOf<{ version?: number }>(req);
    res.json(await service.snapshot(entityRef, version));
  });

  router.post(
    `${ENTITY}/config/changes`,
    audited(
      'config-change',
      writeAndMaybeApply,
      changeNames,
      (req, { entity, actor }) =>
        service.change(entity, req.body as ConfigChangeRequest, actor),
    ),
  );

  router.post(
    `${ENTITY}/config/rollback`,
    audited(
      'config-rollback',
      writeAndMaybeApply,
      req => ({ toVersion: (req.body as ConfigRollbackRequest).version }),
      (req, { entity, actor }) => {
        const body = req.body as ConfigRollbackRequest;
        return service.rollback(entity, body.version, actor, {
          message: body.message,
          apply: body.apply,
        });
      },
    ),
  );

  router.post(
    `${ENTITY}/config/apply/:environment`,
    audited(
      'config-apply',
      () => [coderunnerConfigWritePermission, coderunnerDeployPermission],
      req => ({ environment: req.params.environment }),
      (req, { entity, actor }) =>
        service.apply(entity, req.params.environment, actor),
    ),
  );

  router.get(`${ENTITY}/config/versions`, async (req, res) => {
    const { entityRef } = await load(req, coderunnerConfigReadPermission);
    res.json({ items: await service.versions(entityRef) });
  });

  router.get(`${ENTITY}/config/diff`, async (req, res) => {
    const { entityRef } = await load(req, coderunnerConfigReadPermission);
    const { from, to } = queryOf<{ from: number; to: number }>(req);
    res.json(await service.diff(entityRef, from, to));
  });

  router.post(`${ENTITY}/config/import/preview`, async (req, res) => {
    const { entityRef, actor } = await load(
      req,
      coderunnerConfigWritePermission,
    );
    if (!(await limiter.admit(res, actor, 'previews'))) return;
    // Only a caller who may reveal the stored secrets learns whether the import repeats them.
    const mayRevealSecrets = await mayReveal(req);
    res.json(
      await service.previewImport(entityRef, req.body as ConfigImportRequest, {
        mayReveal: mayRevealSecrets,
      }),
    );
  });

  router.post(
    `${ENTITY}/config/templates/:templateId/preview`,
    async (req, res) => {
      const { entityRef, actor } = await load(
        req,
        coderunnerConfigWritePermission,
      );
      if (!(await limiter.admit(res, actor, 'previews'))) return;
      const { scope } = req.body as { scope: string };
      res.json(
        await service.previewTemplate(entityRef, req.params.templateId, scope),
      );
    },
  );

  router.get(`${ENTITY}/config/audit`, async (req, res) => {
    const { entityRef } = await load(req, coderunnerConfigReadPermission);
    const { name, limit } = queryOf<{ name?: string; limit?: number }>(req);
    res.json({
      items: await service.audit(entityRef, { name: name || undefined, limit }),
    });
  });

  router.get(`${ENTITY}/config/export`, async (req, res) => {
    const query = queryOf<{
      scope: string;
      format?: ConfigFormat;
      includeSecrets?: boolean;
    }>(req);
    const includeSecrets = query.includeSecrets === true;
    const ctx = await load(req, coderunnerConfigReadPermission);
    if (includeSecrets && !(await mayReveal(req))) {
      throw new NotAllowedError(
        `Exporting secret values needs ${coderunnerSecretRevealPermission.name}; export without them instead.`,
      );
    }
    if (!(await limiter.admit(res, ctx.actor, 'exports'))) return;
    const { scope, format = 'env' } = query;
    const run = () =>
      service.export(ctx.entityRef, scope, format, {
        includeSecrets,
        actor: ctx.actor,
      });
    if (!includeSecrets) {
      res.json(await run());
      return;
    }
    const event = await auditor.createEvent({
      eventId: 'config-export-secrets',
      severityLevel: 'high',
      request: req,
      meta: { entityRef: ctx.entityRef, scope },
    });
    try {
      const result = await run();
      await event.success();
      res.json(result);
    } catch (error) {
      await event.fail({
        error: isError(error) ? error : new Error(String(error)),
      });
      throw error;
    }
  });

  router.post(
    `${ENTITY}/config/reveal`,
    audited(
      'config-reveal',
      () => [coderunnerConfigReadPermission, coderunnerSecretRevealPermission],
      req => {
        const { scope, name } = req.body as { scope: string; name: string };
        return { scope, name };
      },
      async (req, { entityRef, actor }) => {
        const { scope, name } = req.body as { scope: string; name: string };
        return { value: await service.reveal(entityRef, scope, name, actor) };
      },
      200,
    ),
  );
}
