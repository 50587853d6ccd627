import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BudgetRequest,
  BudgetScope,
  coderunnerBudgetWritePermission,
  coderunnerDeploymentReadPermission,
  OwnerBudgetRequest,
} from '@coderunner/plugin-coderunner-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Request, Response, Router } from 'express';
import { actorOf } from '../deployments/DeploymentService';
import { EntityGuard } from '../entities/EntityGuard';
import { RateLimiter } from '../service/RateLimiter';
import { CostService } from './CostService';
import { RightSizing } from './RightSizing';

const ENTITY = '/entities/:kind/:namespace/:name';

/**
 * What the cost routes need besides the guard and auth.
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
 * Adds the Cost API. Reading an entity's cost needs `coderunner.deployment.read` on it; the
 * global summary counts only entities the caller may read. Setting or removing a budget needs
 * `coderunner.budget.write` on the entity (on the group entity for an owner's budget), is
 * rate-limited and is an auditor event that names the fields set.
 *
 * @internal
 */
export function addCostRoutes(
  router: Router,
  options: CostRouteOptions & { guard: EntityGuard; httpAuth: HttpAuthService },
) {
  const {
    service,
    rightSizing,
    environments,
    guard,
    httpAuth,
    auditor,
    limiter,
  } = options;

  const allowedFor = (credentials: BackstageCredentials) => (refs: string[]) =>
    guard.allowedRefs({
      refs,
      permission: coderunnerDeploymentReadPermission,
      credentials,
    });

  const entityOf = async (
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
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
    return { entity, credentials, entityRef: stringifyEntityRef(entity) };
  };

  router.get(`${ENTITY}/cost`, async (req, res) => {
    const { entity, credentials, entityRef } = await entityOf(
      req,
      coderunnerDeploymentReadPermission,
    );
    const owner = entity.spec?.owner;
    res.json(
      await service.entityCost({
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
      }),
    );
  });

  router.get(`${ENTITY}/cost/advice`, async (req, res) => {
    const { entityRef } = await entityOf(
      req,
      coderunnerDeploymentReadPermission,
    );
    res.json({ items: await rightSizing.advise(entityRef) });
  });

  router.get('/cost/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await service.summary({
        period: optionalString(req.query.month),
        allowed: allowedFor(credentials),
      }),
    );
  });

  /** Rate limit, an auditor event naming the scope and the fields, then the change. */
  const audited = async (
    req: Request,
    res: Response,
    credentials: BackstageCredentials,
    eventId: 'budget-set' | 'budget-delete',
    scope: BudgetScope,
    change: () => Promise<unknown>,
  ) => {
    const actor = actorOf(credentials);
    if (!(await limiter.admit(res, actor, 'mutations'))) return;
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta: {
        ...scope,
        fields: Object.keys(req.body ?? {}).filter(k => k !== 'ownerRef'),
      },
    });
    try {
      const result = await change();
      await event.success();
      if (result === undefined) res.status(204).end();
      else res.json(result);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
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
    const { credentials, entityRef } = await entityOf(
      req,
      coderunnerBudgetWritePermission,
    );
    const body = req.body as BudgetRequest;
    const environment = checkEnvironment(body.environment);
    const scope = { entityRef, ...(environment ? { environment } : {}) };
    await audited(req, res, credentials, 'budget-set', scope, () =>
      service.putBudget({
        scope,
        amount: body.amount,
        thresholds: body.thresholds,
        hardCap: body.hardCap,
        by: actorOf(credentials),
      }),
    );
  });

  router.delete(`${ENTITY}/cost/budget`, async (req, res) => {
    const { credentials, entityRef } = await entityOf(
      req,
      coderunnerBudgetWritePermission,
    );
    const environment = checkEnvironment(optionalString(req.query.environment));
    const scope = { entityRef, ...(environment ? { environment } : {}) };
    await audited(req, res, credentials, 'budget-delete', scope, async () => {
      await service.deleteBudget(scope);
      return undefined;
    });
  });

  const ownerScope = async (req: Request, ownerRef: unknown) => {
    if (typeof ownerRef !== 'string') {
      throw new InputError(
        'ownerRef is missing; name the owning group as group:namespace/name',
      );
    }
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
    const credentials = await httpAuth.credentials(req);
    await guard.authorize({
      ref,
      permission: coderunnerBudgetWritePermission,
      credentials,
    });
    return { credentials, scope: { ownerRef: ref } };
  };

  router.put('/cost/owner-budget', async (req, res) => {
    const body = req.body as OwnerBudgetRequest;
    const { credentials, scope } = await ownerScope(req, body.ownerRef);
    await audited(req, res, credentials, 'budget-set', scope, () =>
      service.putBudget({
        scope,
        amount: body.amount,
        thresholds: body.thresholds,
        hardCap: body.hardCap,
        by: actorOf(credentials),
      }),
    );
  });

  router.delete('/cost/owner-budget', async (req, res) => {
    const { credentials, scope } = await ownerScope(req, req.query.ownerRef);
    await audited(req, res, credentials, 'budget-delete', scope, async () => {
      await service.deleteBudget(scope);
      return undefined;
    });
  });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
