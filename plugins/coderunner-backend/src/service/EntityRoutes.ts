import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { isError, NotAllowedError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Request, Response } from 'express';
import { EntityGuard } from '../entities/EntityGuard';
import { RateLimitBucket, RateLimiter } from './RateLimiter';

/** Who asked, for the records: the user's entity ref, else the service's subject. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * A request to an entity route, `/entities/:kind/:namespace/:name/…`, typed or not.
 *
 * @internal
 */
export type EntityRequest = Request<
  { kind: string; namespace: string; name: string },
  any,
  any,
  any,
  any
>;

/**
 * The caller and the entity of an authorized entity request.
 *
 * @internal
 */
export interface EntityContext {
  credentials: BackstageCredentials;
  entity: Entity;
  /** The entity's ref, lower case: `component:default/hello-node`. */
  entityRef: string;
  /** Who asked, for the records (see {@link actorOf}). */
  actor: string;
}

/**
 * How a route records a change: the auditor event id, its severity, and its metadata
 * (field and variable names, never values; `entityRef` is added).
 *
 * @internal
 */
export interface AuditOptions {
  eventId: string;
  severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  meta?: JsonObject;
}

/**
 * The one helper every CodeRunner route uses to authorize, rate limit and audit; capabilities
 * never write this plumbing themselves. Typical use in a capability's `add…Routes(router, …)`,
 * with the typed router (see `ApiRouter`), whose `req.params`, `req.query` and `req.body` the
 * spec already validated:
 *
 * ```ts
 * const routes = EntityRoutes.create({ guard, httpAuth, auditor, limiter });
 * // A read: the entity's permission, then the answer.
 * router.get('/entities/:kind/:namespace/:name/things', async (req, res) => {
 *   const { entityRef } = await routes.authorize(req, thingReadPermission);
 *   res.json({ items: await service.list(entityRef) });
 * });
 * // A change: permissions, the caller's `mutations` limit, an auditor event, then 202 (or
 * // `status`) with what the action returned.
 * router.post('/entities/:kind/:namespace/:name/things', (req, res) =>
 *   routes.change(req, res, {
 *     permissions: [thingWritePermission],
 *     audit: { eventId: 'thing-change', meta: { names: [req.body.name] } },
 *   }, ctx => service.change(ctx.entityRef, req.body, ctx.actor)),
 * );
 * ```
 *
 * @internal
 */
export class EntityRoutes {
  static create(options: {
    guard: EntityGuard;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
    limiter: RateLimiter;
  }): EntityRoutes {
    return new EntityRoutes(
      options.guard,
      options.httpAuth,
      options.auditor,
      options.limiter,
    );
  }

  private constructor(
    private readonly guard: EntityGuard,
    private readonly httpAuth: HttpAuthService,
    private readonly auditor: AuditorService,
    private readonly limiter: RateLimiter,
  ) {}

  /**
   * Checks each permission on the request's entity, in order (the first refused one answers
   * 403 or 404, as {@link EntityGuard} decides).
   */
  async authorize(
    req: EntityRequest,
    ...permissions: ResourcePermission<'catalog-entity'>[]
  ): Promise<EntityContext> {
    return this.authorizeRef(
      req,
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      ...permissions,
    );
  }

  /**
   * As {@link EntityRoutes.authorize}, on an entity the request names elsewhere than in its
   * path (e.g. the group of an owner's budget, in the body or the query).
   */
  async authorizeRef(
    req: Request<any, any, any, any, any>,
    ref: string | CompoundEntityRef,
    ...permissions: ResourcePermission<'catalog-entity'>[]
  ): Promise<EntityContext> {
    const credentials = await this.httpAuth.credentials(req);
    let entity: Entity | undefined;
    for (const permission of permissions) {
      entity = await this.guard.authorize({ ref, permission, credentials });
    }
    if (!entity) throw new Error('authorize needs at least one permission');
    return {
      credentials,
      entity,
      entityRef: stringifyEntityRef(entity),
      actor: actorOf(credentials),
    };
  }

  /** Whether the caller also holds `permission` on the request's entity (false when refused). */
  async allows(
    req: EntityRequest,
    permission: ResourcePermission<'catalog-entity'>,
  ): Promise<boolean> {
    try {
      await this.authorize(req, permission);
      return true;
    } catch (error) {
      if (error instanceof NotAllowedError) return false;
      throw error;
    }
  }

  /**
   * Counts the call in the caller's `bucket`; false when over the limit, in which case the
   * 429 with `Retry-After` has been sent.
   */
  admit(res: Response, actor: string, bucket: RateLimitBucket) {
    return this.limiter.admit(res, actor, bucket);
  }

  /**
   * Runs `action` inside an auditor event: success (with `successMeta` of the result) or
   * failure with the error, which is thrown on.
   */
  async audited<T>(
    req: Request<any, any, any, any, any>,
    ctx: EntityContext,
    audit: AuditOptions,
    action: () => Promise<T>,
    successMeta?: (result: T) => JsonObject | undefined,
  ): Promise<T> {
    const event = await this.auditor.createEvent({
      eventId: audit.eventId,
      severityLevel: audit.severityLevel ?? 'medium',
      request: req,
      meta: { entityRef: ctx.entityRef, ...audit.meta },
    });
    try {
      const result = await action();
      const meta = successMeta?.(result);
      await event.success(meta ? { meta } : undefined);
      return result;
    } catch (error) {
      await event.fail({
        error: isError(error) ? error : new Error(String(error)),
      });
      throw error;
    }
  }

  /**
   * A change to an entity: permissions, the caller's `mutations` limit, an auditor event, then
   * the action's result as JSON with `status` (202 by default).
   */
  async change<T>(
    req: EntityRequest,
    res: Response,
    options: {
      permissions: ResourcePermission<'catalog-entity'>[];
      audit: AuditOptions;
      status?: number;
      successMeta?: (result: T) => JsonObject | undefined;
    },
    action: (ctx: EntityContext) => Promise<T>,
  ): Promise<void> {
    const ctx = await this.authorize(req, ...options.permissions);
    if (!(await this.admit(res, ctx.actor, 'mutations'))) return;
    const result = await this.audited(
      req,
      ctx,
      options.audit,
      () => action(ctx),
      options.successMeta,
    );
    res.status(options.status ?? 202).json(result);
  }
}
