import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { LeaseLostError } from '../deployments/DeploymentStore';
import { ROLE_KEY } from '../orchestrator/sandboxMetadata';
import {
  localComponent,
  OrchestratorHarness,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

/**
 * Finding: deployment leases were stamped and compared with each replica's own clock, and
 * nothing stopped a replica that lost its lease (it stalled past the expiry, another took
 * over) from writing on. Now expiry is by the database clock, and every write a lease holder
 * makes carries its fencing token: a stale holder's write changes nothing.
 */
const databases = createTestDatabases();

async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  await migrateDatabaseUp(knex);
  const store = DatabaseDeploymentStore.fromKnex(knex);
  const deployment = await store.ensureDeployment({
    entityRef: 'component:default/hello-node',
    environment: 'development',
    createdBy: 'user:default/guest',
  });
  const release = await store.createRelease({
    deploymentId: deployment.id,
    manifest: {},
    source: Buffer.from('source'),
    desiredInstances: 1,
    createdBy: 'user:default/guest',
  });
  return { knex, store, deploymentId: deployment.id, release };
}

/** Everything a lease holder may write, without the lease columns themselves. */
async function snapshot(knex: Knex, deploymentId: string) {
  const { lease_owner, lease_expires_at, lease_token, ...deployment } =
    await knex('coderunner_deployments').where({ id: deploymentId }).first();
  return {
    deployment,
    releases: await knex('coderunner_releases')
      .where({ deployment_id: deploymentId })
      .orderBy('number'),
    files: await knex('coderunner_release_files')
      .select('release_id', 'kind', 'size')
      .orderBy(['release_id', 'kind']),
    instances: await knex('coderunner_instances')
      .where({ deployment_id: deploymentId })
      .orderBy('id'),
  };
}

describe('deployment leases', () => {
  it.each(databases.eachSupportedId())(
    'refuse every write of a stale holder once another replica took the lease on %p',
    async databaseId => {
      const { knex, store, deploymentId, release } = await setUp(databaseId);
      const a = (await store.acquireLease(deploymentId, 'replica-a', 60_000))!;
      const instance = await store.createInstance({
        deploymentId,
        releaseId: release.id,
        fence: a,
      });
      await store.updateDeployment(
        deploymentId,
        { status: 'deploying', statusReason: 'by a' },
        a,
      );

      // Replica a stalls past its lease (as if paused for longer than the lease lasts), and
      // replica b takes the deployment over.
      await knex('coderunner_deployments').update({
        lease_expires_at: new Date(0),
      });
      const b = (await store.acquireLease(deploymentId, 'replica-b', 60_000))!;
      expect(b.token).toBeGreaterThan(a.token);

      const before = await snapshot(knex, deploymentId);
      const staleWrites: [string, () => Promise<unknown>][] = [
        [
          'deployment status',
          () =>
            store.updateDeployment(
              deploymentId,
              { status: 'failed', statusReason: 'stale' },
              a,
            ),
        ],
        [
          'active release',
          () =>
            store.updateDeployment(
              deploymentId,
              { activeReleaseId: release.id },
              a,
            ),
        ],
        [
          'instance state',
          () =>
            store.updateInstance(
              instance.id,
              { state: 'crashed', reason: 'stale' },
              a,
            ),
        ],
        [
          'new instance',
          () =>
            store.createInstance({
              deploymentId,
              releaseId: release.id,
              fence: a,
            }),
        ],
        ['instance removal', () => store.deleteInstance(instance.id, a)],
        [
          'release status',
          () => store.setReleaseStatus(release.id, 'failed', 'stale', a),
        ],
        [
          'release artifact',
          () =>
            store.saveReleaseFile(
              release.id,
              'artifact',
              Buffer.from('stale'),
              a,
            ),
        ],
        ['deployment removal', () => store.deleteDeployment(deploymentId, a)],
      ];
      for (const [what, write] of staleWrites) {
        await expect([
          what,
          await write().then(
            () => 'written',
            error => error,
          ),
        ]).toEqual([what, expect.any(LeaseLostError)]);
      }
      expect(await snapshot(knex, deploymentId)).toEqual(before);

      // The stale holder cannot renew; the new holder's writes go through.
      expect(
        await store.acquireLease(deploymentId, 'replica-a', 60_000),
      ).toBeUndefined();
      await store.updateInstance(instance.id, { state: 'ready' }, b);
      await store.saveReleaseFile(
        release.id,
        'artifact',
        Buffer.from('built by b'),
        b,
      );
      expect((await store.getInstance(instance.id))?.state).toBe('ready');
      expect(await store.getReleaseFile(release.id, 'artifact')).toEqual(
        Buffer.from('built by b'),
      );
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'expire by the database clock, so a replica whose clock runs an hour ahead cannot take a live lease on %p',
    async databaseId => {
      const { knex, store, deploymentId } = await setUp(databaseId);
      expect(
        await store.acquireLease(deploymentId, 'replica-a', 60_000),
      ).toBeDefined();
      // Only Date is faked: this process now believes it is an hour later.
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      try {
        jest.setSystemTime(Date.now() + 3_600_000);
        expect(
          await store.acquireLease(deploymentId, 'replica-b', 60_000),
        ).toBeUndefined();
        expect(await store.leasedElsewhere(deploymentId, 'replica-b')).toBe(
          true,
        );
      } finally {
        jest.useRealTimers();
      }
      await knex.destroy();
    },
  );

  it('stop a replica that lost its lease mid-build from recording the build, on a real emulator', async () => {
    const emulator = await startTestEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-fencing-'));
    // The build waits for a file the test drops into its sandbox: the takeover happens mid-build.
    fs.writeFileSync(
      path.join(dir, 'coderunner.yaml'),
      [
        'apiVersion: coderunner.io/v1',
        'runtime: { template: base }',
        `build: { command: 'until [ -f "$HOME/go" ]; do sleep 0.05; done' }`,
        'run: { command: node server.js, port: 3000 }',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'server.js'),
      "require('http').createServer((q, s) => s.end('ok')).listen(3000);",
    );
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), '');
    const knex = await databases.init('SQLITE_3');
    await migrateDatabaseUp(knex);
    const a = new OrchestratorHarness(knex, emulator.emulator);
    try {
      await a.start();
      const { deployment, release } = await a.deploy(
        localComponent('slow-build', dir),
        dir,
      );
      const builds = () =>
        a.runtime.listSandboxes({ metadata: { [ROLE_KEY]: 'build' } });
      let building = await builds();
      while (building.length === 0) {
        await new Promise(r => setTimeout(r, 20));
        building = await builds();
      }

      // Replica b takes the lease over while a is building (as if a had stalled past it).
      const b = DatabaseDeploymentStore.fromKnex(knex);
      let taken = await b.acquireLease(deployment.id, 'replica-b', 600_000);
      while (!taken) {
        await knex('coderunner_deployments').update({
          lease_expires_at: new Date(0),
        });
        taken = await b.acquireLease(deployment.id, 'replica-b', 600_000);
      }

      // a's build finishes now; its sandbox goes once a is done with it.
      await a.runtime.uploadFiles(building[0].sandboxId, [
        { path: 'go', content: Buffer.from('') },
      ]);
      while ((await builds()).length > 0) {
        await new Promise(r => setTimeout(r, 20));
      }
      // Neither "built" nor an artifact was recorded by the stale holder.
      expect((await b.getRelease(release.id))?.status).toBe('building');
      expect(await b.getReleaseFile(release.id, 'artifact')).toBeUndefined();

      // And a keeps out: its next reconcile neither renews the lease nor writes anything.
      const before = await snapshot(knex, deployment.id);
      a.reconciler.trigger(deployment.id);
      await a.reconciler.settle(deployment.id);
      expect(await snapshot(knex, deployment.id)).toEqual(before);
      expect(await b.getDeployment(deployment.id)).toMatchObject({
        leaseOwner: 'replica-b',
      });
      expect(Number((await b.getDeployment(deployment.id))?.leaseToken)).toBe(
        taken.token,
      );
    } finally {
      await a.crash();
      for (const id of emulator.emulator.sandboxIds()) {
        await fetch(`${emulator.emulator.url}/sandboxes/${id}`, {
          method: 'DELETE',
          headers: {
            host: `api.${emulator.emulator.domain}`,
            'x-api-key': emulator.emulator.apiKey,
          },
        }).catch(() => undefined);
      }
      await emulator.stop();
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
