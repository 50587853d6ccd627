import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import policyModule from '@coderunner/plugin-permission-backend-module-coderunner-policy';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import {
  authWithActors,
  catalogWith,
  userInfoWithGroups,
  waitForEntity,
} from '../__testUtils__/portalWithPolicy';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(300_000);

/**
 * The global deployments list with the real catalog, the real permission backend and the
 * shipped policy: a caller sees exactly the deployments of the entities they may read, however
 * many there are (more than fit in one request to the permission backend), with each
 * deployment's releases and instances attached from the batched queries.
 */
const databases = createTestDatabases();
const annotations = {
  'backstage.io/managed-by-location': 'url:http://localhost/list-test',
  'backstage.io/managed-by-origin-location': 'url:http://localhost/list-test',
};
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string, member: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'team', children: [], members: [member] },
});

/** More entities than one batch of permission decisions holds (the backend's body limit). */
const MANY = 460;
const entities = [
  component('alpha', 'team-a'),
  component('beta', 'team-a'),
  component('gamma', 'team-b'),
  ...Array.from({ length: MANY }, (_, i) => component(`many-${i}`, 'team-c')),
  group('team-a', 'user:default/olivia'),
  group('team-b', 'user:default/oscar'),
  group('team-c', 'user:default/carla'),
];
const tokens = {
  olivia: mockCredentials.user.token('user:default/olivia'),
  oscar: mockCredentials.user.token('user:default/oscar'),
  carla: mockCredentials.user.token('user:default/carla'),
  nobody: mockCredentials.user.token('user:default/nobody'),
  rita: mockCredentials.user.token('user:default/rita'),
};

describe('GET /deployments with the shipped policy', () => {
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it.each(databases.eachSupportedId())(
    'lists only the deployments of readable entities, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          coderunnerPlugin,
          emulatorRuntimeModule(emulator.emulator),
          catalogPlugin,
          catalogWith(entities),
          permissionPlugin,
          policyModule,
          authWithActors,
          userInfoWithGroups({
            'user:default/olivia': ['group:default/team-a'],
            'user:default/oscar': ['group:default/team-b'],
            'user:default/carla': ['group:default/team-c'],
            'user:default/rita': ['group:default/readers'],
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              coderunner: {
                // Readers are configured, so reading is the owners' (and readers') alone.
                permissionPolicy: { viewers: ['group:default/readers'] },
                environments: ['staging', 'production'],
                gateway: { port: 0 },
              },
            },
          }),
        ],
      });
      try {
        await waitForEntity(backend.server, 'component:default/alpha');
        await waitForEntity(backend.server, 'component:default/gamma');
        await waitForEntity(
          backend.server,
          `component:default/many-${MANY - 1}`,
        );

        // Stopped deployments (the reconciler leaves them be), each with a built release;
        // alpha in both environments with a second release, and one of a deleted entity.
        const refs = [
          'component:default/alpha',
          'component:default/beta',
          'component:default/gamma',
          'component:default/deleted',
          ...Array.from(
            { length: MANY },
            (_, i) => `component:default/many-${i}`,
          ),
        ];
        const deployments: object[] = [];
        const releases: object[] = [];
        const add = (entityRef: string, environment: string, n: number) => {
          const id = randomUUID();
          const releaseIds = Array.from({ length: n }, () => randomUUID());
          deployments.push({
            id,
            entity_ref: entityRef,
            environment,
            desired_state: 'stopped',
            status: 'stopped',
            active_release_id: releaseIds[n - 1],
            next_release_number: n + 1,
            created_by: 'user:default/olivia',
          });
          releaseIds.forEach((releaseId, i) =>
            releases.push({
              id: releaseId,
              deployment_id: id,
              number: i + 1,
              manifest: JSON.stringify({
                kind: 'worker',
                run: { command: `node v${i + 1}.js` },
              }),
              status: 'built',
              created_by: 'user:default/olivia',
            }),
          );
        };
        refs.forEach(ref => add(ref, 'staging', 1));
        add('component:default/alpha', 'production', 2);
        for (let i = 0; i < deployments.length; i += 100) {
          await knex('coderunner_deployments').insert(
            deployments.slice(i, i + 100),
          );
        }
        for (let i = 0; i < releases.length; i += 100) {
          await knex('coderunner_releases').insert(releases.slice(i, i + 100));
        }

        const list = async (who: keyof typeof tokens) => {
          const response = await request(backend.server)
            .get('/api/coderunner/deployments')
            .set('authorization', `Bearer ${tokens[who]}`);
          expect(response.status).toBe(200);
          return response.body.items as {
            entityRef: string;
            environment: string;
            activeRelease?: { number: number; runCommand: string };
            instances: unknown[];
          }[];
        };

        // Olivia owns alpha and beta, not gamma: 3 deployments of the 3 entities' 4.
        const olivia = await list('olivia');
        expect(
          olivia.map(d => `${d.entityRef} ${d.environment}`).sort(),
        ).toEqual([
          'component:default/alpha production',
          'component:default/alpha staging',
          'component:default/beta staging',
        ]);
        const production = olivia.find(d => d.environment === 'production');
        expect(production?.activeRelease).toMatchObject({
          number: 2,
          runCommand: 'node v2.js',
        });
        expect(production?.instances).toEqual([]);

        expect((await list('oscar')).map(d => d.entityRef)).toEqual([
          'component:default/gamma',
        ]);
        expect(await list('nobody')).toEqual([]);

        // More entities than one permission request holds: every one of them, nothing else.
        const carla = await list('carla');
        expect(carla).toHaveLength(MANY);
        expect(new Set(carla.map(d => d.entityRef))).toEqual(
          new Set(
            Array.from(
              { length: MANY },
              (_, i) => `component:default/many-${i}`,
            ),
          ),
        );
        expect(carla.every(d => d.activeRelease?.number === 1)).toBe(true);

        // A reader is allowed outright (no per-entity decision): every deployment of an
        // entity the catalog has, and none of the deleted entity.
        const rita = await list('rita');
        expect(rita).toHaveLength(MANY + 4);
        expect(rita.map(d => d.entityRef)).not.toContain(
          'component:default/deleted',
        );

        // The per-entity read agrees with the list.
        const own = await request(backend.server)
          .get('/api/coderunner/entities/component/default/alpha/deployments')
          .set('authorization', `Bearer ${tokens.olivia}`);
        expect(own.status).toBe(200);
        expect(own.body.items).toHaveLength(2);
        const refused = await request(backend.server)
          .get('/api/coderunner/entities/component/default/alpha/deployments')
          .set('authorization', `Bearer ${tokens.oscar}`);
        expect(refused.status).toBe(403);
      } finally {
        await backend.stop();
      }
    },
  );
});
