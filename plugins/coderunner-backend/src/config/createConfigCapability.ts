import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { ConfigService } from './ConfigService';
import { ConfigStore } from './ConfigStore';
import { ConfigTransfer } from './ConfigTransfer';
import { DeploymentSecrets } from './DeploymentSecrets';
import { Keyring } from './Keyring';
import { KeyRotator } from './KeyRotator';
import { SecretCipher } from './SecretCipher';

/**
 * Builds the Config capability: keys, store, the service (versions, apply, reveal), the
 * transfer (import, export and template previews), the rotation task and the secret values
 * for log redaction. Fails, stopping start-up, when a stored value's key is not configured.
 * Applying a change redeploys: connect the Deployments capability with
 * `service.applyThrough(deployments)` once it exists.
 *
 * @internal
 */
export async function createConfigCapability(options: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  environments: string[];
  deployments: DeploymentStore;
}) {
  const logger = options.logger.child({ component: 'config' });
  const store = await ConfigStore.create({ database: options.database });
  const keyring = await Keyring.fromConfig(options.config, {
    logger,
    knex: store.knex,
  });
  const cipher = new SecretCipher(keyring);
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
  const service = new ConfigService(store, cipher, options.environments, {
    secrets,
  });
  const transfer = new ConfigTransfer(store, cipher, options.environments, {
    importMaxBytes,
  });

  // Instances adopted after a restart keep running without asking for their variables again:
  // learn the secrets of every release that may still have instances.
  for (const deployment of await options.deployments.listDeployments()) {
    for (const releaseId of new Set([
      deployment.active_release_id,
      deployment.target_release_id,
    ])) {
      const release = releaseId
        ? await options.deployments.getRelease(releaseId)
        : undefined;
      if (release?.config_version) {
        await service
          .variables(
            deployment.entity_ref,
            deployment.environment,
            release.config_version,
          )
          .catch(error =>
            logger.warn(
              `Could not load the secrets of ${deployment.entity_ref}: ${error}`,
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

  return { service, transfer, rotator, secrets };
}
