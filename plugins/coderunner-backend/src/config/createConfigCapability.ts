import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Knex } from 'knex';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { RateLimiter } from '../service/RateLimiter';
import { ConfigChanges } from './ConfigChanges';
import { ConfigHistory } from './ConfigHistory';
import { ConfigRouteOptions } from './configRoutes';
import { ConfigTransfer } from './ConfigTransfer';
import { ConfigValues } from './ConfigValues';
import { DatabaseConfigStore } from './DatabaseConfigStore';
import { DeploymentSecrets } from './DeploymentSecrets';
import { Keyring } from './Keyring';
import { KeyRotator } from './KeyRotator';
import { ReleaseConfig } from './ReleaseConfig';
import { SecretCipher } from './SecretCipher';

/**
 * Builds the Config capability: keys, store, the history (snapshots, versions, diffs, audit,
 * reveal), the changes (change sets, rollback, apply), the transfer (import, export and
 * template previews), the release config for the orchestrator, the rotation task and the
 * secret values for log redaction; `routes` for the router. Fails, stopping start-up, when a
 * stored value's key is not configured. Applying a change redeploys: connect the Deployments
 * capability with `changes.applyThrough(deployments)` once it exists.
 *
 * @internal
 */
export async function createConfigCapability(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  limiter: RateLimiter;
  knex: Knex;
  environments: string[];
  deployments: DeploymentStore;
}) {
  const logger = options.logger.child({ component: 'config' });
  const store = await DatabaseConfigStore.create({ knex: options.knex });
  const keyring = await Keyring.fromConfig(options.config, {
    logger,
    knex: options.knex,
  });
  const cipher = new SecretCipher(keyring);
  const values = new ConfigValues(store, cipher, options.environments);
  const rotator = new KeyRotator(store, keyring, cipher, logger);
  await rotator.assertKeysPresent();

  const secrets = new DeploymentSecrets(
    async (entityRef, environment) =>
      (await options.deployments.findDeployment(entityRef, environment))?.id,
  );
  const importMaxBytes = options.config.getOptionalNumber(
    'coderunner.config.importMaxBytes',
  );
  if (
    importMaxBytes !== undefined &&
    (!Number.isInteger(importMaxBytes) || importMaxBytes < 1)
  ) {
    throw new Error(
      `coderunner.config.importMaxBytes must be a whole number of bytes, at least 1; got ${importMaxBytes}`,
    );
  }
  const history = new ConfigHistory(store, values);
  const changes = new ConfigChanges(store, values);
  const releaseConfig = new ReleaseConfig(store, values, secrets);
  const transfer = new ConfigTransfer(store, values, { importMaxBytes });

  // Instances adopted after a restart keep running without asking for their variables again:
  // learn the secrets of every release that may still have instances.
  for (const deployment of await options.deployments.listDeployments()) {
    for (const releaseId of new Set([
      deployment.activeReleaseId,
      deployment.targetReleaseId,
    ])) {
      const release = releaseId
        ? await options.deployments.getRelease(releaseId)
        : undefined;
      if (release?.configVersion) {
        await releaseConfig
          .variables(
            deployment.entityRef,
            deployment.environment,
            release.configVersion,
          )
          .catch(error =>
            logger.warn(
              `Could not load the secrets of ${deployment.entityRef}: ${error}`,
            ),
          );
      }
    }
  }

  await options.scheduler.scheduleTask({
    id: 'coderunner-config-key-rotation',
    frequency: { minutes: 5 },
    timeout: { minutes: 30 },
    initialDelay: { seconds: 10 },
    fn: async () => {
      await rotator.run();
    },
  });

  const routes: ConfigRouteOptions = {
    history,
    changes,
    transfer,
    rotator,
    auditor: options.auditor,
    limiter: options.limiter,
  };
  return {
    history,
    changes,
    releaseConfig,
    transfer,
    rotator,
    secrets,
    routes,
  };
}
