import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createConfigSetAction } from './configSet';

/**
 * The scaffolder actions CodeRunner offers. The deploy and config actions arrive with the
 * Deployments and Config capabilities; they call the CodeRunner backend's REST API with
 * the scaffolder's own service credentials.
 *
 * @internal
 */
export function createCodeRunnerActions(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TemplateAction<any, any, any>[] {
  return [createConfigSetAction(options)];
}
