import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { coderunnerPlugin } from '../plugin';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { scheduleReleaseRetention } from '../deployments/ReleaseRetention';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

/**
 * Finding: nothing pruned old releases, each up to 114 MiB of stored source and artifact,
 * so any user who may deploy could fill the database. The retention task keeps the newest
 * `coderunner.releases.keepArtifacts` releases' files, and never those of the active
 * release, the rollback target or a release an instance still runs.
 */
const databases = createTestDatabases();
const guest = 'user:default/guest';

describe('release retention', () => {
  it.each(databases.eachSupportedId())(
    'prunes the files of old releases but keeps the rows, the active release and the rollback target on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      const store = DatabaseDeploymentStore.fromKnex(knex);
      const { id: deploymentId } = await store.ensureDeployment({
        entityRef: 'component:default/hello-node',
        environment: 'production',
        createdBy: guest,
      });
      // Releases 1 to 8, each built with a 1 MiB artifact.
      const releases = [];
      for (let n = 1; n <= 8; n++) {
        const release = await store.createRelease({
          deploymentId,
          manifest: {},
          source: Buffer.alloc(1024, n),
          desiredInstances: 1,
          createdBy: guest,
        });
        await store.saveReleaseFile(
          release.id,
          'artifact',
          Buffer.alloc(1024 * 1024, n),
        );
        await store.setReleaseStatus(release.id, 'built');
        await store.updateDeployment(deploymentId, {
          activeReleaseId: release.id,
          targetReleaseId: undefined,
        });
        releases.push(release);
      }
      // Release 5 serves (after a rollback), so a rollback goes to 4; an instance of release
      // 2 is still draining.
      await store.updateDeployment(deploymentId, {
        activeReleaseId: releases[4].id,
      });
      const draining = await store.createInstance({
        deploymentId,
        releaseId: releases[1].id,
      });
      await store.updateInstance(draining.id, { state: 'draining' });

      // The plugin's scheduled task, with coderunner.releases.keepArtifacts = 2.
      const scheduler = mockServices.scheduler.mock();
      await scheduleReleaseRetention({
        config: new ConfigReader({
          coderunner: { releases: { keepArtifacts: 2 } },
        }),
        scheduler,
        logger: mockServices.logger.mock(),
        store,
      });
      const task = scheduler.scheduleTask.mock.calls[0][0];
      expect(task).toMatchObject({
        id: 'coderunner-release-retention',
        scope: 'global',
      });
      await task.fn(new AbortController().signal);

      const kept: number[] = [];
      for (const release of releases) {
        if (await store.getReleaseFile(release.id, 'artifact'))
          kept.push(release.number);
      }
      // 8 and 7 are the newest, 5 is active, 4 the rollback target, 2 still has an instance.
      expect(kept).toEqual([2, 4, 5, 7, 8]);
      for (const n of [1, 3, 6]) {
        expect(
          await store.getReleaseFile(releases[n - 1].id, 'source'),
        ).toBeUndefined();
      }
      // The history stays: every release row, marked where its files are gone.
      const rows = await store.listReleases(deploymentId);
      expect(rows.map(r => [r.number, Boolean(r.filesPrunedAt)])).toEqual([
        [8, false],
        [7, false],
        [6, true],
        [5, false],
        [4, false],
        [3, true],
        [2, false],
        [1, true],
      ]);

      // Rolling back to a pruned release says why it cannot; to a kept one it works.
      const refused = await store
        .targetRelease({ deploymentId, releaseNumber: 3, requestedBy: guest })
        .catch(error => error);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused.message).toBe(
        'Release 3 cannot be rolled back to: its artifact was pruned by the release retention task (coderunner.releases.keepArtifacts keeps the newest releases). Pick a newer release, or deploy again.',
      );
      await expect(
        store.targetRelease({
          deploymentId,
          releaseNumber: 4,
          requestedBy: guest,
        }),
      ).resolves.toMatchObject({ number: 4 });

      // Running it again prunes nothing more.
      await task.fn(new AbortController().signal);
      expect(
        (await store.listReleases(deploymentId)).filter(r => r.filesPrunedAt),
      ).toHaveLength(3);
      await knex.destroy();
    },
  );

  it('is scheduled by the plugin, once across replicas', async () => {
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
      features: [
        coderunnerPlugin,
        scheduler.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              gateway: { enabled: false },
              releases: { keepArtifacts: 3 },
            },
          },
        }),
      ],
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'coderunner-release-retention',
        scope: 'global',
      }),
    );
    await backend.stop();
  });
});
