import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InstanceRecord } from '../deployments/DeploymentStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';

jest.setTimeout(180_000);

const fixture = path.join(__dirname, '__fixtures__', 'flaky-health');
const databases = createTestDatabases();

describe('liveness probes of ready instances, on the AgentSphere emulator', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let dir: string;
  const harnesses: OrchestratorHarness[] = [];

  beforeAll(async () => {
    env = await startTestEmulator();
    // The harness deploys folders under the temporary directory.
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flaky-health-'));
    await fs.cp(fixture, dir, { recursive: true });
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.crash();
    await removeAllSandboxes(env.emulator);
  });
  afterAll(async () => {
    await env.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Waits for the deployment's instances to satisfy `predicate` (the store is the truth). */
  async function instancesUntil(
    harness: OrchestratorHarness,
    deploymentId: string,
    predicate: (instances: InstanceRecord[]) => boolean,
  ): Promise<InstanceRecord[]> {
    for (;;) {
      const instances = await harness.store.listInstances(deploymentId);
      if (predicate(instances)) return instances;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  it.each(databases.eachSupportedId())(
    'takes an instance that fails its health check 3 times out of the gateway and replaces it on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const harness = await OrchestratorHarness.startMigrated(
        knex,
        env.emulator,
      );
      harnesses.push(harness);

      const { deployment } = await harness.deploy(
        localComponent('flaky-health', dir),
        dir,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready');
      const before = JSON.parse((await harness.get('flaky-health', '/')).text);
      expect(before).toEqual({ instance: expect.any(String), failing: false });

      // From now on its health path answers 503.
      expect(
        JSON.parse((await harness.get('flaky-health', '/fail')).text).failing,
      ).toBe(true);

      const [sick] = await instancesUntil(harness, deployment.id, all =>
        all.some(i => i.id === before.instance && i.state === 'unhealthy'),
      );
      expect(sick.reason).toBe(
        `Instance ${before.instance.slice(
          0,
          8,
        )} failed 3 health checks in a row (GET /healthz: 503); replacing it`,
      );

      // A new sandbox first; the unhealthy one goes once the new one is ready.
      const after = await instancesUntil(
        harness,
        deployment.id,
        all =>
          all.length === 1 &&
          all[0].id !== before.instance &&
          all[0].state === 'ready',
      );
      const served = JSON.parse((await harness.get('flaky-health', '/')).text);
      expect(served).toEqual({ instance: after[0].id, failing: false });
      await harness.waitFor(deployment.id, d => d.status === 'ready');

      const system = (
        await harness.logs.read(deployment.id, { streams: ['system'] })
      ).items.map(l => l.line);
      expect(system).toEqual(
        expect.arrayContaining([
          sick.reason,
          `Draining instance ${before.instance.slice(
            0,
            8,
          )}: Replaced after failing its health checks`,
        ]),
      );
      // The replacement was started before the unhealthy instance was drained.
      const replacementStart = system.findIndex(l =>
        l.startsWith(`Starting instance ${after[0].id.slice(0, 8)}`),
      );
      const drainOld = system.findIndex(l =>
        l.startsWith(`Draining instance ${before.instance.slice(0, 8)}`),
      );
      expect(replacementStart).toBeGreaterThan(system.indexOf(sick.reason!));
      expect(drainOld).toBeGreaterThan(replacementStart);
    },
  );
});
