import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { LogStore } from './LogStore';

/**
 * Keeps the log table bounded: a scheduled task (one replica at a time) deletes lines older
 * than `coderunner.logs.retention.maxAgeDays` and all but the newest
 * `coderunner.logs.retention.maxLinesPerDeployment` of each deployment.
 *
 * @internal
 */
export async function scheduleLogRetention(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  logger: LoggerService;
  store: LogStore;
}) {
  const retention = options.config.getOptionalConfig(
    'coderunner.logs.retention',
  );
  const maxLinesPerDeployment =
    retention?.getOptionalNumber('maxLinesPerDeployment') ?? 100_000;
  const maxAgeDays = retention?.getOptionalNumber('maxAgeDays') ?? 14;
  const intervalMinutes = retention?.getOptionalNumber('intervalMinutes') ?? 10;
  await options.scheduler.scheduleTask({
    id: 'coderunner-log-retention',
    scope: 'global',
    frequency: { minutes: intervalMinutes },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const deleted = await options.store.prune({
        maxLinesPerDeployment,
        maxAgeMs: maxAgeDays * 24 * 60 * 60 * 1000,
      });
      if (deleted > 0) {
        options.logger.info(`Log retention deleted ${deleted} lines`);
      }
    },
  });
}
