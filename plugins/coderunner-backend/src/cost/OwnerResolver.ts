import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Finds the owner group (`spec.owner`, as a full ref) of catalog entities, with the plugin's
 * own credentials: cost is attributed to whoever owns an entity now. Callers filter what a
 * user may see themselves.
 *
 * @internal
 */
export class OwnerResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownersOf(refs: string[]): Promise<Map<string, string | undefined>> {
    const unique = [...new Set(refs)];
    const owners = new Map<string, string | undefined>();
    if (unique.length === 0) return owners;
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: unique,
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    unique.forEach((ref, i) => {
      const owner = items[i]?.spec?.owner;
      owners.set(
        ref,
        typeof owner === 'string' && owner
          ? normalizeOwner(owner, items[i]!.metadata.namespace)
          : undefined,
      );
    });
    return owners;
  }
}

function normalizeOwner(owner: string, namespace: string | undefined) {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: namespace ?? 'default',
      }),
    );
  } catch {
    return owner;
  }
}
