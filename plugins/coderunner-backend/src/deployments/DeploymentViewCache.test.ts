import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ConfigValues } from '../config/ConfigValues';
import { UsageLedger } from '../cost/UsageLedger';
import { DatabaseConfigStore } from '../config/DatabaseConfigStore';
import { Keyring } from '../config/Keyring';
import { ReleaseConfig } from '../config/ReleaseConfig';
import { SecretCipher } from '../config/SecretCipher';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime/AgentSphereRuntime';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { LocalSourceRoots } from '../source/LocalSourceRoots';
import { SourceArchiver } from '../source/SourceArchiver';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DeploymentService } from './DeploymentService';
import { DeploymentKey, LeaseLostError } from './DeploymentStore';
import {
  DEFAULT_VIEW_CACHE_BYTES,
  DeploymentViewCache,
  readViewCacheBytes,
} from './DeploymentViewCache';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();
const environments = ['development', 'production'];
const guest = 'user:default/guest';
const manifest = { kind: 'service', run: { command: 'node server.js' } };

const view = (id: string, status = 'ready') =>
  ({ id, status, instances: [] } as unknown as Deployment);
const key = (id: string, viewVersion = 1, configStamp = 0): DeploymentKey => ({
  id,
  entityRef: 'component:default/a',
  environment: 'development',
  viewVersion,
  configStamp,
});

describe('DeploymentViewCache', () => {
  it('hands a kept view back only for the view version, configuration stamp and gateway port it was made for', () => {
    const cache = new DeploymentViewCache(DEFAULT_VIEW_CACHE_BYTES);
    const kept = cache.keep({ id: 'd1', viewVersion: 3 }, 2, 7007, view('d1'));
    expect(kept.text).toBe(JSON.stringify(view('d1')));
    expect(cache.get(key('d1', 3, 2), 7007)).toBe(kept);
    expect(cache.get(key('d1', 4, 2), 7007)).toBeUndefined();
    expect(cache.get(key('d1', 2, 2), 7007)).toBeUndefined();
    expect(cache.get(key('d1', 3, 3), 7007)).toBeUndefined();
    expect(cache.get(key('d1', 3, 2), 7008)).toBeUndefined();
    expect(cache.get(key('d2', 3, 2), 7007)).toBeUndefined();
    // A newer view of the same deployment replaces the old one.
    cache.keep({ id: 'd1', viewVersion: 4 }, 2, 7007, view('d1', 'failed'));
    expect(cache.get(key('d1', 3, 2), 7007)).toBeUndefined();
    expect(cache.get(key('d1', 4, 2), 7007)?.view.status).toBe('failed');
  });

  it('counts each view by its text and drops the least recently used first; 0 keeps nothing', () => {
    const one = 100 + Math.ceil(JSON.stringify(view('d0')).length * 2.5);
    const cache = new DeploymentViewCache(one * 3);
    for (const id of ['d0', 'd1', 'd2']) {
      cache.keep({ id, viewVersion: 1 }, 0, undefined, view(id));
    }
    expect(cache.size).toBe(one * 3);
    expect(cache.get(key('d0'), undefined)).toBeDefined();
    cache.keep({ id: 'd3', viewVersion: 1 }, 0, undefined, view('d3'));
    expect(cache.size).toBe(one * 3);
    expect(cache.get(key('d1'), undefined)).toBeUndefined();
    for (const id of ['d0', 'd2', 'd3']) {
      expect(cache.get(key(id), undefined)).toBeDefined();
    }

    const none = new DeploymentViewCache(0);
    const made = none.keep({ id: 'd1', viewVersion: 1 }, 0, 1, view('d1'));
    expect(made.text).toBe(JSON.stringify(view('d1')));
    expect(none.get(key('d1'), 1)).toBeUndefined();
    expect(none.size).toBe(0);
  });

  it('reads its size from coderunner.deployments.viewCacheBytes', () => {
    const read = (viewCacheBytes: number) =>
      readViewCacheBytes(
        new ConfigReader({ coderunner: { deployments: { viewCacheBytes } } }),
      );
    expect(readViewCacheBytes(new ConfigReader({}))).toBe(
      DEFAULT_VIEW_CACHE_BYTES,
    );
    expect(read(0)).toBe(0);
    expect(read(1048576)).toBe(1048576);
    for (const wrong of [-1, 2.5, 2 * 1024 * 1024 * 1024]) {
      expect(() => read(wrong)).toThrow(
        `coderunner.deployments.viewCacheBytes must be a whole number of bytes from 0 (no cache) to 1073741824 (1 GiB); got ${wrong}`,
      );
    }
  });
});

describe.each(databases.eachSupportedId())(
  'deployment views kept by a replica, on %p',
  databaseId => {
    let knex: Knex;
    let store: DatabaseDeploymentStore;
    let configs: DatabaseConfigStore;
    let release: ReleaseConfig;
    let queries = 0;

    /** A replica's service over the shared database, with its own store and view cache. */
    const replica = (
      cacheBytes = DEFAULT_VIEW_CACHE_BYTES,
      replicaStore = DatabaseDeploymentStore.fromKnex(knex),
    ) => {
      const logger = mockServices.logger.mock();
      const urlReader = mockServices.urlReader.mock();
      const sourceReader = EntitySourceReader.create({
        urlReader,
        localRoots: LocalSourceRoots.of([]),
      });
      // Never asked: listing only reads the database.
      const runtime = AgentSphereRuntime.create({
        logger,
        apiKey: 'unused',
        domain: 'localhost:1',
      });
      return new DeploymentService(
        replicaStore,
        new Reconciler(
          runtime,
          replicaStore,
          knex,
          DatabaseLogStore.create({ knex }),
          logger,
          {},
        ),
        sourceReader,
        new SourceArchiver(sourceReader, urlReader),
        undefined,
        environments,
        release,
        new DeploymentViewCache(cacheBytes),
      );
    };
    const everything = async (refs: string[]) => new Set(refs);
    const pageOf = (service: DeploymentService) =>
      service.listPage({
        limit: 50,
        filter: { text: 'listed-' },
        allowed: everything,
      });
    /** What a replica that kept nothing shows now. */
    const fresh = () => pageOf(replica(0));
    const versionOf = async (id: string) =>
      (await store.getDeployment(id))!.viewVersion;
    const saveConfig = (entityRef: string, scope: string) =>
      configs.saveVersion({
        entityRef,
        author: guest,
        plan: () => ({
          close: [],
          insert: [],
          changes: [{ scope, name: 'GREETING', change: 'added' }],
        }),
      });

    /** A deployment of `name` in development with one release, not built yet. */
    const withRelease = async (name: string) => {
      const deployment = await store.ensureDeployment({
        entityRef: `component:default/${name}`,
        environment: 'development',
        createdBy: guest,
      });
      const first = await store.createRelease({
        deploymentId: deployment.id,
        manifest,
        source: Buffer.from('source'),
        desiredInstances: 1,
        createdBy: guest,
      });
      return { deployment, id: deployment.id, release: first };
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      knex.on('query', () => {
        queries++;
      });
      store = DatabaseDeploymentStore.fromKnex(knex);
      configs = await DatabaseConfigStore.create({ knex });
      release = new ReleaseConfig(
        configs,
        new ConfigValues(
          configs,
          new SecretCipher(
            Keyring.of([{ id: 'k1', secret: randomBytes(32) }], 'k1'),
          ),
          environments,
        ),
      );
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('raises the view version with every write to what a view shows, and not for leases or files', async () => {
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/versioned',
        environment: 'development',
        createdBy: guest,
      });
      const { id } = deployment;
      expect(deployment.viewVersion).toBe(0);
      let last = 0;
      const raises = async (write: () => Promise<unknown>) => {
        await write();
        const now = await versionOf(id);
        expect(now).toBeGreaterThan(last);
        last = now;
      };
      const keeps = async (write: () => Promise<unknown>) => {
        await write();
        expect(await versionOf(id)).toBe(last);
      };
      const newRelease = async () =>
        store.createRelease({
          deploymentId: id,
          seen: await store.rolloutSeen(
            deployment.entityRef,
            deployment.environment,
          ),
          manifest,
          source: Buffer.from('source'),
          desiredInstances: 1,
          createdBy: guest,
        });

      let first!: Awaited<ReturnType<typeof newRelease>>;
      await raises(async () => {
        first = await newRelease();
      });
      await raises(() => store.setReleaseStatus(first.id, 'building'));
      await raises(() => store.setReleaseStatus(first.id, 'built'));
      await keeps(() =>
        store.saveReleaseFile(first.id, 'artifact', Buffer.from('built')),
      );
      const lease = (await store.acquireLease(id, 'replica-a', 60_000))!;
      await keeps(() => store.renewLeases('replica-a', 60_000));
      let instance!: Awaited<ReturnType<typeof store.createInstance>>;
      await raises(async () => {
        instance = await store.createInstance({
          deploymentId: id,
          releaseId: first.id,
          fence: lease,
        });
      });
      await raises(() =>
        store.updateInstance(
          instance.id,
          { state: 'ready', readyAt: new Date() },
          lease,
        ),
      );
      await raises(() =>
        store.updateDeployment(
          id,
          { activeReleaseId: first.id, targetReleaseId: undefined },
          lease,
        ),
      );
      await raises(() => store.markInstanceUnhealthy(instance.id, 'no answer'));
      // Asked again of an instance no longer ready: nothing to write, nothing locked or raised.
      await keeps(async () =>
        expect(await store.markInstanceUnhealthy(instance.id, 'again')).toBe(
          false,
        ),
      );
      await raises(() => store.deleteInstance(instance.id, lease));
      await raises(() => newRelease());
      await raises(async () =>
        store.targetRelease({
          deploymentId: id,
          releaseNumber: 1,
          requestedBy: guest,
          seen: await store.rolloutSeen(
            deployment.entityRef,
            deployment.environment,
          ),
        }),
      );
      for (let i = 0; i < 3; i++) {
        const more = await newRelease();
        await store.setReleaseStatus(more.id, 'built');
      }
      last = await versionOf(id);
      // Release 2's files go: neither the newest two, nor active, target or rollback target.
      await raises(async () =>
        expect((await store.pruneReleaseFiles(2)).releases).toBeGreaterThan(0),
      );
      await keeps(() => store.pruneReleaseFiles(2));
      await keeps(() => store.releaseLeases('replica-a'));
    });

    it('raises the view version for writes the store did not make (an older replica, a fix by hand in SQL), and a deletion still cascades', async () => {
      const { id, release: built } = await withRelease('by-hand');
      const instance = await store.createInstance({
        deploymentId: id,
        releaseId: built.id,
      });
      let last = await versionOf(id);
      const bySql: Array<[string, () => Promise<unknown>]> = [
        [
          'an instance changed',
          () =>
            knex('coderunner_instances')
              .where({ id: instance.id })
              .update({ state: 'ready' }),
        ],
        [
          'a release changed',
          () =>
            knex('coderunner_releases')
              .where({ id: built.id })
              .update({ status: 'built' }),
        ],
        [
          'the status changed',
          () =>
            knex('coderunner_deployments')
              .where({ id })
              .update({ status: 'ready', status_reason: 'fixed by hand' }),
        ],
        [
          'an instance gone',
          () =>
            knex('coderunner_instances').where({ id: instance.id }).delete(),
        ],
      ];
      if (databaseId === 'POSTGRES_15') {
        // From a session whose search path does not name the plugin's schema, as psql's would
        // not where Backstage gives each plugin a schema of its own.
        bySql.push([
          'a release changed from another search path',
          async () => {
            const schema = (await knex.raw('select current_schema() as s'))
              .rows[0].s;
            await knex.transaction(async tx => {
              await tx.raw('set local search_path to pg_catalog');
              await tx.raw(
                `update "${schema}".coderunner_releases set source_summary = 'fixed in psql' where id = ?`,
                [built.id],
              );
            });
          },
        ]);
      }
      for (const [what, write] of bySql) {
        await write();
        const now = await versionOf(id);
        if (now <= last) throw new Error(`${what} raised nothing`);
        last = now;
      }
      // Columns no view shows raise nothing.
      await knex('coderunner_deployments')
        .where({ id })
        .update({ log_seq: 42, lease_owner: 'replica-x', lease_token: 7 });
      expect(await versionOf(id)).toBe(last);

      await store.createInstance({ deploymentId: id, releaseId: built.id });
      await store.deleteDeployment(id);
      expect(await store.getDeployment(id)).toBeUndefined();
      expect(await store.listInstances(id)).toEqual([]);
      expect(await store.listReleases(id)).toEqual([]);
    });

    it('raises nothing and keeps nothing of a write that fails halfway', async () => {
      const { deployment, release: built } = await withRelease('halfway');
      const before = await versionOf(deployment.id);
      const ledger = jest
        .spyOn(UsageLedger, 'openInstance')
        .mockRejectedValueOnce(new Error('the ledger is down'));
      await expect(
        store.createInstance({
          deploymentId: deployment.id,
          releaseId: built.id,
        }),
      ).rejects.toThrow('the ledger is down');
      ledger.mockRestore();
      expect(await versionOf(deployment.id)).toBe(before);
      expect(await store.listInstances(deployment.id)).toEqual([]);
    });

    it('writes nothing and raises nothing for a fenced write whose lease was lost', async () => {
      const { id, release: built } = await withRelease('fenced');
      const lost = (await store.acquireLease(id, 'replica-a', 60_000))!;
      const instance = await store.createInstance({
        deploymentId: id,
        releaseId: built.id,
        fence: lost,
      });
      await knex('coderunner_deployments')
        .where({ id })
        .update({ lease_expires_at: new Date(0) });
      expect(await store.acquireLease(id, 'replica-b', 60_000)).toBeDefined();
      const before = await versionOf(id);

      await expect(
        store.updateInstance(instance.id, { state: 'ready' }, lost),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await expect(
        store.setReleaseStatus(built.id, 'failed', 'no', lost),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await expect(
        store.createInstance({
          deploymentId: id,
          releaseId: built.id,
          fence: lost,
        }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await expect(
        store.deleteInstance(instance.id, lost),
      ).rejects.toBeInstanceOf(LeaseLostError);

      expect(await versionOf(id)).toBe(before);
      expect(await store.listInstances(id)).toEqual([
        expect.objectContaining({ id: instance.id, state: 'provisioning' }),
      ]);
      expect((await store.getRelease(built.id))!.status).toBe('pending');
    });

    it('reads a list again with one query, and after each change made on any replica shows what a fresh read shows', async () => {
      const kept = replica(DEFAULT_VIEW_CACHE_BYTES, store);
      const refs = [
        'component:default/listed-alpha',
        'component:default/listed-beta',
      ];
      const alpha = await store.ensureDeployment({
        entityRef: refs[0],
        environment: 'development',
        createdBy: guest,
      });
      await store.ensureDeployment({
        entityRef: refs[1],
        environment: 'production',
        createdBy: guest,
      });
      const getDeployments = jest.spyOn(store, 'getDeployments');

      /** The kept replica's page: what a fresh replica shows, with texts of its items. */
      const same = async () => {
        const page = await pageOf(kept);
        expect(page.items).toEqual((await fresh()).items);
        expect(page.texts).toEqual(page.items.map(i => JSON.stringify(i)));
        return page;
      };
      await same();

      // Read again with nothing changed: the keys' one query, nothing else.
      const again = await same();
      queries = 0;
      getDeployments.mockClear();
      const third = await pageOf(kept);
      expect(queries).toBe(1);
      expect(getDeployments).not.toHaveBeenCalled();
      expect(third.items[0]).toBe(again.items[0]);
      // Shared between requests, so nobody may change one.
      expect(() => {
        (third.items[0] as { status: string }).status = 'failed';
      }).toThrow(TypeError);
      expect(() => third.items[0].instances.push({} as never)).toThrow(
        TypeError,
      );

      // Each change below is made through the store, as any replica's reconciler or API would.
      const lease = (await store.acquireLease(alpha.id, 'replica-b', 60_000))!;
      const changes: Array<[string, () => Promise<unknown>]> = [];
      let releaseId = '';
      let instanceId = '';
      changes.push(
        [
          'a deploy',
          async () => {
            releaseId = (
              await store.createRelease({
                deploymentId: alpha.id,
                seen: await store.rolloutSeen(refs[0], 'development'),
                manifest,
                source: Buffer.from('source'),
                desiredInstances: 1,
                createdBy: guest,
              })
            ).id;
          },
        ],
        ['its build', () => store.setReleaseStatus(releaseId, 'built')],
        [
          'an instance',
          async () => {
            instanceId = (
              await store.createInstance({
                deploymentId: alpha.id,
                releaseId,
                fence: lease,
              })
            ).id;
          },
        ],
        [
          'the instance ready',
          () =>
            store.updateInstance(
              instanceId,
              { state: 'ready', readyAt: new Date(), restarts: 1 },
              lease,
            ),
        ],
        [
          'the release live',
          () =>
            store.updateDeployment(
              alpha.id,
              {
                activeReleaseId: releaseId,
                targetReleaseId: undefined,
                status: 'ready',
                statusReason: 'Release 1 is live',
              },
              lease,
            ),
        ],
        ['a config change', () => saveConfig(refs[0], 'development')],
        ['a config change elsewhere', () => saveConfig(refs[0], 'production')],
        [
          'the instance unhealthy',
          () => store.markInstanceUnhealthy(instanceId, 'no answer'),
        ],
        ['the instance gone', () => store.deleteInstance(instanceId, lease)],
        [
          'a scale',
          () =>
            store.updateDeployment(alpha.id, { desiredInstances: 3 }, lease),
        ],
        ['a deletion', () => store.deleteDeployment(alpha.id, lease)],
      );
      for (const [what, change] of changes) {
        await change();
        getDeployments.mockClear();
        const page = await same().catch(error => {
          throw new Error(`after ${what}: ${error}`);
        });
        // Only the deployment that changed is read again (none after the deletion).
        expect(getDeployments.mock.calls.flat(2)).toEqual(
          what === 'a deletion' ? [] : [alpha.id],
        );
        expect(page.items.map(i => i.entityRef)).toEqual(
          what === 'a deletion' ? [refs[1]] : refs,
        );
      }
      const shown = (await fresh()).items;
      expect(shown).toHaveLength(1);
      getDeployments.mockRestore();
    });

    it('never keeps a view older than the version it is kept for, when a write lands while a list reads', async () => {
      const kept = replica(DEFAULT_VIEW_CACHE_BYTES, store);
      const entityRef = 'component:default/racing';
      const { deployment: racing, release: built } = await withRelease(
        'racing',
      );
      const instance = await store.createInstance({
        deploymentId: racing.id,
        releaseId: built.id,
      });
      const mine = async () =>
        (await kept.listViews(entityRef)).items[0].instances[0].state;
      const freshly = async () =>
        (await replica(0).listViews(entityRef)).items[0];

      // A write between the list's row and its instances: the instances are newer than the
      // row's version, and the next read, at the new version, reads them again anyway.
      const listInstancesOf = jest
        .spyOn(store, 'listInstancesOf')
        .mockImplementationOnce(async ids => {
          await store.updateInstance(instance.id, { state: 'starting' });
          return DatabaseDeploymentStore.prototype.listInstancesOf.call(
            store,
            ids,
          );
        });
      expect(await mine()).toBe('starting');
      listInstancesOf.mockRestore();
      expect((await kept.listViews(entityRef)).items[0]).toEqual(
        await freshly(),
      );

      // A write right after the list read its parts: the next read sees it.
      const getReleases = jest
        .spyOn(store, 'getReleases')
        .mockImplementationOnce(async ids => {
          const found =
            await DatabaseDeploymentStore.prototype.getReleases.call(
              store,
              ids,
            );
          await store.updateInstance(instance.id, { state: 'ready' });
          return found;
        });
      await store.updateInstance(instance.id, { state: 'crashed' });
      expect(await mine()).toBe('crashed');
      getReleases.mockRestore();
      expect(await mine()).toBe('ready');
      expect((await kept.listViews(entityRef)).items[0]).toEqual(
        await freshly(),
      );

      // The global list reads keys, then the rows it has no view of: a write in between is
      // shown (newer than the key), kept under the row's version, and the status filter the
      // key passed is asked again of the row.
      const racingPage = (service: DeploymentService, statuses?: never[]) =>
        service.listPage({
          limit: 50,
          filter: { text: 'racing', statuses },
          allowed: everything,
        });
      await store.updateDeployment(racing.id, { status: 'degraded' });
      const getDeployments = jest
        .spyOn(store, 'getDeployments')
        .mockImplementationOnce(async ids => {
          await store.updateDeployment(racing.id, { status: 'failed' });
          return DatabaseDeploymentStore.prototype.getDeployments.call(
            store,
            ids,
          );
        });
      const degraded = await racingPage(kept, ['degraded' as never]);
      expect(getDeployments).toHaveBeenCalledTimes(1);
      getDeployments.mockRestore();
      expect(degraded.items).toEqual([]);
      expect((await racingPage(kept)).items.map(i => i.status)).toEqual([
        'failed',
      ]);
      expect((await racingPage(kept)).items).toEqual(
        (await racingPage(replica(0))).items,
      );
    });
  },
);
