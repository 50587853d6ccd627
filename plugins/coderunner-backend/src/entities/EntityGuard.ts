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
}
