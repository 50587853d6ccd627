import { DeploymentViewCache, readViewCacheBytes } from './DeploymentViewCache';
import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  deploymentListSignalChannel,
  deploymentSignalChannel,
  DeploymentSignal,
} from '@coderunner/plugin-coderunner-common';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { Gateway } from '../gateway/Gateway';
import { LogsCapability } from '../logs/createLogsCapability';
import { readSandboxBufferBytes } from '../orchestrator/capturedOutput';
import { Reconciler } from '../orchestrator/Reconciler';
import { ReleaseConfigProvider } from '../orchestrator/ReleaseConfigProvider';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { LocalSourceRoots } from '../source/LocalSourceRoots';
import { SourceArchiver } from '../source/SourceArchiver';
import { DeploymentService } from './DeploymentService';
import { DeploymentStore } from './DeploymentStore';
import { scheduleReleaseRetention } from './ReleaseRetention';

/**
 * Builds the Deployments capability: the reconciler that moves every deployment towards its
 * desired state (writing build and runtime logs through the Logs capability), the service behind
 * the Deployments API, the entity source reader, and the release retention task. Every change
 * a reconcile makes wakes the live status readers, announces "changed" on the entity's signal
 * channel and refreshes the gateway's routes.
 *
 * @internal
 */
export async function createDeploymentsCapability(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  urlReader: UrlReaderService;
  signals: SignalsService;
  store: DeploymentStore;
  knex: Knex;
  runtime: SandboxRuntime;
  environments: string[];
  logs: LogsCapability;
  gateway?: Gateway;
  /** Where new releases get their configuration: the Config capability. */
  releaseConfig: ReleaseConfigProvider;
}) {
  const { config, scheduler, logger, store, logs, gateway, signals } = options;
  await scheduleReleaseRetention({ config, scheduler, logger, store });

  const reconciler = new Reconciler(
    options.runtime,
    store,
    options.knex,
    logs.store,
    logger,
    {
      config: options.releaseConfig,
      onLogsWritten: (deploymentId, lastSeq, lagSeconds) =>
        logs.onLinesWritten(deploymentId, lastSeq, lagSeconds),
      redact: logs.redactor.lineRedactor,
      sandboxBufferBytes: readSandboxBufferBytes(config),
    },
  );
  reconciler.onChange(async deployment => {
    logs.hub.statusChanged(deployment.id);
    // Signals cannot be limited to the users who may read the entity (the policy decides
    // that, not ownership), so the broadcast says only "changed"; readers re-read. Once on
    // the entity's channel (its pages) and once on the list's (the global page, which also
    // shows deployments that are new).
    for (const channel of [
      deploymentSignalChannel(deployment.entityRef),
      deploymentListSignalChannel,
    ]) {
      void signals
        .publish({
          recipients: { type: 'broadcast' },
          channel,
          message: { type: 'deployments-changed' } satisfies DeploymentSignal,
        })
        .catch(error =>
          logger.warn(`Could not publish a deployment signal: ${error}`),
        );
    }
    await gateway?.refresh();
  });

  const sourceReader = EntitySourceReader.create({
    urlReader: options.urlReader,
    localRoots: LocalSourceRoots.fromConfig(config),
  });
  const service = new DeploymentService(
    store,
    reconciler,
    sourceReader,
    new SourceArchiver(sourceReader, options.urlReader),
    gateway,
    options.environments,
    options.releaseConfig,
    new DeploymentViewCache(readViewCacheBytes(config)),
  );

  return { store, reconciler, service, sourceReader };
}
