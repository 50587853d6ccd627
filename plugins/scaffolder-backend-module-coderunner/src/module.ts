import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCodeRunnerActions } from './actions';

/**
 * Adds CodeRunner's actions to the scaffolder, so templates can deploy what they create.
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
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(...createCodeRunnerActions({ discovery, auth }));
      },
    });
  },
});
