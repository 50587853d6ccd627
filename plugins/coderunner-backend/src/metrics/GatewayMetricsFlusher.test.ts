import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { RequestMetrics } from '../gateway/RequestMetrics';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { GatewayMetricsFlusher } from './GatewayMetricsFlusher';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('GatewayMetricsFlusher', () => {
  it.each(databases.eachSupportedId())(
    'stores what the gateway counted since the last flush on %p',
    async id => {
      const knex = await databases.init(id);
      await migrateDatabaseUp(knex);
      const deployment = await DatabaseDeploymentStore.fromKnex(
        knex,
      ).ensureDeployment({
        entityRef: 'component:default/shop',
        environment: 'production',
        createdBy: 'user:default/test',
      });
      const store = DatabaseMetricsStore.create({
        knex,
        rawRetentionMs: 24 * 3600_000,
      });
      const requests = new RequestMetrics();
      const series = requests.deployment({
        deploymentId: deployment.id,
        entityRef: 'component:default/shop',
        environment: 'production',
      });
      const flusher = new GatewayMetricsFlusher(requests, store);
      const t0 = new Date(Date.UTC(2026, 11, 20, 12, 0, 0));
      const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

      // Before the first flush: 90 fast requests and 10 slow failures.
      for (let i = 0; i < 90; i++) series.counters.observe(200, 0.004);
      for (let i = 0; i < 10; i++) series.counters.observe(502, 3);
      series.counters.connectionErrors = 10;
      expect(await flusher.flush(at(10))).toBe(6);
      // Nothing new: nothing written.
      expect(await flusher.flush(at(20))).toBe(0);
      // Then 20 requests of about 40 ms.
      for (let i = 0; i < 20; i++) series.counters.observe(200, 0.04);
      expect(await flusher.flush(at(70))).toBe(5);

      const window = {
        deploymentId: deployment.id,
        from: t0,
        to: at(120),
        stepSeconds: 60,
      };
      expect(await store.query({ ...window, metric: 'requests' })).toEqual([
        { at: t0, value: 100 / 60 },
        { at: at(60), value: 20 / 60 },
      ]);
      expect(await store.query({ ...window, metric: 'error_ratio' })).toEqual([
        { at: t0, value: 0.1 },
        { at: at(60), value: 0 },
      ]);
      expect(
        await store.query({ ...window, metric: 'connection_errors' }),
      ).toEqual([
        { at: t0, value: 10 / 60 },
        { at: at(60), value: 0 },
      ]);
      // p50 in the first bucket (≤ 5 ms), p99 among the slow ones (2.5–5 s); then all ≤ 50 ms.
      const [first, second] = await store.query({
        ...window,
        metric: 'latency_p99_ms',
      });
      expect(first.value).toBeGreaterThan(2500);
      expect(first.value).toBeLessThanOrEqual(5000);
      expect(second.value).toBeGreaterThan(25);
      expect(second.value).toBeLessThanOrEqual(50);
      const [p50] = await store.query({ ...window, metric: 'latency_p50_ms' });
      expect(p50.value).toBeLessThanOrEqual(5);
      await knex.destroy();
    },
  );
});
