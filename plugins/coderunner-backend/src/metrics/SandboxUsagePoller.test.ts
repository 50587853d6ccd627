import { mockServices } from '@backstage/backend-test-utils';
import path from 'node:path';
import {
  localComponent,
  OrchestratorHarness,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentCensus } from './DeploymentCensus';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { SandboxUsagePoller } from './SandboxUsagePoller';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const helloNode = path.resolve(__dirname, '../../../../examples/hello-node');

describe('SandboxUsagePoller', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it('stores the CPU and memory the emulator measures in a running instance’s sandbox', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    const harness = new OrchestratorHarness(knex, env.emulator);
    await harness.start();
    try {
      const { deployment } = await harness.deploy(
        localComponent('hello-node', helloNode),
        helloNode,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready');
      const store = DatabaseMetricsStore.create({
        knex,
        rawRetentionMs: 24 * 3600_000,
      });
      const poller = new SandboxUsagePoller(
        harness.runtime,
        DatabaseDeploymentCensus.create({ knex }),
        store,
        mockServices.logger.mock(),
      );
      const now = new Date();
      expect(await poller.poll(now)).toBe(1);

      const window = {
        deploymentId: deployment.id,
        from: new Date(now.getTime() - 60_000),
        to: new Date(now.getTime() + 1000),
        stepSeconds: 60,
      };
      const [memory] = await store.query({ ...window, metric: 'memory_mib' });
      // A Node.js process takes more than a few MiB.
      expect(memory.value).toBeGreaterThan(5);
      const [cpu] = await store.query({ ...window, metric: 'cpu_percent' });
      expect(cpu.value).toBeGreaterThanOrEqual(0);
      const [ready] = await store.query({
        ...window,
        metric: 'instances_ready',
      });
      expect(ready.value).toBe(1);
      expect(poller.latest.get(deployment.id)).toEqual({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        cpuPercent: cpu.value,
        memoryMiB: memory.value,
      });
    } finally {
      await harness.crash();
      await knex.destroy();
    }
  });
});
