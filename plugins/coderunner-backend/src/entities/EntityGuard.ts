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

/** Permission decisions asked for in one request to the permission backend. */
const AUTHORIZE_BATCH = 200;

/**
 * Loads a catalog entity on behalf of a caller and checks one CodeRunner permission on it.
 * Every entity-scoped route goes through here, so the checks cannot be forgotten.
 *
 * @internal
 */
export class EntityGuard {
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
  ) {}

  async authorize(options: {
    ref: CompoundEntityRef | string;
    permission: ResourcePermission<'catalog-entity'>;
    credentials: BackstageCredentials;
  }): Promise<Entity> {
    const entityRef =
      typeof options.ref === 'string'
        ? stringifyEntityRef(parseEntityRef(options.ref))
        : stringifyEntityRef(options.ref);
    // Both asked at once; the catalog's answer still comes first (404 before 403, and a
    // failed decision on an entity that does not exist is still a 404).
    const [entity, decisions] = await Promise.all([
      this.catalog.getEntityByRef(entityRef, {
        credentials: options.credentials,
      }),
      this.permissions
        .authorize(
          [{ permission: options.permission, resourceRef: entityRef }],
          { credentials: options.credentials },
        )
        .catch((error: Error) => error),
    ]);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    if (decisions instanceof Error) throw decisions;
    const [decision] = decisions;
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed ${options.permission.name} on ${entityRef}`,
      );
    }
    return entity;
  }

  /**
   * Which of `refs` exist in the catalog for the caller and pass `permission`: one catalog
   * query and, at the same time, the policy's decision for the permission as such (one
   * `authorizeConditional`, as the catalog asks for its own list reads). A policy decides
   * without seeing the resource, so an unconditional ALLOW or DENY holds for every ref. Only a
   * conditional decision (e.g. "owners only") is then resolved per ref, in batches of
   * {@link AUTHORIZE_BATCH} asked at once (the permission backend refuses request bodies over
   * 100 kB, about 450 refs), which the permission backend resolves against the catalog; a ref
   * is allowed when the catalog has it and its decision is ALLOW.
   */
  async allowedRefs(options: {
    refs: string[];
    permission: ResourcePermission<'catalog-entity'>;
    credentials: BackstageCredentials;
  }): Promise<Set<string>> {
    const refs = [
      ...new Set(
        options.refs.map(ref => stringifyEntityRef(parseEntityRef(ref))),
      ),
    ];
    if (refs.length === 0) return new Set();
    const [{ items }, conditional] = await Promise.all([
      this.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: options.credentials },
      ),
      this.permissions.authorizeConditional(
        [{ permission: options.permission }],
        { credentials: options.credentials },
      ),
    ]);
    // A permissions service with no answer for the permission as such (test doubles written
    // for `authorize` alone) is asked per ref, like a conditional decision.
    const policy = conditional?.[0];
    if (policy?.result === AuthorizeResult.DENY) return new Set();
    if (policy?.result === AuthorizeResult.ALLOW) {
      return new Set(refs.filter((_, i) => items[i]));
    }
    const batches: string[][] = [];
    for (let i = 0; i < refs.length; i += AUTHORIZE_BATCH) {
      batches.push(refs.slice(i, i + AUTHORIZE_BATCH));
    }
    const decisions = await Promise.all(
      batches.map(batch =>
        this.permissions.authorize(
          batch.map(ref => ({
            permission: options.permission,
            resourceRef: ref,
          })),
          { credentials: options.credentials },
        ),
      ),
    );
    const allowed = decisions.flat();
    return new Set(
      refs.filter(
        (_, i) => items[i] && allowed[i].result === AuthorizeResult.ALLOW,
      ),
    );
  }
}
