import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { MetricSample } from '../metrics/MetricsStore';
import { ConfigPriceTable } from './ConfigPriceTable';
import { CostCalculator } from './CostCalculator';
import { percentile, RightSizing } from './RightSizing';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);
const NOW = Date.UTC(2026, 10, 20, 12);
const FIVE_MINUTES = 300_000;

/** A deployment of `size` with a week of 5-minute CPU and memory samples. */
async function deploymentWithUsage(
  store: DeploymentStore,
  metrics: DatabaseMetricsStore,
  options: {
    environment: string;
    size: string;
    cpu: (i: number) => number;
    memoryMiB: number;
    samples: number;
  },
) {
  const deployment = await store.ensureDeployment({
    entityRef: 'component:default/shop',
    environment: options.environment,
    createdBy: 'user:default/guest',
  });
  const release = await store.createRelease({
    deploymentId: deployment.id,
    manifest: { resources: { size: options.size } },
    source: Buffer.from('source'),
    desiredInstances: 1,
    createdBy: 'user:default/guest',
  });
  await store.updateDeployment(deployment.id, { activeReleaseId: release.id });
  const samples: MetricSample[] = [];
  for (let i = 0; i < options.samples; i++) {
    const at = new Date(NOW - (i + 1) * FIVE_MINUTES);
    samples.push(
      {
        deploymentId: deployment.id,
        metric: 'cpu_percent',
        at,
        sum: options.cpu(i),
        count: 1,
      },
      {
        deploymentId: deployment.id,
        metric: 'memory_mib',
        at,
        sum: options.memoryMiB,
        count: 1,
      },
    );
  }
  await metrics.write(samples);
}

describe('RightSizing', () => {
  it('takes the nearest-rank percentile', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([], 95)).toBe(0);
  });

  it.each(databases.eachSupportedId())(
    'advises a smaller size for an idle deployment and a larger one for a busy one, with the data it rests on, and nothing without enough data, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const metrics = DatabaseMetricsStore.create({
        knex,
        rawRetentionMs: 8 * 86_400_000,
        now: () => NOW,
      });
      const week = 7 * 288;
      // One sample in twenty at 9%, the rest at 4%: p95 is 9% of a medium's 2 vCPUs.
      await deploymentWithUsage(store, metrics, {
        environment: 'production',
        size: 'medium',
        cpu: i => (i % 20 === 0 ? 9 : 4),
        memoryMiB: 300,
        samples: week,
      });
      // A small instance at 90%: it needs 2 vCPUs to be at 45%.
      await deploymentWithUsage(store, metrics, {
        environment: 'staging',
        size: 'small',
        cpu: () => 90,
        memoryMiB: 200,
        samples: week,
      });
      // Two hours of data only.
      await deploymentWithUsage(store, metrics, {
        environment: 'development',
        size: 'large',
        cpu: () => 1,
        memoryMiB: 100,
        samples: 24,
      });
      const advice = await new RightSizing({
        deployments: store,
        reader: metrics,
        calculator: new CostCalculator(
          ConfigPriceTable.fromConfig(new ConfigReader({})),
        ),
        days: 7,
        minSamples: 288,
        clock: () => NOW,
      }).advise('component:default/shop');

      expect(advice.map(a => a.environment).sort()).toEqual([
        'production',
        'staging',
      ]);
      const production = advice.find(a => a.environment === 'production')!;
      expect(production).toMatchObject({
        currentSize: 'medium',
        suggestedSize: 'small',
        // (37,000 − 18,500) nano/s × 30 days = $47.95 for the one instance.
        monthlySaving: 47.95,
        expectedCpuP95Percent: 18,
        evidence: {
          days: 7,
          samples: week,
          cpuP95Percent: 9,
          cpuP50Percent: 4,
          memoryP95MiB: 300,
          memoryCapacityMiB: 2048,
          vcpus: 2,
        },
      });
      expect(production.summary).toBe(
        'p95 CPU 9% of a medium for 7 days: small would save $47.95/month with p95 CPU about 18% and memory about 29.3%',
      );
      const staging = advice.find(a => a.environment === 'staging')!;
      expect(staging).toMatchObject({
        currentSize: 'small',
        suggestedSize: 'medium',
        monthlySaving: -47.95,
        expectedCpuP95Percent: 45,
      });
      expect(staging.summary).toMatch(
        /^p95 CPU 90% of a small for 7 days: medium would cost \$47\.95\/month more/,
      );
      await knex.destroy();
    },
  );
});
