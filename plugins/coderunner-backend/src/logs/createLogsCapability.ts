import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { LogPipelineMetrics } from '../metrics/logPipelineCollectors';
import { DatabaseLogStore } from './DatabaseLogStore';
import { LogHub } from './LogHub';
import { readLineCacheBytes } from './LineCache';
import { LogRedactor } from './LogRedactor';
import { scheduleLogRetention } from './LogRetention';
import { LogStore } from './LogStore';
import { PgNotifyTransport } from './PgNotifyTransport';

/**
 * Builds the Logs capability: the log store, the hub that wakes every replica's live readers
 * when lines are written (one PostgreSQL `NOTIFY` per batch, in-process on SQLite), the
 * redactor that keeps secret values out of stored lines, the pipeline's own metrics and the
 * retention task. The orchestrator writes through `onLinesWritten` and `redactor`; the stream
 * and the log routes read through `store` and `hub`.
 *
 * @internal
 */
export async function createLogsCapability(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** The plugin's database, migrated. */
  knex: Knex;
}) {
  const { config, scheduler, knex } = options;
  const logger = options.logger.child({ component: 'logs' });
  const store: LogStore = DatabaseLogStore.create({
    knex,
    lineCacheBytes: readLineCacheBytes(config),
  });
  const hub = new LogHub(
    PgNotifyTransport.isSupported(knex)
      ? new PgNotifyTransport(knex, logger)
      : undefined,
  );
  // Capabilities that know secret values register them here (see docs/logs.md).
  const redactor = new LogRedactor();
  const pipeline = new LogPipelineMetrics();
  await scheduleLogRetention({
    config,
    scheduler,
    logger: options.logger,
    store,
  });

  return {
    store,
    hub,
    redactor,
    pipeline,
    /** The log writers' hook: measures the lag and wakes the live readers. */
    onLinesWritten(deploymentId: string, lastSeq: number, lagSeconds: number) {
      pipeline.writeLag.observe(lagSeconds);
      hub.linesWritten(deploymentId, lastSeq);
    },
    /** Redacts the secrets `source` knows, and forgets them when they change. */
    redactSecretsOf(source: {
      valuesOf(deploymentId: string): string[];
      onChange(listener: (deploymentId: string) => void): void;
    }) {
      redactor.registerSecretSource(source.valuesOf);
      source.onChange(deploymentId => redactor.forget(deploymentId));
    },
  };
}

/**
 * What {@link createLogsCapability} hands back.
 *
 * @internal
 */
export type LogsCapability = Awaited<ReturnType<typeof createLogsCapability>>;
