import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseDeploymentCensus } from './DeploymentCensus';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('DatabaseDeploymentCensus', () => {
  it.each(databases.eachSupportedId())(
    'counts instances by state, restarts and desired instances on %p',
    async id => {
      const knex = await databases.init(id);
      await migrateDatabaseUp(knex);
      const store = DatabaseDeploymentStore.fromKnex(knex);
      const createdBy = 'user:default/test';
      const web = await store.ensureDeployment({
        entityRef: 'component:default/web',
        environment: 'production',
        createdBy,
      });
      const release = await store.createRelease({
        deploymentId: web.id,
        manifest: {},
        source: Buffer.from(''),
        desiredInstances: 3,
        createdBy,
      });
      await store.updateDeployment(web.id, { desiredInstances: 3 });
      for (const [state, restarts] of [
        ['ready', 0],
        ['ready', 1],
        ['crashed', 4],
      ] as const) {
        const instance = await store.createInstance({
          deploymentId: web.id,
          releaseId: release.id,
        });
        await store.updateInstance(instance.id, { state, restarts });
      }
      const idle = await store.ensureDeployment({
        entityRef: 'component:default/idle',
        environment: 'staging',
        createdBy,
      });
      await store.updateDeployment(idle.id, {
        desiredState: 'stopped',
        desiredInstances: 2,
      });

      const counts = await DatabaseDeploymentCensus.create({ knex }).count();
      expect(
        counts.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
      ).toEqual([
        {
          entityRef: 'component:default/idle',
          environment: 'staging',
          desiredInstances: 0,
          instancesByState: new Map(),
          restarts: 0,
          releasesByStatus: new Map(),
        },
        {
          entityRef: 'component:default/web',
          environment: 'production',
          desiredInstances: 3,
          instancesByState: new Map([
            ['ready', 2],
            ['crashed', 1],
          ]),
          restarts: 5,
          releasesByStatus: new Map([['pending', 1]]),
        },
      ]);
      await knex.destroy();
    },
  );
});
