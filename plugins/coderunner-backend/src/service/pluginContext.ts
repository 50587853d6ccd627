import {
  DatabaseService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  coderunnerPermissions,
  DEFAULT_ENVIRONMENTS,
} from '@coderunner/plugin-coderunner-common';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import {
  DEFAULT_READ_CACHE_SECONDS,
  EntityGuard,
} from '../entities/EntityGuard';
import { InputError } from '@backstage/errors';
import { chosenRuntime, ExtensionChoices } from '../extensionPoints';
import { RateLimiter } from './RateLimiter';

/**
 * What every capability may share, built once at start-up before any of them: the plugin's
 * permissions registered, the database migrated (here and only here, before any store
 * exists) with the deployment store on it, the environments, the sandbox runtime (a module's
 * or AgentSphere), one rate limiter for every route and the stream (its counters live in the
 * database), and the entity guard.
 *
 * @internal
 */
export async function createPluginContext(
  deps: {
    config: RootConfigService;
    logger: LoggerService;
    database: DatabaseService;
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
    catalog: CatalogService;
  },
  extensions: ExtensionChoices,
) {
  deps.permissionsRegistry.addPermissions(coderunnerPermissions);
  const store = await DatabaseDeploymentStore.create(deps);
  // The client the store was made on: Backstage hands each plugin one.
  const knex = await deps.database.getClient();
  const environments =
    deps.config.getOptionalStringArray('coderunner.environments') ??
    DEFAULT_ENVIRONMENTS;
  const { runtime, name: runtimeName } = chosenRuntime(extensions, deps);
  deps.logger.info(`CodeRunner runs sandboxes on ${runtimeName}`);
  return {
    store,
    knex,
    environments,
    runtime,
    runtimeName,
    limiter: RateLimiter.fromConfig(deps.config, knex),
    guard: new EntityGuard(deps.catalog, deps.permissions, {
      readCacheMs: readCacheSeconds(deps.config) * 1000,
    }),
  };
}

/** `coderunner.accessCache.readSeconds`, checked: a number from 0 to 60. */
function readCacheSeconds(config: RootConfigService): number {
  const key = 'coderunner.accessCache.readSeconds';
  const seconds = config.getOptionalNumber(key) ?? DEFAULT_READ_CACHE_SECONDS;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 60) {
    throw new InputError(
      `${key} must be a number of seconds from 0 to 60, got ${seconds}`,
    );
  }
  return seconds;
}
