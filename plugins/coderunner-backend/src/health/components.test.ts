import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { LogHub } from '../logs/LogHub';
import { PgNotifyTransport } from '../logs/PgNotifyTransport';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime';
import { logPipelineHealth, reconcilerHealth } from './components';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('readiness components', () => {
  it.each(databases.eachSupportedId())(
    'the reconciler is ready only while its loop runs and reads the database, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      const logger = mockServices.logger.mock();
      // No API key: the orphan sweep at start fails at once, as it may; the loop goes on.
      const runtime = AgentSphereRuntime.create({ logger, apiKey: '' });
      const reconciler = new Reconciler(
        runtime,
        DatabaseDeploymentStore.fromKnex(knex),
        knex,
        DatabaseLogStore.create({ knex }),
        logger,
      );
      const health = reconcilerHealth(reconciler);
      expect(health.check()).toEqual({
        status: 'failing',
        detail: 'not started yet',
      });
      await reconciler.start();
      expect(health.check()).toEqual({
        status: 'ok',
        detail: expect.stringMatching(
          /^last tick \d+ s ago; no lease taken yet$/,
        ),
      });

      // The database goes: the next tick cannot list the deployments.
      await knex.destroy();
      let result = await health.check();
      while (result.status === 'ok') {
        await new Promise(resolve => setTimeout(resolve, 100));
        result = await health.check();
      }
      expect(result.detail).toMatch(
        /^the last tick could not list the deployments/,
      );
      await reconciler.stop().catch(() => undefined);
      expect(health.check()).toEqual({ status: 'failing', detail: 'stopped' });
    },
  );

  it.each(databases.eachSupportedId())(
    'the log pipeline is ready once its hub runs, with its LISTEN connection on PostgreSQL, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const pg = PgNotifyTransport.isSupported(knex);
      const hub = new LogHub(
        pg
          ? new PgNotifyTransport(knex, mockServices.logger.mock())
          : undefined,
      );
      const health = logPipelineHealth(hub);
      expect(health.check()).toEqual({
        status: 'failing',
        detail: 'the log hub is not running',
      });
      await hub.start();
      expect(health.check()).toEqual({
        status: 'ok',
        detail: pg
          ? 'running; live logs reach the other replicas through PostgreSQL NOTIFY'
          : 'running in this process',
      });
      await hub.stop();
      expect((await health.check()).status).toBe('failing');
    },
  );
});
