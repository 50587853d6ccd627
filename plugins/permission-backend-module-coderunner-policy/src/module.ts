import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CodeRunnerPermissionPolicy } from './CodeRunnerPermissionPolicy';

/**
 * Sets {@link CodeRunnerPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModuleCodeRunnerPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'coderunner-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(CodeRunnerPermissionPolicy.fromConfig(config));
      },
    });
  },
});
