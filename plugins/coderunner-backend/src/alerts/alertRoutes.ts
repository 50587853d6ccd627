import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  AlertList,
  coderunnerDeploymentReadPermission,
} from '@coderunner/plugin-coderunner-common';
import { EntityGuard } from '../entities/EntityGuard';
import { ApiRouter } from '../service/ApiRouter';
import { AlertStore } from './AlertStore';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

function parseLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InputError(
      `limit must be a whole number from 1 to ${MAX_LIMIT}; got '${value}'`,
    );
  }
  return limit;
}

function parseStatus(value: unknown): 'open' | 'resolved' | undefined {
  if (value === undefined) return undefined;
  if (value === 'open' || value === 'resolved') return value;
  throw new InputError(`status must be open or resolved; got '${value}'`);
}

/**
 * What the alert routes need.
 *
 * @internal
 */
export interface AlertRouteOptions {
  store: AlertStore;
}

/**
 * Adds `GET …/entities/:kind/:namespace/:name/alerts` (an entity's alerts, open and resolved,
 * newest first; coderunner.deployment.read on the entity) and `GET /alerts` (open alerts of the
 * entities the caller may read), on the typed router: the spec (src/schema/openapi.yaml) has
 * validated the query before a handler runs.
 *
 * @internal
 */
export function addAlertRoutes(
  router: ApiRouter,
  options: AlertRouteOptions & {
    guard: EntityGuard;
    httpAuth: HttpAuthService;
  },
) {
  const { store, guard, httpAuth } = options;

  router.get('/entities/:kind/:namespace/:name/alerts', async (req, res) => {
    const limit = parseLimit(req.query.limit);
    const status = parseStatus(req.query.status);
    const entity = await guard.authorize({
      ref: {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      permission: coderunnerDeploymentReadPermission,
      credentials: await httpAuth.credentials(req),
    });
    const body: AlertList = {
      items: await store.list({
        entityRefs: [stringifyEntityRef(entity)],
        status,
        limit,
      }),
    };
    res.json({ ...body });
  });

  router.get('/alerts', async (req, res) => {
    const limit = parseLimit(req.query.limit);
    // Every open alert, not the newest few thousand: the alerts of entities the caller may not
    // read must never push out the ones they may (an outage opens one per running entity).
    const open = (await store.listOpen()).sort(
      (a, b) =>
        b.openedAt.localeCompare(a.openedAt) || b.id.localeCompare(a.id),
    );
    const allowed = await guard.allowedRefs({
      refs: open.map(alert => alert.entityRef),
      permission: coderunnerDeploymentReadPermission,
      credentials: await httpAuth.credentials(req),
    });
    const body: AlertList = {
      items: open.filter(alert => allowed.has(alert.entityRef)).slice(0, limit),
    };
    res.json({ ...body });
  });
}
