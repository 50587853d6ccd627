import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { DeploymentStore } from './DeploymentStore';

/**
 * Keeps stored release files bounded (a source snapshot and an artifact can reach 100 MiB
 * together): a scheduled task (one replica at a time) deletes the files of each deployment's
 * releases beyond the newest `coderunner.releases.keepArtifacts`, never those of the active
 * release, the rollback target, the rollout target or a release an instance still runs.
 * Release rows and history stay; rolling back to a pruned release is refused with a 409.
 *
 * @internal
 */
export async function scheduleReleaseRetention(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  logger: LoggerService;
  store: DeploymentStore;
}) {
  const releases = options.config.getOptionalConfig('coderunner.releases');
  const keepArtifacts = releases?.getOptionalNumber('keepArtifacts') ?? 10;
  if (!Number.isInteger(keepArtifacts) || keepArtifacts < 1) {
    throw new Error(
      `coderunner.releases.keepArtifacts must be a whole number of at least 1, not ${keepArtifacts}`,
    );
  }
  const intervalMinutes =
    releases?.getOptionalNumber('retentionIntervalMinutes') ?? 60;
  await options.scheduler.scheduleTask({
    id: 'coderunner-release-retention',
    scope: 'global',
    frequency: { minutes: intervalMinutes },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
    fn: async () => {
      const pruned = await options.store.pruneReleaseFiles(keepArtifacts);
      if (pruned.releases > 0) {
        options.logger.info(
          `Release retention pruned the files of ${
            pruned.releases
          } releases (${Math.round(pruned.bytes / 1048576)} MiB)`,
        );
      }
    },
  });
}
