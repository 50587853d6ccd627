import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  coderunnerConfigReadPermission,
  coderunnerDeploymentReadPermission,
  coderunnerLogsReadPermission,
} from '@coderunner/plugin-coderunner-common';
import { ReadCache } from './ReadCache';

/** Permission decisions asked for in one request to the permission backend. */
const AUTHORIZE_BATCH = 200;

/**
 * The permissions whose decisions, and the entities read for them, may be reused for a moment:
 * the plain reads. A change, a secret revealed and a terminal are always decided afresh.
 */
const REUSED_DECISIONS = new Set([
  coderunnerDeploymentReadPermission.name,
  coderunnerLogsReadPermission.name,
  coderunnerConfigReadPermission.name,
]);

/** How long a caller's read answers are reused by default (`coderunner.accessCache.readSeconds`). */
export const DEFAULT_READ_CACHE_SECONDS = 2;

/** Where answers go that are never reused. */
const NOT_KEPT = new ReadCache(0);

const isAllow = (result: AuthorizeResult) => result === AuthorizeResult.ALLOW;

/**
 * Who is asking, as a cache key: a user, the expiry of their token (a new sign-in, which may
 * carry new ownership, starts afresh) and the service acting for them, if any. Nothing for
 * services themselves: a service's subject need not be unique to one key, and its decisions
 * are made without a round trip anyway.
 */
function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    actor?: { subject?: string };
  };
  if (principal.type !== 'user' || !principal.userEntityRef) return undefined;
  return JSON.stringify([
    principal.userEntityRef,
    credentials.expiresAt?.getTime() ?? null,
    principal.actor?.subject ?? null,
  ]);
}

/**
 * Loads a catalog entity on behalf of a caller and checks one CodeRunner permission on it.
 * Every entity-scoped route goes through here, so the checks cannot be forgotten.
 *
 * @internal
 */
export class EntityGuard {
  private readonly reads: ReadCache;

  /**
   * `readCacheMs`: how long the catalog's answers and the policy's ALLOW (or, for a list, its
   * conditional answer) for a plain read permission are reused for the same user (0: never). A
   * refusal, a missing entity, every other permission and every service are asked each time, so
   * a grant shows at once and a revocation within this time (plus a load already under way).
   */
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    options: { readCacheMs?: number } = {},
  ) {
    this.reads = new ReadCache(options.readCacheMs ?? 0);
  }

  /**
   * Where `credentials`' answers for `permission` are kept, and under which keys: the caller's
   * own part of the read cache for a plain read, else nowhere.
   */
  private readsFor(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
  ): { cache: ReadCache; key: (what: string) => string } {
    const caller = REUSED_DECISIONS.has(permission.name)
      ? callerKey(credentials)
      : undefined;
    if (!caller) return { cache: NOT_KEPT, key: what => what };
    return { cache: this.reads, key: what => `${caller} ${what}` };
  }

  async authorize(options: {
    ref: CompoundEntityRef | string;
    permission: ResourcePermission<'catalog-entity'>;
    credentials: BackstageCredentials;
  }): Promise<Entity> {
    const { credentials, permission } = options;
    const entityRef =
      typeof options.ref === 'string'
        ? stringifyEntityRef(parseEntityRef(options.ref))
        : stringifyEntityRef(options.ref);
    const { cache, key } = this.readsFor(credentials, permission);
    // Both asked at once; the catalog's answer still comes first (404 before 403, and a
    // failed decision on an entity that does not exist is still a 404).
    const [entity, result] = await Promise.all([
      cache.get(
        key(`entity ${entityRef}`),
        () => this.catalog.getEntityByRef(entityRef, { credentials }),
        found => !!found,
      ),
      cache
        .get(
          key(`${permission.name} ${entityRef}`),
          () =>
            this.permissions
              .authorize([{ permission, resourceRef: entityRef }], {
                credentials,
              })
              .then(([decision]) => decision.result),
          isAllow,
        )
        .catch((error: Error) => error),
    ]);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    if (result instanceof Error) throw result;
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed ${permission.name} on ${entityRef}`,
      );
    }
    return entity;
  }

  /**
   * Which of `refs` (as given: any form of a ref is asked about in its normal form) exist in
   * the catalog for the caller and pass `permission`: one catalog
   * query for the refs not already known and, at the same time, the policy's decision for the
   * permission as such (one `authorizeConditional`, as the catalog asks for its own list
   * reads). A policy decides without seeing the resource, so an unconditional ALLOW or DENY
   * holds for every ref. Only a conditional decision (e.g. "owners only") is then resolved per
   * ref not already allowed, in batches of {@link AUTHORIZE_BATCH} asked at once (the
   * permission backend refuses request bodies over 100 kB, about 450 refs), which the
   * permission backend resolves against the catalog; a ref is allowed when the catalog has it
   * and its decision is ALLOW.
   */
  async allowedRefs(options: {
    refs: string[];
    permission: ResourcePermission<'catalog-entity'>;
    credentials: BackstageCredentials;
  }): Promise<Set<string>> {
    const { credentials, permission } = options;
    // Asked in their normal form, once each; answered in the forms the caller gave.
    const given = new Map<string, string[]>();
    for (const ref of options.refs) {
      const normal = stringifyEntityRef(parseEntityRef(ref));
      const forms = given.get(normal);
      if (forms) forms.push(ref);
      else given.set(normal, [ref]);
    }
    const refs = [...given.keys()];
    const answer = (allowed: string[]) =>
      new Set(allowed.flatMap(ref => given.get(ref)!));
    if (refs.length === 0) return new Set();
    const { cache, key } = this.readsFor(credentials, permission);
    const [exists, policy] = await Promise.all([
      cache.getMany(
        refs.map(ref => key(`exists ${ref}`)),
        async missing => {
          const { items } = await this.catalog.getEntitiesByRefs(
            {
              entityRefs: missing.map(i => refs[i]),
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
            },
            { credentials },
          );
          return items.map(item => !!item);
        },
        found => found,
      ),
      cache.get(
        key(`${permission.name} *`),
        async () =>
          (
            await this.permissions.authorizeConditional([{ permission }], {
              credentials,
            })
          )?.[0]?.result,
        result => result !== undefined && result !== AuthorizeResult.DENY,
      ),
    ]);
    const existing = refs.filter((_, i) => exists[i]);
    if (policy === AuthorizeResult.DENY) return new Set();
    if (policy === AuthorizeResult.ALLOW) return answer(existing);
    // A permissions service with no answer for the permission as such (test doubles written
    // for `authorize` alone) is asked per ref, like a conditional decision.
    const results = await cache.getMany(
      existing.map(ref => key(`${permission.name} ${ref}`)),
      async missing => {
        const batches: string[][] = [];
        for (let i = 0; i < missing.length; i += AUTHORIZE_BATCH) {
          batches.push(
            missing.slice(i, i + AUTHORIZE_BATCH).map(index => existing[index]),
          );
        }
        const decisions = await Promise.all(
          batches.map(batch =>
            this.permissions.authorize(
              batch.map(ref => ({ permission, resourceRef: ref })),
              { credentials },
            ),
          ),
        );
        return decisions.flat().map(decision => decision.result);
      },
      isAllow,
    );
    return answer(existing.filter((_, i) => isAllow(results[i])));
  }
}
