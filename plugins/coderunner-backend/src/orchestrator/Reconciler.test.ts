import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { tuneSqlite } from '../database/tuneSqlite';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import {
  sharedEmulatorConfig,
  startReplicaProcess,
} from '../__testUtils__/startReplicaProcess';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { SANDBOX_OWNER, SANDBOX_OWNER_KEY } from './sandboxMetadata';

jest.setTimeout(180_000);

const examples = path.resolve(__dirname, '../../../../examples');
const helloNode = path.join(examples, 'hello-node');
const crashyNode = path.join(examples, 'crashy-node');
const databases = createTestDatabases();

describe('Reconciler on the AgentSphere emulator', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  const harnesses: OrchestratorHarness[] = [];

  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) {
      await harness.crash();
    }
    await removeAllSandboxes(env.emulator);
  });
  afterAll(async () => {
    await env.stop();
  });

  async function replica(
    databaseId: Parameters<typeof databases.init>[0],
    knex?: any,
  ) {
    const db = knex ?? (await databases.init(databaseId));
    const harness = await OrchestratorHarness.startMigrated(db, env.emulator);
    harnesses.push(harness);
    return { harness, knex: db };
  }

  it.each(databases.eachSupportedId())(
    'deploys, serves through the gateway, rolls out with no downtime and rolls back on %p',
    async databaseId => {
      const { harness } = await replica(databaseId);
      const entity = localComponent('hello-node', helloNode);

      const { deployment } = await harness.deploy(entity, helloNode);
      await harness.waitFor(deployment.id, d => d.status === 'ready');
      // The status change and the gateway's route refresh are separate events on a busy machine.
      await harness.gateway.refresh();
      const first = await harness.get('hello-node', '/');
      expect(first.status).toBe(200);
      expect(JSON.parse(first.text)).toMatchObject({ release: '1' });

      // Build output is kept as ordered build lines with increasing sequence numbers.
      const page = await harness.logs.read(deployment.id, {
        streams: ['build'],
      });
      expect(page.items.map(l => l.line)).toEqual(
        expect.arrayContaining(['Building release 1', '$ npm run build']),
      );
      const seqs = page.items.map(l => l.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      // Deploy release 2 while a client keeps calling: no request may fail.
      let failures = 0;
      let calls = 0;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const response = await harness.get('hello-node', '/');
          calls++;
          if (response.status !== 200) failures++;
        }
      })();
      await harness.deploy(entity, helloNode);
      await harness.waitFor(
        deployment.id,
        d =>
          d.status === 'ready' &&
          d.targetReleaseId === null &&
          d.activeReleaseId !== null,
      );
      await harness.waitFor(deployment.id, () => true);
      const releases = await harness.store.listReleases(deployment.id);
      await harness.waitFor(
        deployment.id,
        d => d.activeReleaseId === releases[0].id,
      );
      polling = false;
      await poller;
      expect(calls).toBeGreaterThan(0);
      expect(failures).toBe(0);
      expect(
        JSON.parse((await harness.get('hello-node', '/')).text),
      ).toMatchObject({
        release: '2',
      });

      // Roll back to release 1.
      await harness.store.targetRelease({
        deploymentId: deployment.id,
        releaseNumber: 1,
        requestedBy: 'user:default/test',
      });
      harness.reconciler.trigger(deployment.id);
      await harness.waitFor(
        deployment.id,
        d => d.activeReleaseId === releases[1].id && d.status === 'ready',
      );
      await harness.gateway.refresh();
      expect(
        JSON.parse((await harness.get('hello-node', '/')).text),
      ).toMatchObject({
        release: '1',
      });
      // Old instances are drained: exactly one sandbox runs for this deployment.
      await harness.waitFor(deployment.id, () => true);
      const deadline = Date.now() + 20_000;
      let instances = await harness.store.listInstances(deployment.id);
      while (instances.length !== 1 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 200));
        instances = await harness.store.listInstances(deployment.id);
      }
      expect(instances.map(i => i.state)).toEqual(['ready']);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves a settled deployment be on its ticks but renews its lease, and acts on a change another replica wrote, on %p',
    async databaseId => {
      const { harness, knex } = await replica(databaseId);
      const entity = localComponent('hello-node', helloNode);
      const { deployment } = await harness.deploy(entity, helloNode);
      await harness.waitFor(deployment.id, d => d.status === 'ready', 90_000);
      const ticks = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const mark = harness.reconciler.heartbeat.tickedAt ?? 0;
          while ((harness.reconciler.heartbeat.tickedAt ?? 0) <= mark) {
            await new Promise(r => setTimeout(r, 50));
          }
        }
      };
      const leaseExpiry = async () =>
        new Date(
          (
            await knex('coderunner_deployments')
              .where({ id: deployment.id })
              .first('lease_expires_at')
          ).lease_expires_at,
        ).getTime();
      // Whatever the instance's readiness still set off has run by then.
      await ticks(2);
      await harness.reconciler.settle(deployment.id);

      const acquire = jest.spyOn(harness.store, 'acquireLease');
      try {
        const expiresBefore = await leaseExpiry();
        await ticks(2);
        expect(
          acquire.mock.calls.filter(([id]) => id === deployment.id),
        ).toEqual([]);
        expect(await leaseExpiry()).toBeGreaterThan(expiresBefore);

        // Another replica's API raises the count: no trigger here, the next tick sees it.
        await harness.store.updateDeployment(deployment.id, {
          desiredInstances: 2,
        });
        let instances = await harness.store.listInstances(deployment.id);
        const deadline = Date.now() + 90_000;
        while (
          instances.filter(i => i.state === 'ready').length !== 2 &&
          Date.now() < deadline
        ) {
          await new Promise(r => setTimeout(r, 100));
          instances = await harness.store.listInstances(deployment.id);
        }
        expect(instances.map(i => i.state)).toEqual(['ready', 'ready']);
        expect(acquire.mock.calls.some(([id]) => id === deployment.id)).toBe(
          true,
        );
      } finally {
        acquire.mockRestore();
      }
    },
  );

  it('shows a crash loop as degraded, with the last output as the reason', async () => {
    const { harness } = await replica('SQLITE_3');
    const { deployment } = await harness.deploy(
      localComponent('crashy-node', crashyNode),
      crashyNode,
    );
    const degraded = await harness.waitFor(
      deployment.id,
      d => d.status === 'degraded',
      90_000,
    );
    expect(degraded.statusReason).toContain('Crash loop');
    expect(degraded.statusReason).toContain('DATABASE_URL is not set');
    const [instance] = await harness.store.listInstances(deployment.id);
    expect(instance.lastExitCode).toBe(1);
    expect((await harness.get('crashy-node', '/')).status).toBe(503);
    // Each restart waits twice as long as the one before.
    const system = await harness.logs.read(deployment.id, {
      streams: ['system'],
      limit: 5000,
    });
    const waits = system.items
      .map(l => /restarting in (\d+) s$/.exec(l.line)?.[1])
      .filter((w): w is string => w !== undefined)
      .map(Number);
    expect(waits.slice(0, 3)).toEqual([1, 2, 4]);
  });

  it('finishes a rollout interrupted by a killed backend (SIGKILL) and leaves no orphan sandbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-kill-'));
    const sqliteFile = path.join(dir, 'backend.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
    });
    try {
      await tuneSqlite(knex);
      await migrateDatabaseUp(knex);
      // The first backend runs in its own process, and deploys.
      const first = await startReplicaProcess({
        database: { sqliteFile },
        appConfig: sharedEmulatorConfig(env.emulator),
      });
      const deploymentId = await first.deploy({
        name: 'hello-node',
        dir: helloNode,
        environment: 'staging',
        instances: 2,
      });
      // Kill it in the middle of the rollout: its sandboxes exist, nothing is ready yet.
      const store = DatabaseDeploymentStore.fromKnex(knex);
      const deadline = Date.now() + 60_000;
      while (env.emulator.sandboxIds().length === 0 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 20));
      }
      expect((await store.getDeployment(deploymentId))?.status).toBe(
        'deploying',
      );
      await first.kill();

      // A new backend on the same database takes over once the dead one's lease runs out.
      const { harness } = await replica('SQLITE_3', knex);
      await harness.waitFor(deploymentId, d => d.status === 'ready', 120_000);
      expect((await harness.get('hello-node', '/', 'staging')).status).toBe(
        200,
      );

      // Converges: exactly the two ready instances' sandboxes remain.
      const owned = { metadata: { [SANDBOX_OWNER_KEY]: SANDBOX_OWNER } };
      const settleBy = Date.now() + 30_000;
      let sandboxes = await harness.runtime.listSandboxes(owned);
      let instances = await harness.store.listInstances(deploymentId);
      const settled = () =>
        sandboxes.length === 2 &&
        instances.filter(i => i.state === 'ready').length === 2 &&
        sandboxes.every(s => instances.some(i => i.sandboxId === s.sandboxId));
      while (!settled() && Date.now() < settleBy) {
        await harness.reconciler.killOrphans();
        await new Promise(r => setTimeout(r, 250));
        sandboxes = await harness.runtime.listSandboxes(owned);
        instances = await harness.store.listInstances(deploymentId);
      }
      expect(instances.filter(i => i.state === 'ready')).toHaveLength(2);
      expect(sandboxes.map(s => s.sandboxId).sort()).toEqual(
        instances.map(i => i.sandboxId!).sort(),
      );
    } finally {
      for (const harness of harnesses.splice(0)) await harness.crash();
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finishes a drain that a stopped backend left half-done', async () => {
    const first = await replica('SQLITE_3');
    const entity = localComponent('hello-node', helloNode);
    const { deployment } = await first.harness.deploy(
      entity,
      helloNode,
      'preview',
      2,
    );
    await first.harness.waitFor(
      deployment.id,
      d => d.status === 'ready',
      90_000,
    );
    await first.harness.store.updateDeployment(deployment.id, {
      desiredInstances: 1,
    });
    first.harness.reconciler.trigger(deployment.id);
    // Stop during the drain delay, before the surplus instance is stopped.
    let instances = await first.harness.store.listInstances(deployment.id);
    while (!instances.some(i => i.state === 'draining')) {
      await new Promise(r => setTimeout(r, 50));
      instances = await first.harness.store.listInstances(deployment.id);
    }
    await first.harness.crash();
    harnesses.splice(harnesses.indexOf(first.harness), 1);
    expect(
      (await first.harness.store.listInstances(deployment.id))
        .map(i => i.state)
        .sort(),
    ).toEqual(['draining', 'ready']);
    await first
      .knex('coderunner_deployments')
      .update({ lease_expires_at: new Date(0) });

    const { harness } = await replica('SQLITE_3', first.knex);
    const owned = { metadata: { [SANDBOX_OWNER_KEY]: SANDBOX_OWNER } };
    const deadline = Date.now() + 30_000;
    instances = await harness.store.listInstances(deployment.id);
    let sandboxes = await harness.runtime.listSandboxes(owned);
    while (
      (instances.length !== 1 || sandboxes.length !== 1) &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 250));
      instances = await harness.store.listInstances(deployment.id);
      sandboxes = await harness.runtime.listSandboxes(owned);
    }
    expect(instances.map(i => i.state)).toEqual(['ready']);
    expect(sandboxes.map(s => s.sandboxId)).toEqual([instances[0].sandboxId]);
    // The instance that kept running was re-attached, and read on from what was stored.
    let system: string[] = [];
    for (
      let i = 0;
      i < 100 && !system.some(l => l.startsWith('Re-attached'));
      i++
    ) {
      await new Promise(r => setTimeout(r, 100));
      system = (
        await harness.logs.read(deployment.id, {
          streams: ['system'],
          limit: 5000,
        })
      ).items.map(l => l.line);
    }
    expect(system.find(l => l.startsWith('Re-attached'))).toMatch(
      /after a backend restart; reading what no backend stored back from the sandbox's output buffer \(stdout from byte \d+, stderr from byte \d+\)$/,
    );
  });
});
