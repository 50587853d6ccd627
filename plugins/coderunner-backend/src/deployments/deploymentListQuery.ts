import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DEPLOYMENT_STATUSES } from '@coderunner/plugin-coderunner-common';
import { DeploymentListFilter, DeploymentPosition } from './DeploymentService';

/** A page of the global list when `limit` is not given. */
export const DEFAULT_LIST_LIMIT = 50;
/** The largest page of the global list. */
export const MAX_LIST_LIMIT = 200;

/**
 * The cursor of the global list: the position of the last deployment of the previous page,
 * as base64url JSON. It carries nothing the caller has not been shown, and a forged one only
 * moves where a page starts: every page is filtered by the caller's permission all the same.
 */
export function encodeListCursor(position: DeploymentPosition): string {
  return Buffer.from(
    JSON.stringify({ r: position.entityRef, e: position.environment }),
  ).toString('base64url');
}

const BAD_CURSOR =
  'cursor is not one this API gave out; pass the nextCursor of the previous page unchanged, or leave it out for the first page';

function decodeListCursor(
  cursor: string,
  environments: string[],
): DeploymentPosition {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(BAD_CURSOR);
  }
  const { r, e } = (decoded ?? {}) as { r?: unknown; e?: unknown };
  if (
    typeof decoded !== 'object' ||
    Array.isArray(decoded) ||
    Object.keys(decoded as object).length !== 2 ||
    typeof r !== 'string' ||
    typeof e !== 'string' ||
    !environments.includes(e)
  ) {
    throw new InputError(BAD_CURSOR);
  }
  try {
    parseEntityRef(r);
  } catch {
    throw new InputError(BAD_CURSOR);
  }
  return { entityRef: r, environment: e };
}

/** Values of a comma-separated (or repeated) query parameter. */
function listOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value])
    .flatMap(v => String(v).split(','))
    .map(v => v.trim())
    .filter(Boolean);
  return values.length ? values : undefined;
}

function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T[] | undefined {
  const values = listOf(value);
  const unknown = values?.filter(v => !allowed.includes(v as T)) ?? [];
  if (unknown.length) {
    throw new InputError(
      `Unknown ${name} ${unknown.join(', ')}; use ${allowed.join(', ')}.`,
    );
  }
  return values as T[] | undefined;
}

/**
 * The global list's query: `limit` (1 to {@link MAX_LIST_LIMIT}), `cursor`, and the filters
 * `environment` and `status` (comma-separated) and `q` (text in the entity ref). Anything
 * wrong is an InputError naming the parameter.
 */
export function parseDeploymentListQuery(
  query: Record<string, unknown>,
  environments: string[],
): { limit: number; after?: DeploymentPosition; filter: DeploymentListFilter } {
  let limit = DEFAULT_LIST_LIMIT;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new InputError(
        `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got "${query.limit}"`,
      );
    }
  }
  const text = query.q === undefined ? undefined : String(query.q).trim();
  if (text !== undefined && text.length > 200) {
    throw new InputError('q must be at most 200 characters');
  }
  return {
    limit,
    after:
      query.cursor === undefined || query.cursor === ''
        ? undefined
        : decodeListCursor(String(query.cursor), environments),
    filter: {
      environments: oneOf('environment', query.environment, environments),
      statuses: oneOf('status', query.status, DEPLOYMENT_STATUSES),
      text: text || undefined,
    },
  };
}
