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
 * deployment's releases and instances attached from the batched queries; a page at a time,
 * each page full however few of the rows the caller may read, with no duplicates or gaps
 * across pages while deployments are added, and cursors that move a page's start but never
 * what the permission lets through.
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
/** Every OLIVIA_EVERY-th of the many is Olivia's team's, the rest Carla's. */
const OLIVIA_EVERY = 50;
const manyOwner = (i: number) => (i % OLIVIA_EVERY === 0 ? 'team-a' : 'team-c');
const entities = [
  component('alpha', 'team-a'),
  component('beta', 'team-a'),
  component('gamma', 'team-b'),
  ...Array.from({ length: MANY }, (_, i) =>
    component(`many-${i}`, manyOwner(i)),
  ),
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

type Listed = {
  entityRef: string;
  environment: string;
  status: string;
  activeRelease?: { number: number; runCommand: string };
  instances: unknown[];
};

const key = (d: Listed) => `${d.entityRef} ${d.environment}`;
const manyRefs = (owner: string) =>
  Array.from({ length: MANY }, (_, i) => i)
    .filter(i => manyOwner(i) === owner)
    .map(i => `component:default/many-${i}`);
/** The list's order: entity ref, then environment, as the databases compare them (ASCII). */
const inListOrder = (keys: string[]) =>
  [...keys].sort((a, b) => Number(a > b) - Number(a < b));
const cursorOf = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(databases.eachSupportedId())(
  'GET /deployments with the shipped policy, on %p',
  databaseId => {
    let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    const add = async (entityRef: string, environment: string, n: number) => {
      const id = randomUUID();
      const releaseIds = Array.from({ length: n }, () => randomUUID());
      await knex('coderunner_deployments').insert({
        id,
        entity_ref: entityRef,
        environment,
        desired_state: 'stopped',
        status: 'stopped',
        active_release_id: releaseIds[n - 1],
        next_release_number: n + 1,
        created_by: 'user:default/olivia',
      });
      await knex('coderunner_releases').insert(
        releaseIds.map((releaseId, i) => ({
          id: releaseId,
          deployment_id: id,
          number: i + 1,
          manifest: JSON.stringify({
            kind: 'worker',
            run: { command: `node v${i + 1}.js` },
          }),
          status: 'built',
          created_by: 'user:default/olivia',
        })),
      );
    };

    const get = (who: keyof typeof tokens, query: Record<string, string>) =>
      request(backend.server)
        .get('/api/coderunner/deployments')
        .query(query)
        .set('authorization', `Bearer ${tokens[who]}`);

    const page = async (
      who: keyof typeof tokens,
      query: Record<string, string> = {},
    ) => {
      const response = await get(who, query);
      expect(response.status).toBe(200);
      return response.body as { items: Listed[]; nextCursor?: string };
    };

    /** Every page from the first, checking that each one but the last is full. */
    const pages = async (
      who: keyof typeof tokens,
      limit: number,
      query: Record<string, string> = {},
    ) => {
      const all: Listed[][] = [];
      let cursor: string | undefined;
      do {
        const { items, nextCursor } = await page(who, {
          ...query,
          limit: String(limit),
          ...(cursor ? { cursor } : {}),
        });
        if (nextCursor) expect(items).toHaveLength(limit);
        all.push(items);
        cursor = nextCursor;
      } while (cursor);
      return all;
    };
    const listAll = async (
      who: keyof typeof tokens,
      limit = 200,
      query: Record<string, string> = {},
    ) => (await pages(who, limit, query)).flat();

    beforeAll(async () => {
      emulator = await startTestEmulator();
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
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
      await waitForEntity(backend.server, 'component:default/alpha');
      await waitForEntity(backend.server, 'component:default/gamma');
      await waitForEntity(backend.server, `component:default/many-${MANY - 1}`);

      // Stopped deployments (the reconciler leaves them be), each with a built release;
      // alpha in both environments with a second release, and one of a deleted entity.
      for (const ref of [
        'component:default/alpha',
        'component:default/beta',
        'component:default/gamma',
        'component:default/deleted',
        ...Array.from(
          { length: MANY },
          (_, i) => `component:default/many-${i}`,
        ),
      ]) {
        await add(ref, 'staging', 1);
      }
      await add('component:default/alpha', 'production', 2);
    });

    afterAll(async () => {
      await backend?.stop();
      await emulator?.stop();
    });

    it('lists only the deployments of readable entities, each page full', async () => {
      // Olivia owns alpha and beta and every 50th of the many, not gamma: each page of 2 is
      // full though most rows between her deployments are not hers.
      const olivia = await pages('olivia', 2);
      expect(olivia.flat().map(key)).toEqual(
        inListOrder([
          'component:default/alpha production',
          'component:default/alpha staging',
          'component:default/beta staging',
          ...manyRefs('team-a').map(ref => `${ref} staging`),
        ]),
      );
      expect(olivia.length).toBe(Math.ceil(olivia.flat().length / 2));
      const production = olivia
        .flat()
        .find(d => d.environment === 'production');
      expect(production?.activeRelease).toMatchObject({
        number: 2,
        runCommand: 'node v2.js',
      });
      expect(production?.instances).toEqual([]);

      expect((await listAll('oscar')).map(d => d.entityRef)).toEqual([
        'component:default/gamma',
      ]);
      expect(await page('nobody')).toEqual({
        items: [],
        environments: ['staging', 'production'],
      });

      // More entities than one permission request holds: every one of them, nothing else,
      // once each, in order, across pages of 7.
      const carla = await listAll('carla', 7);
      expect(carla.map(key)).toEqual(
        inListOrder(manyRefs('team-c').map(ref => `${ref} staging`)),
      );
      expect(carla.every(d => d.activeRelease?.number === 1)).toBe(true);

      // Fifty when no limit is given.
      const first = await page('carla');
      expect(first.items).toHaveLength(50);
      expect(first.items.map(key)).toEqual(carla.slice(0, 50).map(key));

      // A reader is allowed outright (no per-entity decision): every deployment of an
      // entity the catalog has, and none of the deleted entity.
      const rita = await listAll('rita', 200);
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
    });

    it('filters by environment, status and text before cutting pages', async () => {
      expect(
        (await listAll('olivia', 1, { environment: 'production' })).map(key),
      ).toEqual(['component:default/alpha production']);
      // Every seeded deployment is stopped (the reconciler leaves them be).
      expect((await page('rita', { status: 'ready,failed' })).items).toEqual(
        [],
      );
      expect(
        (
          await listAll('rita', 3, {
            status: 'stopped,ready',
            environment: 'production',
          })
        ).map(key),
      ).toEqual(['component:default/alpha production']);
      expect(
        (await listAll('rita', 3, { environment: 'staging' })).length,
      ).toBe(MANY + 3);

      // Text in the entity ref, ignoring case: many-1, many-10…19, many-100…199 (111), of
      // which Olivia's team has many-100 and many-150.
      const ones = await listAll('rita', 40, { q: 'MANY-1' });
      expect(ones).toHaveLength(111);
      expect(
        (await listAll('olivia', 1, { q: 'many-1' })).map(d => d.entityRef),
      ).toEqual(['component:default/many-100', 'component:default/many-150']);
      // Taken literally: % and _ are not wildcards.
      expect((await page('rita', { q: 'many%1' })).items).toEqual([]);
      expect((await page('rita', { q: 'many_1' })).items).toEqual([]);
    });

    it('refuses a wrong limit, filter or cursor with a 400 naming it', async () => {
      const refused = async (query: Record<string, string>, text: RegExp) => {
        const response = await get('rita', query);
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body)).toMatch(text);
      };
      await refused({ limit: '0' }, /limit/);
      await refused({ limit: '201' }, /limit/);
      await refused({ limit: 'ten' }, /limit/);
      await refused({ environment: 'qa' }, /environment qa.*staging/);
      await refused({ status: 'sleeping' }, /status/);
      await refused({ q: 'x'.repeat(201) }, /q/);

      const { nextCursor } = await page('rita', { limit: '2' });
      expect(nextCursor).toBeDefined();
      const tampered = [
        `${nextCursor}!`,
        'not a cursor',
        Buffer.from('not json').toString('base64url'),
        cursorOf([1, 2]),
        cursorOf({ r: 'component:default/alpha' }),
        cursorOf({ r: 'component:default/alpha', e: 'qa' }),
        cursorOf({ r: 42, e: 'staging' }),
        cursorOf({ r: '', e: 'staging' }),
        cursorOf({ r: 'component:default/alpha', e: 'staging', x: 1 }),
      ];
      for (const cursor of tampered) {
        await refused({ cursor }, /cursor is not one this API gave out/);
      }
    });

    it('never reveals another entity through a cursor', async () => {
      // A cursor forged to start just before gamma (Oscar's): Olivia gets her own
      // deployments after that place, never gamma's.
      const forged = cursorOf({ r: 'component:default/deleted', e: 'staging' });
      const after = await listAll('olivia', 1, { cursor: forged });
      expect(after.map(d => d.entityRef)).toEqual(
        inListOrder(manyRefs('team-a')),
      );
      const nobody = await page('nobody', { cursor: forged });
      expect(nobody.items).toEqual([]);
      expect(nobody.nextCursor).toBeUndefined();
      // Olivia's own cursor in Oscar's hands shows Oscar only what he may read.
      const { nextCursor } = await page('olivia', { limit: '1' });
      expect(
        (await listAll('oscar', 1, { cursor: nextCursor! })).map(
          d => d.entityRef,
        ),
      ).toEqual(['component:default/gamma']);
    });

    it('pages without duplicates or gaps while deployments are added', async () => {
      const before = (await listAll('carla', 200)).map(key);
      const seen: string[] = [];
      let cursor: string | undefined;
      let added = false;
      do {
        const { items, nextCursor } = await page('carla', {
          limit: '40',
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...items.map(key));
        cursor = nextCursor;
        if (!added) {
          // Between the first and second page: one deployment before the cursor, one after.
          added = true;
          await add('component:default/many-1', 'production', 1);
          await add('component:default/many-99', 'production', 1);
        }
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(
        inListOrder([...before, 'component:default/many-99 production']),
      );
      // The one added before the cursor is on a fresh first pass.
      expect((await listAll('carla', 200)).map(key)).toContain(
        'component:default/many-1 production',
      );
    });
  },
);
