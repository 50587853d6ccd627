import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { createCodeRunnerActions } from './actions';
import { createPublishLocalAction } from './actions/publishLocal';

/**
 * Adds CodeRunner's actions to the scaffolder, so templates can deploy and configure what
 * they create. With `coderunner.scaffolder.localComponentsDir` set (local portals without a
 * source host), it also adds `coderunner:publish:local`.
 *
 * @public
 */
export const scaffolderModuleCodeRunner = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'coderunner',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, discovery, auth, config, catalog }) {
        scaffolder.addActions(...createCodeRunnerActions({ discovery, auth }));
        const componentsDir = config.getOptionalString(
          'coderunner.scaffolder.localComponentsDir',
        );
        if (componentsDir) {
          scaffolder.addActions(
            createPublishLocalAction({
              componentsDir: path.resolve(componentsDir),
              catalog,
            }),
          );
        }
      },
    });
  },
});
