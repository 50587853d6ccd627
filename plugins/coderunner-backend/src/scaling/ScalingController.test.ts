import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import path from 'node:path';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DeploymentRecord } from '../deployments/DeploymentStore';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { GatewayMetricsFlusher } from '../metrics/GatewayMetricsFlusher';
import { MetricSample } from '../metrics/MetricsStore';
import { DatabaseScalingStore } from './DatabaseScalingStore';
import { ScalingController } from './ScalingController';

jest.setTimeout(300_000);

const helloNode = path.resolve(__dirname, '../../../../examples/hello-node');
const entityRef = 'component:default/hello-node';
const STEP_MS = 15_000;
const databases = createTestDatabases();

/** What the gateway and the sandbox poller measured in one sample period. */
type Load = { cpu: number; p95: number; rps: number; ready: number };
const quiet = (ready: number): Load => ({ cpu: 10, p95: 40, rps: 2, ready });
const busy: Load = { cpu: 95, p95: 600, rps: 40, ready: 1 };

describe.each(databases.eachSupportedId())(
  'ScalingController on %p with the emulator',
  databaseId => {
    let env: Awaited<ReturnType<typeof startTestEmulator>>;
    let knex: Knex;
    let harness: OrchestratorHarness;
    let metrics: DatabaseMetricsStore;
    let deployment: DeploymentRecord;
    let clock: number;
    const auditor = mockServices.auditor.mock();

    const controller = () =>
      new ScalingController({
        deployments: harness.store,
        store: DatabaseScalingStore.create({ knex }),
        metrics,
        reconciler: harness.reconciler,
        auditor,
        logger: mockServices.logger.mock(),
        stepSeconds: 15,
        tickSeconds: 15,
        now: () => clock,
      });

    /** Writes one sample per period in [from, to) the way the poller and the gateway do. */
    async function feed(from: number, to: number, load: Load) {
      const samples: MetricSample[] = [];
      for (let at = from; at < to; at += STEP_MS) {
        const when = new Date(at + 1000);
        const id = deployment.id;
        const requests = load.rps * 15;
        samples.push(
          {
            deploymentId: id,
            metric: 'instances_ready',
            at: when,
            sum: load.ready,
            count: 1,
          },
          {
            deploymentId: id,
            metric: 'cpu_percent',
            at: when,
            sum: load.cpu,
            count: 1,
          },
          {
            deploymentId: id,
            metric: 'memory_mib',
            at: when,
            sum: 200,
            count: 1,
          },
          {
            deploymentId: id,
            metric: 'requests',
            at: when,
            sum: requests,
            count: 1,
          },
          {
            deploymentId: id,
            metric: 'server_errors',
            at: when,
            sum: 0,
            count: 1,
          },
          {
            deploymentId: id,
            metric: 'latency_p95_ms',
            at: when,
            sum: load.p95 * requests,
            count: requests,
          },
        );
      }
      await metrics.write(samples);
    }

    async function waitForInstances(predicate: (states: string[]) => boolean) {
      for (;;) {
        const states = (await harness.store.listInstances(deployment.id))
          .map(i => i.state)
          .filter(s => s !== 'stopped');
        if (predicate(states)) return states;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }

    const desired = async () =>
      (await harness.store.getDeployment(deployment.id))!.desiredInstances;
    const scaling = () => DatabaseScalingStore.create({ knex });
    const decisions = () =>
      scaling().listDecisions(deployment.id, { limit: 1000 });

    beforeAll(async () => {
      env = await startTestEmulator();
      knex = await databases.init(databaseId);
      harness = await OrchestratorHarness.startMigrated(knex, env.emulator);
      metrics = DatabaseMetricsStore.create({
        knex,
        rawRetentionMs: 24 * 3600_000,
      });
      ({ deployment } = await harness.deploy(
        localComponent('hello-node', helloNode),
        helloNode,
        'development',
        1,
      ));
      await harness.waitFor(deployment.id, d => d.status === 'ready', 180_000);
    });

    beforeEach(async () => {
      await knex('coderunner_scaling_decisions').delete();
      await knex('coderunner_scaling_state').delete();
      await knex('coderunner_scaling_policy_versions').delete();
      await knex('coderunner_metric_samples').delete();
      await harness.store.updateDeployment(deployment.id, {
        desiredInstances: 1,
      });
      harness.reconciler.trigger(deployment.id);
      await waitForInstances(s => s.length === 1 && s[0] === 'ready');
      auditor.createEvent.mockClear();
      clock = Date.now() - (Date.now() % STEP_MS);
    });

    afterAll(async () => {
      await harness?.crash();
      await removeAllSandboxes(env.emulator);
      await env.stop();
    });

    it('raises the count within two sample periods of a load step, without a new release, and lowers it once the load has been gone for the window', async () => {
      const scaler = controller();
      const start = clock;
      await feed(start - 600_000, start, quiet(1));
      await scaler.tick(start + 1000);
      expect(await desired()).toBe(1);

      // The step: one period of load, then the controller's next tick, twice at most.
      let at = start;
      for (let period = 1; period <= 2 && (await desired()) === 1; period++) {
        await feed(at, at + STEP_MS, busy);
        at += STEP_MS;
        await scaler.tick(at + 1000);
      }
      expect(await desired()).toBe(2);
      const [up] = await scaling().listDecisions(deployment.id, {
        limit: 1,
        changedOnly: true,
      });
      expect(up).toMatchObject({
        from: 1,
        to: 2,
        direction: 'up',
        cause: 'autoscaler',
      });
      expect(up.explanation).toMatch(/p95 latency/);
      expect(up.inputs.metrics.p95LatencyMs).toBe(600);
      expect(up.inputs.targets).toMatchObject({ p95LatencyMs: 200 });

      // The reconciler starts the second instance from the active release: no rebuild.
      await waitForInstances(s => s.filter(x => x === 'ready').length === 2);
      expect(await harness.store.listReleases(deployment.id)).toHaveLength(1);
      await harness.reconciler.logWriter(deployment.id).flush();
      const logs = await harness.logs.read(deployment.id, { limit: 5000 });
      expect(logs.items.map(l => l.line)).toContainEqual(
        expect.stringMatching(/^Scaling \(autoscaler\): 1 → 2: /),
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'scaling-decision',
          meta: expect.objectContaining({ entityRef, from: 1, to: 2 }),
        }),
      );

      // The load goes away: within the scale-down window the count stays...
      await feed(at, at + STEP_MS, quiet(2));
      at += STEP_MS;
      await scaler.tick(at + 1000);
      expect(await desired()).toBe(2);
      // ...and once the window (90 s for web-app) and the noise estimate are quiet, it drops.
      await feed(at, at + 11 * 60_000, quiet(2));
      at += 11 * 60_000;
      await scaler.tick(at + 1000);
      expect(await desired()).toBe(1);
      const [down] = await scaling().listDecisions(deployment.id, {
        limit: 1,
        changedOnly: true,
      });
      expect(down).toMatchObject({ from: 2, to: 1, direction: 'down' });
    });

    it('scales on requests sent through the gateway, as the gateway measured them', async () => {
      const scaler = controller();
      await scaler.savePolicy(
        entityRef,
        'development',
        { targets: { requestsPerSecondPerInstance: 1 } },
        'user:default/jane',
      );
      const flusher = new GatewayMetricsFlusher(
        harness.gateway.requestMetrics,
        metrics,
      );
      // Whatever the gateway counted before this test is not this test's load.
      await flusher.flush(new Date(clock - 2 * STEP_MS));
      let at = clock;
      for (let period = 1; period <= 2 && (await desired()) === 1; period++) {
        // 45 requests in one 15 s period: 3 per second, three times the target.
        for (let i = 0; i < 45; i++) {
          expect((await harness.get('hello-node', '/')).status).toBe(200);
        }
        await flusher.flush(new Date(at - 1000));
        await scaler.tick(at + 1000);
        at += STEP_MS;
      }
      expect(await desired()).toBe(3);
      const [up] = await decisions();
      expect(up).toMatchObject({ from: 1, to: 3, cause: 'autoscaler' });
      expect(up.inputs.metrics.requestsPerSecond).toBe(3);
    });

    it('holds the count on missing or stale metrics and says so', async () => {
      const scaler = controller();
      await harness.store.updateDeployment(deployment.id, {
        desiredInstances: 2,
      });
      await scaler.tick(clock);
      expect(await desired()).toBe(2);
      let [decision] = await decisions();
      expect(decision).toMatchObject({ from: 2, to: 2, direction: 'none' });
      expect(decision.inputs.stale).toBe(true);
      expect(decision.explanation).toMatch(/no metrics yet/);

      // Quiet samples, but the newest is two minutes old (the policy allows 60 s).
      await feed(clock - 720_000, clock - 120_000, quiet(2));
      await scaler.tick(clock + STEP_MS);
      expect(await desired()).toBe(2);
      [decision] = await decisions();
      expect(decision.inputs.stale).toBe(true);
      expect(decision.explanation).toMatch(/older than the policy's 60 s/);
    });

    it('holds a manual count until it expires, then returns control to the policy, logged and audited', async () => {
      const scaler = controller();
      await feed(clock - 600_000, clock, quiet(1));
      await scaler.hold(
        entityRef,
        'development',
        {
          instances: 2,
          reason: 'incident 42',
          expiresAt: new Date(clock + 60_000).toISOString(),
        },
        'user:default/jane',
      );
      expect(await desired()).toBe(2);
      const status = await scaler.status(entityRef, 'development');
      expect(status.hold).toMatchObject({
        instances: 2,
        reason: 'incident 42',
        by: 'user:default/jane',
      });
      expect(status.lastDecision).toMatchObject({
        cause: 'manual',
        from: 1,
        to: 2,
      });
      await waitForInstances(s => s.filter(x => x === 'ready').length === 2);

      // Quiet load, but the hold keeps 2 and says why.
      await feed(clock, clock + 30_000, quiet(2));
      await scaler.tick(clock + 30_000);
      expect(await desired()).toBe(2);
      const [held] = await decisions();
      expect(held.explanation).toMatch(/incident 42/);

      // Expiry: recorded, logged and audited; the policy decides again (quiet: back to 1).
      await feed(clock + 30_000, clock + 90_000, quiet(2));
      await scaler.tick(clock + 90_000);
      const all = await decisions();
      expect(all.map(d => d.cause)).toContain('hold-expired');
      expect((await scaler.status(entityRef, 'development')).hold).toBe(
        undefined,
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'scaling-hold-expired' }),
      );
      await harness.reconciler.logWriter(deployment.id).flush();
      const logs = await harness.logs.read(deployment.id, { limit: 5000 });
      expect(logs.items.map(l => l.line)).toContainEqual(
        expect.stringMatching(/Hold of 2 \(incident 42\).*expired/),
      );
      expect(all[0]).toMatchObject({ cause: 'autoscaler', from: 2, to: 1 });
      expect(await desired()).toBe(1);
    });

    it('keeps a hold without expiry until it is released', async () => {
      const scaler = controller();
      await feed(clock - 600_000, clock, quiet(1));
      await scaler.hold(
        entityRef,
        'development',
        { instances: 2, reason: 'load test' },
        'user:default/jane',
      );
      await waitForInstances(s => s.filter(x => x === 'ready').length === 2);
      await feed(clock, clock + 10 * 60_000, quiet(2));
      await scaler.tick(clock + 10 * 60_000);
      expect(await desired()).toBe(2);
      const [held] = await decisions();
      expect(held.explanation).toMatch(
        /manual override "load test" until released/,
      );
      await scaler.releaseHold(entityRef, 'development', 'user:default/jane');
      await scaler.tick(clock + 10 * 60_000 + STEP_MS);
      expect(await desired()).toBe(1);
    });

    it('changes nothing while paused and scales again once resumed', async () => {
      const scaler = controller();
      await feed(clock - 600_000, clock, quiet(1));
      await scaler.pause(
        entityRef,
        'development',
        'load test',
        'user:default/jane',
      );
      await feed(clock, clock + STEP_MS, busy);
      await scaler.tick(clock + STEP_MS + 1000);
      expect(await desired()).toBe(1);
      const status = await scaler.status(entityRef, 'development');
      expect(status.paused).toMatchObject({
        by: 'user:default/jane',
        reason: 'load test',
      });
      expect(status.lastDecision?.cause).toBe('paused');

      await scaler.resume(entityRef, 'development', 'user:default/jane');
      await feed(clock + STEP_MS, clock + 2 * STEP_MS, busy);
      await scaler.tick(clock + 2 * STEP_MS + 1000);
      expect(await desired()).toBe(2);
    });

    it('makes one decision per tick when two replicas tick at once', async () => {
      const [one, two] = [controller(), controller()];
      await feed(clock - 600_000, clock, quiet(1));
      for (let i = 1; i <= 3; i++) {
        const at = clock + i * STEP_MS;
        await feed(at - STEP_MS, at, quiet(1));
        await Promise.all([one.tick(at + 1000), two.tick(at + 1000)]);
      }
      const autoscaler = (await decisions()).filter(
        d => d.cause === 'autoscaler',
      );
      expect(autoscaler).toHaveLength(3);
    });
  },
);
