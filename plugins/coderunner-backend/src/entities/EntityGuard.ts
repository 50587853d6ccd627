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
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: options.credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const [decision] = await this.permissions.authorize(
      [{ permission: options.permission, resourceRef: entityRef }],
      { credentials: options.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed ${options.permission.name} on ${entityRef}`,
      );
    }
    return entity;
  }

  /**
   * Which of `refs` exist in the catalog for the caller and pass `permission`: one catalog
   * query and, at the same time, the permission decisions in batches of
   * {@link AUTHORIZE_BATCH} (the permission backend refuses request bodies over 100 kB, about
   * 450 refs); a ref is allowed when both say yes.
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
    const batches: string[][] = [];
    for (let i = 0; i < refs.length; i += AUTHORIZE_BATCH) {
      batches.push(refs.slice(i, i + AUTHORIZE_BATCH));
    }
    const [{ items }, ...decisions] = await Promise.all([
      this.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: options.credentials },
      ),
      ...batches.map(batch =>
        this.permissions.authorize(
          batch.map(ref => ({
            permission: options.permission,
            resourceRef: ref,
          })),
          { credentials: options.credentials },
        ),
      ),
    ]);
    const allowed = decisions.flat();
    return new Set(
      refs.filter(
        (_, i) => items[i] && allowed[i].result === AuthorizeResult.ALLOW,
      ),
    );
  }
}
