import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  coderunnerPermissions,
  DEFAULT_ENVIRONMENTS,
} from '@coderunner/plugin-coderunner-common';
import { DatabaseDeploymentStore } from './deployments/DatabaseDeploymentStore';
import { EntityGuard } from './entities/EntityGuard';
import { createRouter } from './service/router';
import { EntitySourceReader } from './source/EntitySourceReader';

/**
 * The CodeRunner backend plugin: deploys catalog components to AgentSphere sandboxes.
 *
 * @public
 */
export const coderunnerPlugin = createBackendPlugin({
  pluginId: 'coderunner',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        urlReader,
        catalog,
      }) {
        permissionsRegistry.addPermissions(coderunnerPermissions);
        await DatabaseDeploymentStore.create({ database });

        const environments =
          config.getOptionalStringArray('coderunner.environments') ??
          DEFAULT_ENVIRONMENTS;

        httpRouter.use(
          await createRouter({
            httpAuth,
            entityGuard: new EntityGuard(catalog, permissions),
            sourceReader: EntitySourceReader.create({ urlReader }),
            environments,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        logger.info(
          `CodeRunner ready for environments ${environments.join(', ')}`,
        );
      },
    });
  },
});
