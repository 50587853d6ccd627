import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createConfigSetAction } from './configSet';
import { createDeployAction } from './deploy';
import { createScaleAction } from './scale';

/**
 * The scaffolder actions CodeRunner offers. They call the CodeRunner backend's REST API, so
 * the same validation and permission checks apply as in the UI.
 *
 * @internal
 */
export function createCodeRunnerActions(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TemplateAction<any, any, any>[] {
  return [
    createDeployAction(options),
    createConfigSetAction(options),
    createScaleAction(options),
  ];
}
