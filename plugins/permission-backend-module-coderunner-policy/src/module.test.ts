import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  coderunnerDeployPermission,
  coderunnerDeploymentReadPermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import policyModule from './index';

jest.setTimeout(60_000);

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://example.com/catalog-info.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://example.com/catalog-info.yaml',
    },
  },
  spec: { type: 'service', lifecycle: 'experimental', owner },
});

const groups: Record<string, string[]> = {
  'user:default/owner': ['group:default/team-a'],
  'user:default/other': ['group:default/team-b'],
  'user:default/operator': ['group:default/ops'],
};

/**
 * Mock auth, except that a token a plugin asks for on a user's behalf names that plugin as the
 * actor, as real Backstage tokens do: the catalog and the permission backend refuse user
 * requests without one where only plugins may call.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: auth.authenticate.bind(auth),
      getNoneCredentials: auth.getNoneCredentials.bind(auth),
      getOwnServiceCredentials: auth.getOwnServiceCredentials.bind(auth),
      isPrincipal: auth.isPrincipal.bind(auth) as typeof auth.isPrincipal,
      getLimitedUserToken: auth.getLimitedUserToken.bind(auth),
      listPublicServiceKeys: auth.listPublicServiceKeys.bind(auth),
      async getPluginRequestToken(options) {
        const { onBehalfOf } = options;
        if (!auth.isPrincipal(onBehalfOf, 'user')) {
          return auth.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(
            onBehalfOf.principal.userEntityRef,
            {
              actor: { subject: `plugin:${plugin.getId()}` },
            },
          ),
        };
      },
    };
  },
});

/** The real catalog, permission backend and this module; the catalog holds what the test gives it. */
async function startPortal(entities: Entity[]) {
  const testEntities = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-entities',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'test-entities',
            connect: async connection =>
              connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'test-entities',
                })),
              }),
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      testEntities,
      permissionPlugin,
      policyModule,
      authWithActors,
      // Ownership refs as the auth backend would put them in each user's token.
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          coderunner: {
            permissionPolicy: { operators: ['group:default/ops'] },
          },
        },
      }),
    ],
  });
  // The catalog processes provided entities in the background; their ownership relations
  // exist once it has.
  for (const entity of entities) {
    for (;;) {
      const response = await request(backend.server)
        .get(
          `/api/catalog/entities/by-name/component/default/${entity.metadata.name}`,
        )
        .set('authorization', mockCredentials.service.header());
      if (response.status === 200 && response.body.relations?.length) break;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  return backend;
}

describe('the CodeRunner permission policy in a portal', () => {
  it('has the catalog decide ownership for the entity a request names', async () => {
    const { server } = await startPortal([
      component('service-a', 'group:default/team-a'),
    ]);
    const ask = async (
      user: string,
      permission: typeof coderunnerDeployPermission,
    ) => {
      const response = await request(server)
        .post('/api/permission/authorize')
        .set('authorization', mockCredentials.user.header(user))
        .send({
          items: [
            { id: '1', permission, resourceRef: 'component:default/service-a' },
          ],
        });
      expect(response.status).toBe(200);
      return response.body.items[0].result;
    };

    expect(await ask('user:default/owner', coderunnerDeployPermission)).toBe(
      'ALLOW',
    );
    expect(
      await ask('user:default/owner', coderunnerSecretRevealPermission),
    ).toBe('ALLOW');
    expect(await ask('user:default/other', coderunnerDeployPermission)).toBe(
      'DENY',
    );
    expect(
      await ask('user:default/other', coderunnerSecretRevealPermission),
    ).toBe('DENY');
    expect(
      await ask('user:default/other', coderunnerDeploymentReadPermission),
    ).toBe('ALLOW');
    expect(
      await ask('user:default/operator', coderunnerSecretRevealPermission),
    ).toBe('ALLOW');
  });
});
