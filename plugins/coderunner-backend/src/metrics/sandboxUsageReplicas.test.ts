import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { mockServices } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import knexFactory, { Knex } from 'knex';
import path from 'node:path';
import {
  localComponent,
  OrchestratorHarness,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { createMetricsCapability } from './createMetricsCapability';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const helloNode = path.resolve(__dirname, '../../../../examples/hello-node');
const TASK = 'coderunner-metrics-sandbox-usage';
/** Ticks watched: the task's shortest interval is 5 s, so this takes about 15 s. */
const TICKS = 3;

/** One replica: its own database client, a real Backstage scheduler and the metrics capability. */
async function startReplica(
  connection: Knex.Config,
  runtime: OrchestratorHarness['runtime'],
) {
  const knex = knexFactory(connection);
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  const rootLifecycle = {
    ...mockServices.rootLifecycle.mock(),
    addShutdownHook: (hook: () => void | Promise<void>) => {
      shutdownHooks.push(hook);
    },
  };
  const scheduler = DefaultSchedulerService.create({
    database: { getClient: async () => knex },
    logger: mockServices.logger.mock(),
    // The scheduler counts its runs through these; what they record is not under test.
    metrics: metricsServiceMock.mock({
      createCounter: () => ({ add() {} }),
      createHistogram: () => ({ record() {} }),
      createGauge: () => ({ record() {} }),
    } as any),
    rootLifecycle,
    httpRouter: mockServices.httpRouter.mock(),
    pluginMetadata: { getId: () => 'coderunner' },
  });
  await createMetricsCapability({
    config: mockServices.rootConfig({
      data: { coderunner: { metrics: { sandboxPollIntervalSeconds: 5 } } },
    }),
    logger: mockServices.logger.mock(),
    scheduler,
    httpAuth: mockServices.httpAuth(),
    knex,
    findDeployment: async () => undefined,
    runtime,
  });
  return {
    async stop() {
      for (const hook of shutdownHooks) await hook();
      await knex.destroy();
    },
  };
}

describe('the sandbox usage poller on two replicas', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it('polls each tick once, on one replica, under the scheduler’s global lock (PostgreSQL)', async () => {
    const knex = await databases.init('POSTGRES_15');
    await migrateDatabaseUp(knex);
    const harness = new OrchestratorHarness(knex, env.emulator);
    await harness.start();
    const replicas: Array<{ stop(): Promise<void> }> = [];
    try {
      const { deployment } = await harness.deploy(
        localComponent('hello-node', helloNode),
        helloNode,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready');

      // Both replicas read usage through the same runtime; each call notes which replica made
      // it and the run ticket the scheduler holds in the shared database at that moment.
      const polls: Array<{ replica: string; ticket: string | null }> = [];
      let inFlight = 0;
      let overlapped = false;
      let enough!: () => void;
      const polledEnough = new Promise<void>(resolve => {
        enough = resolve;
      });
      const drained: Array<() => void> = [];
      const countingRuntime = (replica: string) => {
        const runtime = Object.create(
          harness.runtime,
        ) as OrchestratorHarness['runtime'];
        runtime.getResourceUsage = async (sandboxId: string) => {
          inFlight += 1;
          if (inFlight > 1) overlapped = true;
          try {
            const row = await knex('backstage_backend_tasks__tasks')
              .where({ id: TASK })
              .first('current_run_ticket');
            polls.push({ replica, ticket: row?.current_run_ticket ?? null });
            if (polls.length === TICKS) enough();
            return await harness.runtime.getResourceUsage(sandboxId);
          } finally {
            inFlight -= 1;
            if (inFlight === 0) drained.splice(0).forEach(resolve => resolve());
          }
        };
        return runtime;
      };

      const connection = knex.client.config as Knex.Config;
      replicas.push(await startReplica(connection, countingRuntime('a')));
      replicas.push(await startReplica(connection, countingRuntime('b')));
      await polledEnough;
      for (const replica of replicas.splice(0)) {
        if (inFlight > 0)
          await new Promise<void>(resolve => drained.push(resolve));
        await replica.stop();
      }

      // One ready instance, so one call per poll: every call ran under a ticket of the global
      // task, no two calls shared a ticket (no tick polled twice) and none overlapped.
      const watched = polls.slice(0, TICKS);
      expect(watched.every(poll => poll.ticket !== null)).toBe(true);
      expect(new Set(watched.map(poll => poll.ticket)).size).toBe(TICKS);
      expect(overlapped).toBe(false);
    } finally {
      for (const replica of replicas) await replica.stop();
      await harness.crash();
      await knex.destroy();
    }
  });
});
