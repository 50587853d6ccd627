import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { dbTimestamp } from '../database/dbClock';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseDeploymentStore.create({ database }) };
}

const guest = 'user:default/guest';
const manifest = { kind: 'service', run: { command: 'node server.js' } };

describe('DeploymentStore', () => {
  it.each(databases.eachSupportedId())(
    'lets exactly one of several deploys sent at once through, the others get a 409, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      // Sent at once: each saw the deployment before any of them committed.
      const seen = await store.rolloutSeen(
        deployment.entityRef,
        deployment.environment,
      );
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          store.createRelease({
            deploymentId: deployment.id,
            seen,
            manifest,
            source: Buffer.from(`source ${i}`),
            desiredInstances: 1,
            createdBy: `user:default/user-${i}`,
          }),
        ),
      );
      const fulfilled = results.filter(r => r.status === 'fulfilled');
      const rejected = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(5);
      for (const r of rejected) expect(r.reason).toBeInstanceOf(ConflictError);
      const releases = await store.listReleases(deployment.id);
      expect(releases.map(r => r.number)).toEqual([1]);
      const after = await store.getDeployment(deployment.id);
      expect(after).toMatchObject({
        targetReleaseId: releases[0].id,
        nextReleaseNumber: 2,
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'supersedes a rollout that was in progress when a deploy or rollback arrived, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      const seen = () =>
        store.rolloutSeen(deployment.entityRef, deployment.environment);
      const create = async () =>
        store.createRelease({
          deploymentId: deployment.id,
          seen: await seen(),
          manifest,
          source: Buffer.from('source'),
          desiredInstances: 1,
          createdBy: guest,
        });
      const first = await create();
      await store.setReleaseStatus(first.id, 'built');
      await store.updateDeployment(deployment.id, {
        activeReleaseId: first.id,
        targetReleaseId: undefined,
      });

      // Release 2's rollout is stuck; release 3 supersedes it, release 1 stays active.
      const stuck = await create();
      const next = await create();
      expect(await store.getRelease(stuck.id)).toMatchObject({
        status: 'superseded',
      });
      expect(await store.getDeployment(deployment.id)).toMatchObject({
        activeReleaseId: first.id,
        targetReleaseId: next.id,
      });
      // Its build ends later: the release stays superseded, but it did build.
      await store.setReleaseStatus(stuck.id, 'built');
      expect(await store.getRelease(stuck.id)).toMatchObject({
        status: 'superseded',
      });
      expect((await store.getRelease(stuck.id))?.builtAt).toBeTruthy();

      // A rollback supersedes release 3; rolling back to the superseded, built release 2 works.
      const rolled = await store.targetRelease({
        deploymentId: deployment.id,
        releaseNumber: 2,
        requestedBy: guest,
        seen: await seen(),
      });
      expect(rolled).toMatchObject({ id: stuck.id, status: 'built' });
      expect(await store.getRelease(next.id)).toMatchObject({
        status: 'superseded',
      });

      // A deploy that saw the state before that rollback was concurrent with it: it loses.
      const stale = await seen();
      await store.targetRelease({
        deploymentId: deployment.id,
        releaseNumber: 1,
        requestedBy: guest,
        seen: stale,
      });
      await expect(
        store.createRelease({
          deploymentId: deployment.id,
          seen: stale,
          manifest,
          source: Buffer.from('x'),
          desiredInstances: 1,
          createdBy: guest,
        }),
      ).rejects.toThrow(ConflictError);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one deployment per entity and environment on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const options = {
        entityRef: 'component:default/hello-node',
        environment: 'staging',
        createdBy: guest,
      };
      const first = await store.ensureDeployment(options);
      const again = await store.ensureDeployment({
        ...options,
        createdBy: 'user:default/other',
      });
      expect(again.id).toBe(first.id);
      expect(again.createdBy).toBe(guest);
      expect(first).toMatchObject({
        status: 'pending',
        desiredState: 'running',
      });
      await store.ensureDeployment({ ...options, environment: 'production' });
      expect(
        (await store.listDeployments({ entityRef: options.entityRef })).map(
          d => d.environment,
        ),
      ).toEqual(['production', 'staging']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'numbers releases, refuses a second rollout while one is in progress, and rolls back only to built releases on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      const create = () =>
        store.createRelease({
          deploymentId: deployment.id,
          manifest,
          source: Buffer.from('source-archive'),
          desiredInstances: 2,
          createdBy: guest,
        });

      const first = await create();
      expect(first.number).toBe(1);
      await expect(create()).rejects.toThrow(ConflictError);

      // Concurrent attempts: exactly one wins while release 1 is still the target.
      await store.setReleaseStatus(first.id, 'built');
      await store.updateDeployment(deployment.id, {
        activeReleaseId: first.id,
        targetReleaseId: undefined,
      });
      const results = await Promise.allSettled([create(), create(), create()]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      expect(
        results.filter(
          r => r.status === 'rejected' && r.reason instanceof ConflictError,
        ),
      ).toHaveLength(2);

      const after = await store.getDeployment(deployment.id);
      expect(after).toMatchObject({
        desiredInstances: 2,
        status: 'deploying',
        nextReleaseNumber: 3,
      });
      const second = (await store.listReleases(deployment.id))[0];
      expect(second.number).toBe(2);
      expect(await store.getReleaseFile(second.id, 'source')).toEqual(
        Buffer.from('source-archive'),
      );

      await store.setReleaseStatus(
        second.id,
        'failed',
        'npm run build exited with code 1',
      );
      await store.updateDeployment(deployment.id, {
        targetReleaseId: undefined,
      });
      await expect(
        store.targetRelease({
          deploymentId: deployment.id,
          releaseNumber: 2,
          requestedBy: guest,
        }),
      ).rejects.toThrow(InputError);
      const rolled = await store.targetRelease({
        deploymentId: deployment.id,
        releaseNumber: 1,
        requestedBy: guest,
      });
      expect(rolled.id).toBe(first.id);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'gives a deployment lease to one replica at a time on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const { id } = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      const token = (owner: string, ttlMs = 60_000) =>
        store.acquireLease(id, owner, ttlMs).then(lease => lease?.token);
      expect(await token('a')).toBe(1);
      expect(await token('b')).toBeUndefined();
      // Renewing keeps the fencing token; taking the lease over increments it.
      expect(await token('a')).toBe(1);
      // An expired lease (its holder died) can be taken over.
      expect(await token('a', -1)).toBe(1);
      expect(await store.leasedElsewhere(id, 'b')).toBe(false);
      expect(await token('b')).toBe(2);
      expect(await store.leasedElsewhere(id, 'a')).toBe(true);
      await store.releaseLeases('b');
      expect(await token('a')).toBe(3);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'renews every lease of a replica at once and tells a tick which deployments another live replica holds, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const ids = [];
      for (const environment of ['a', 'b', 'c']) {
        ids.push(
          (
            await store.ensureDeployment({
              entityRef: 'component:default/hello-node',
              environment,
              createdBy: guest,
            })
          ).id,
        );
      }
      const [mine, theirs, expired] = ids;
      expect(await store.acquireLease(mine, 'me', -1)).toMatchObject({
        token: 1,
      });
      expect(await store.acquireLease(theirs, 'them', 60_000)).toBeDefined();
      expect(await store.acquireLease(expired, 'gone', -1)).toBeDefined();
      const elsewhere = async () =>
        Object.fromEntries(
          (await store.listDeploymentsForReconcile('me')).map(d => [
            d.id,
            d.leasedElsewhere,
          ]),
        );
      expect(await elsewhere()).toEqual({
        [mine]: false,
        [theirs]: true,
        [expired]: false,
      });

      // Only the renewer's own leases are renewed, with their tokens kept.
      expect(await store.renewLeases('me', 60_000)).toBe(1);
      expect(await store.acquireLease(mine, 'them', 60_000)).toBeUndefined();
      expect(await store.acquireLease(mine, 'me', 60_000)).toMatchObject({
        token: 1,
      });
      expect(await elsewhere()).toEqual({
        [mine]: false,
        [theirs]: true,
        [expired]: false,
      });
      expect(await store.listDeploymentsForReconcile('them')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: mine, leasedElsewhere: true }),
          expect.objectContaining({ id: theirs, leasedElsewhere: false }),
        ]),
      );

      // Stale: another replica's lease that expires within the given time, or expired.
      const stale = async (withinMs?: number) =>
        Object.fromEntries(
          (await store.listDeploymentsForReconcile('me', withinMs)).map(d => [
            d.id,
            d.leaseStale,
          ]),
        );
      expect(await stale()).toEqual({
        [mine]: false,
        [theirs]: false,
        [expired]: true,
      });
      expect(await stale(30_000)).toEqual({
        [mine]: false,
        [theirs]: false,
        [expired]: true,
      });
      expect(await stale(90_000)).toEqual({
        [mine]: false,
        [theirs]: true,
        [expired]: true,
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'marks an instance unhealthy without the lease only while it is ready, in the sandbox probed, and, for a stand-in, while the lease is still stale, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        createdBy: guest,
      });
      const release = await store.createRelease({
        deploymentId: deployment.id,
        manifest,
        source: Buffer.from('source'),
        desiredInstances: 1,
        createdBy: guest,
      });
      const ready = async (sandboxId: string) => {
        const instance = await store.createInstance({
          deploymentId: deployment.id,
          releaseId: release.id,
        });
        await store.updateInstance(instance.id, { state: 'ready', sandboxId });
        return instance.id;
      };
      const state = async (id: string) =>
        (await store.listInstances(deployment.id)).find(i => i.id === id)
          ?.state;
      const standIn = { owner: 'me', staleWithinMs: 9_000 };

      // A probe of a sandbox the instance has left proves nothing of the new one.
      const moved = await ready('sandbox-b');
      expect(
        await store.markInstanceUnhealthy(moved, 'down', {
          sandboxId: 'sandbox-a',
        }),
      ).toBe(false);
      expect(await state(moved)).toBe('ready');

      // A holder that renews on time (its lease ends in 60 s) decides with its own probes.
      expect(
        await store.acquireLease(deployment.id, 'them', 60_000),
      ).toBeDefined();
      expect(
        await store.markInstanceUnhealthy(moved, 'down', {
          sandboxId: 'sandbox-b',
          whileLeaseStale: standIn,
        }),
      ).toBe(false);
      expect(await state(moved)).toBe('ready');
      // Nor does a stand-in mark one of its own deployments' instances that way.
      await knex('coderunner_deployments')
        .where({ id: deployment.id })
        .update({ lease_owner: 'me' });
      expect(
        await store.markInstanceUnhealthy(moved, 'down', {
          whileLeaseStale: standIn,
        }),
      ).toBe(false);

      // Another replica's lease that ends within 9 s: not renewed for a while.
      await knex('coderunner_deployments')
        .where({ id: deployment.id })
        .update({ lease_owner: 'them' });
      await knex('coderunner_deployments')
        .where({ id: deployment.id })
        .update({ lease_expires_at: dbTimestamp(knex, 5_000) });
      expect(
        await store.markInstanceUnhealthy(moved, 'down', {
          sandboxId: 'sandbox-b',
          whileLeaseStale: standIn,
        }),
      ).toBe(true);
      expect(await state(moved)).toBe('unhealthy');
      // Only a ready instance changes, and only once.
      expect(await store.markInstanceUnhealthy(moved, 'down again')).toBe(
        false,
      );

      // The gateway's call, with no conditions, as before.
      const other = await ready('sandbox-c');
      expect(await store.markInstanceUnhealthy(other, 'refused')).toBe(true);
      expect(await state(other)).toBe('unhealthy');
      await knex.destroy();
    },
  );
});
