import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import request from 'supertest';

const SUBPROTOCOL_PREFIX = 'mock-b64.';

/**
 * A mock token in a form a WebSocket subprotocol may carry (mock user tokens hold JSON, as real
 * tokens never do), for {@link authWithActors}.
 */
export function subprotocolToken(token: string): string {
  return `${SUBPROTOCOL_PREFIX}${Buffer.from(token).toString('base64url')}`;
}

/**
 * Mock auth, except that a token a plugin asks for on a user's behalf names that plugin as the
 * actor, as real Backstage tokens do: the catalog and the permission backend refuse user
 * requests without one where only plugins may call (catalog reads, applying conditions). It
 * also takes tokens from {@link subprotocolToken}.
 */
export const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) =>
        auth.authenticate(
          token.startsWith(SUBPROTOCOL_PREFIX)
            ? Buffer.from(
                token.slice(SUBPROTOCOL_PREFIX.length),
                'base64url',
              ).toString()
            : token,
          options,
        ),
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

/** Each user's ownership refs as a catalog sign-in resolver puts them in the token. */
export function userInfoWithGroups(groups: Record<string, string[]>) {
  return mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
      };
    },
  }).factory;
}

/** A catalog module that provides `entities`, as an entity provider would. */
export function catalogWith(entities: Entity[]) {
  return createBackendModule({
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
}

/** Waits until the catalog has processed `ref` (its ownership relations exist then). */
export async function waitForEntity(
  server: Parameters<typeof request>[0],
  ref: string,
) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  for (;;) {
    const response = await request(server)
      .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
      .set('authorization', mockCredentials.service.header());
    if (response.status === 200 && response.body.relations?.length) return;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
