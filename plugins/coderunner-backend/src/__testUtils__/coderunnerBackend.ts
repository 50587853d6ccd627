import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { coderunnerPlugin } from '../plugin';

/** The catalog entity the CodeRunner route tests deploy and configure. */
const helloNode = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/platform',
    lifecycle: 'experimental',
  },
};

/**
 * A backend with the CodeRunner plugin, a catalog holding {@link helloNode}, the gateway off
 * and `coderunner` as the rest of its configuration; `features` add or replace services.
 */
export function startHelloNodeBackend(
  coderunner: Record<string, unknown>,
  features: BackendFeature[] = [],
) {
  return startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({ entities: [helloNode] }),
      ...features,
      mockServices.rootConfig.factory({
        data: { coderunner: { gateway: { enabled: false }, ...coderunner } },
      }),
    ],
  });
}

/**
 * A permission service that allows exactly the CodeRunner permissions last given to `allow`
 * (by name without the `coderunner.` prefix) and denies every other.
 */
export function permissionsAllowing() {
  let allowed = new Set<string>();
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: allowed.has(r.permission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })) as any,
  });
  return {
    factory: permissions.factory,
    /** The service itself, for tests that build a guard or router by hand. */
    service: permissions,
    allow(...names: string[]) {
      allowed = new Set(names.map(n => `coderunner.${n}`));
    },
  };
}

/** Saves `changes` through the config API, for tests that start from stored values. */
export async function seedConfig(
  server: Parameters<typeof request>[0],
  configPath: string,
  changes: Array<Record<string, unknown>>,
) {
  const seeded = await request(server)
    .post(`${configPath}/changes`)
    .send({ changes });
  if (seeded.status !== 202) {
    throw new Error(`Could not seed the configuration: ${seeded.text}`);
  }
}
