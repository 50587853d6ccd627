import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  migrateDatabaseDown,
  migrateDatabaseUp,
} from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { MetricSample } from './MetricsStore';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();
const DAY = 24 * 3600_000;
/** A fixed "now", on a minute boundary, so windows are easy to reason about. */
const NOW = Date.UTC(2026, 11, 20, 12, 0, 0);
const at = (msBeforeNow: number) => new Date(NOW - msBeforeNow);

async function setUp(id: Parameters<typeof databases.init>[0]) {
  const knex: Knex = await databases.init(id);
  await migrateDatabaseUp(knex);
  const deployments = DatabaseDeploymentStore.fromKnex(knex);
  const deployment = await deployments.ensureDeployment({
    entityRef: 'component:default/shop',
    environment: 'production',
    createdBy: 'user:default/test',
  });
  const store = DatabaseMetricsStore.create({
    knex,
    rawRetentionMs: DAY,
    now: () => NOW,
  });
  return { knex, deployments, deploymentId: deployment.id, store };
}

describe('DatabaseMetricsStore', () => {
  it.each(databases.eachSupportedId())(
    'answers counters as rates per step, zero where nothing was counted, on %p',
    async id => {
      const { knex, store, deploymentId } = await setUp(id);
      const sample = (
        metric: MetricSample['metric'],
        ago: number,
        sum: number,
        count = 1,
      ): MetricSample => ({
        deploymentId,
        metric,
        at: at(ago),
        sum,
        count,
      });
      await store.write([
        // Two replicas flush within the same minute: their requests add up.
        sample('requests', 170_000, 60),
        sample('requests', 160_000, 120),
        sample('server_errors', 160_000, 18),
        sample('requests', 50_000, 30),
        // p95 from two replicas, weighted by their requests.
        sample('latency_p95_ms', 170_000, 100 * 60, 60),
        sample('latency_p95_ms', 160_000, 400 * 120, 120),
      ]);
      const window = {
        deploymentId,
        from: at(180_000),
        to: at(0),
        stepSeconds: 60,
      };
      expect(await store.query({ ...window, metric: 'requests' })).toEqual([
        { at: at(180_000), value: 3 },
        { at: at(120_000), value: 0 },
        { at: at(60_000), value: 0.5 },
      ]);
      expect(await store.query({ ...window, metric: 'error_ratio' })).toEqual([
        { at: at(180_000), value: 0.1 },
        // Requests without errors: 0; a step without requests has no ratio.
        { at: at(60_000), value: 0 },
      ]);
      expect(
        await store.query({ ...window, metric: 'latency_p95_ms' }),
      ).toEqual([{ at: at(180_000), value: 300, min: 100, max: 400 }]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls minutes up, reads old windows from rollups and prunes both on %p',
    async id => {
      const { knex, store, deploymentId } = await setUp(id);
      const twoDaysAgo = 2 * DAY;
      await store.write([
        {
          deploymentId,
          metric: 'cpu_percent',
          at: at(twoDaysAgo - 10_000),
          sum: 20,
          count: 1,
        },
        {
          deploymentId,
          metric: 'cpu_percent',
          at: at(twoDaysAgo - 20_000),
          sum: 40,
          count: 1,
        },
        {
          deploymentId,
          metric: 'cpu_percent',
          at: at(twoDaysAgo - 70_000),
          sum: 90,
          count: 1,
        },
      ]);
      const window = {
        from: at(twoDaysAgo + 60_000),
        to: at(twoDaysAgo - 120_000),
      };
      expect(await store.rollUp(window)).toBe(2);
      // Again, as another replica would: the same rollups, not doubled.
      expect(await store.rollUp(window)).toBe(2);
      const rows = await knex('coderunner_metric_rollups').orderBy('minute');
      expect(
        rows.map(r => [
          Number(r.minute),
          Number(r.sum),
          Number(r.count),
          Number(r.min),
          Number(r.max),
        ]),
      ).toEqual([
        [NOW - twoDaysAgo, 60, 2, 20, 40],
        [NOW - twoDaysAgo + 60_000, 90, 1, 90, 90],
      ]);

      const old = {
        deploymentId,
        metric: 'cpu_percent' as const,
        from: at(twoDaysAgo + 60_000),
        to: at(twoDaysAgo - 180_000),
      };
      await expect(store.query({ ...old, stepSeconds: 30 })).rejects.toThrow(
        /step must be a multiple of 60 seconds; got 30/,
      );
      expect(await store.query({ ...old, stepSeconds: 120 })).toEqual([
        { at: at(twoDaysAgo), value: 50, min: 20, max: 90 },
      ]);

      const pruned = await store.prune({
        samples: at(DAY),
        rollups: at(15 * DAY),
      });
      expect(pruned).toEqual({ samples: 3, rollups: 0 });
      expect(await store.prune({ samples: at(DAY), rollups: at(0) })).toEqual({
        samples: 0,
        rollups: 2,
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'says what to fix in a bad query, and its tables go with the migration on %p',
    async id => {
      const { knex, store, deploymentId } = await setUp(id);
      const window = {
        deploymentId,
        from: at(3600_000),
        to: at(0),
        stepSeconds: 60,
      };
      await expect(
        store.query({ ...window, metric: 'bogus' as any }),
      ).rejects.toThrow(
        /metric must be one of requests, server_errors, .*instances_ready; got 'bogus'/,
      );
      await expect(
        store.query({ ...window, metric: 'requests', stepSeconds: 0.5 }),
      ).rejects.toThrow(/whole number of seconds/);
      await expect(
        store.query({ ...window, metric: 'requests', from: at(0), to: at(10) }),
      ).rejects.toThrow(/end after it starts/);
      await expect(
        store.query({
          ...window,
          metric: 'requests',
          stepSeconds: 1,
          from: at(DAY - 1),
        }),
      ).rejects.toThrow(
        /86400 steps of 1 s; at most 11000: choose a larger step/,
      );
      expect(await knex.schema.hasTable('coderunner_metric_samples')).toBe(
        true,
      );
      await migrateDatabaseDown(knex);
      expect(await knex.schema.hasTable('coderunner_metric_samples')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('coderunner_metric_rollups')).toBe(
        false,
      );
      await knex.destroy();
    },
  );
});
