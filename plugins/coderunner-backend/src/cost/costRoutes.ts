import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BudgetRequest,
  BudgetScope,
  coderunnerBudgetWritePermission,
  coderunnerDeploymentReadPermission,
  OwnerBudgetRequest,
} from '@coderunner/plugin-coderunner-common';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Request, Response } from 'express';
import { EntityGuard } from '../entities/EntityGuard';
import { ApiRouter } from '../service/ApiRouter';
import { RateLimiter } from '../service/RateLimiter';
import { EntityContext, EntityRoutes } from '../service/EntityRoutes';
import { CostService } from './CostService';
import { RightSizing } from './RightSizing';

const ENTITY = '/entities/:kind/:namespace/:name';

/**
 * What the cost routes need besides the guard and auth (the auditor and the limiter make
 * their {@link EntityRoutes}).
 *
 * @internal
 */
export interface CostRouteOptions {
  service: CostService;
  rightSizing: RightSizing;
  environments: string[];
  auditor: AuditorService;
  limiter: RateLimiter;
}

/**
 * Adds the Cost API (docs/cost.md) to the typed router: the spec (src/schema/openapi.yaml)
 * has validated each request before a handler runs. Reading an entity's cost needs
 * `coderunner.deployment.read` on it; the global summary counts only entities the caller may
 * read. Setting or removing a budget needs `coderunner.budget.write` on the entity (on the
 * group entity for an owner's budget), counts against the caller's `mutations` limit and is
 * an auditor event (`budget-set`, `budget-delete`) that names the scope and the fields sent.
 *
 * @internal
 */
export function addCostRoutes(
  router: ApiRouter,
  options: CostRouteOptions & {
    guard: EntityGuard;
    httpAuth: HttpAuthService;
    routes: EntityRoutes;
  },
) {
  const { service, rightSizing, environments, guard, httpAuth, routes } =
    options;

  const allowedFor = (credentials: BackstageCredentials) => (refs: string[]) =>
    guard.allowedRefs({
      refs,
      permission: coderunnerDeploymentReadPermission,
      credentials,
    });

  router.get(`${ENTITY}/cost`, async (req, res) => {
    const { entity, credentials, entityRef } = await routes.authorize(
      req,
      coderunnerDeploymentReadPermission,
    );
    const owner = entity.spec?.owner;
    const cost = await service.entityCost({
      entityRef,
      ownerRef:
        typeof owner === 'string'
          ? stringifyEntityRef(
              parseEntityRef(owner, {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            )
          : undefined,
      environments,
      period: optionalString(req.query.month),
      allowed: allowedFor(credentials),
    });
    res.json(asSpecJson(cost));
  });

  router.get(`${ENTITY}/cost/advice`, async (req, res) => {
    const { entityRef } = await routes.authorize(
      req,
      coderunnerDeploymentReadPermission,
    );
    res.json(asSpecJson({ items: await rightSizing.advise(entityRef) }));
  });

  router.get('/cost/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const summary = await service.summary({
      period: optionalString(req.query.month),
      allowed: allowedFor(credentials),
      manages: refs =>
        guard.allowedRefs({
          refs,
          permission: coderunnerBudgetWritePermission,
          credentials,
        }),
    });
    res.json(asSpecJson(summary));
  });

  /**
   * The caller's `mutations` limit, then the change inside an auditor event naming the scope
   * and the fields sent; a result is sent as JSON, none as 204.
   */
  const change = async (
    req: Request<any, any, any, any, any>,
    res: Response,
    ctx: EntityContext,
    eventId: 'budget-set' | 'budget-delete',
    scope: BudgetScope,
    action: () => Promise<unknown>,
  ) => {
    if (!(await routes.admit(res, ctx.actor, 'mutations'))) return;
    const result = await routes.audited(
      req,
      ctx,
      {
        eventId,
        meta: {
          ...scope,
          fields: Object.keys(req.body ?? {}).filter(k => k !== 'ownerRef'),
        },
      },
      action,
    );
    if (result === undefined) res.status(204).end();
    else res.json(result as any);
  };

  const checkEnvironment = (environment: unknown) => {
    if (environment === undefined) return undefined;
    if (
      typeof environment !== 'string' ||
      !environments.includes(environment)
    ) {
      throw new InputError(
        `environment is '${String(
          environment,
        )}'; it must be one of ${environments.join(
          ', ',
        )}, or left out for all environments`,
      );
    }
    return environment;
  };

  router.put(`${ENTITY}/cost/budget`, async (req, res) => {
    const ctx = await routes.authorize(req, coderunnerBudgetWritePermission);
    const body: BudgetRequest = req.body;
    const environment = checkEnvironment(body.environment);
    const scope = {
      entityRef: ctx.entityRef,
      ...(environment ? { environment } : {}),
    };
    await change(req, res, ctx, 'budget-set', scope, () =>
      service.putBudget({
        scope,
        amount: body.amount,
        thresholds: body.thresholds,
        hardCap: body.hardCap,
        by: ctx.actor,
      }),
    );
  });

  router.delete(`${ENTITY}/cost/budget`, async (req, res) => {
    const ctx = await routes.authorize(req, coderunnerBudgetWritePermission);
    const environment = checkEnvironment(optionalString(req.query.environment));
    const scope = {
      entityRef: ctx.entityRef,
      ...(environment ? { environment } : {}),
    };
    await change(req, res, ctx, 'budget-delete', scope, async () => {
      await service.deleteBudget(scope);
      return undefined;
    });
  });

  /** The group of an owner's budget, checked for `coderunner.budget.write`. */
  const ownerContext = async (
    req: Request<any, any, any, any, any>,
    ownerRef: string,
  ) => {
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(ownerRef, { defaultKind: 'group' }),
      );
    } catch {
      throw new InputError(
        `ownerRef '${ownerRef}' is not an entity ref; write it as group:namespace/name`,
      );
    }
    const ctx = await routes.authorizeRef(
      req,
      ref,
      coderunnerBudgetWritePermission,
    );
    return { ctx, scope: { ownerRef: ref } };
  };

  router.put('/cost/owner-budget', async (req, res) => {
    const body: OwnerBudgetRequest = req.body;
    const { ctx, scope } = await ownerContext(req, body.ownerRef);
    await change(req, res, ctx, 'budget-set', scope, () =>
      service.putBudget({
        scope,
        amount: body.amount,
        thresholds: body.thresholds,
        hardCap: body.hardCap,
        by: ctx.actor,
      }),
    );
  });

  router.delete('/cost/owner-budget', async (req, res) => {
    const { ctx, scope } = await ownerContext(req, req.query.ownerRef);
    await change(req, res, ctx, 'budget-delete', scope, async () => {
      await service.deleteBudget(scope);
      return undefined;
    });
  });
}

/**
 * An answer of the common package's types, which the spec describes: its interfaces lack the
 * index signatures of the types generated from the spec, so TypeScript cannot match them.
 */
function asSpecJson(value: object): any {
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
