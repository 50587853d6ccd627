import { createRouteRef } from '@backstage/core-plugin-api';

/** The global CodeRunner page. */
export const rootRouteRef = createRouteRef({ id: 'coderunner' });

/** The entity tabs, for legacy apps that mount them with `EntityLayout.Route`. */
export const deploymentsRouteRef = createRouteRef({
  id: 'coderunner-deployments',
});
export const logsRouteRef = createRouteRef({ id: 'coderunner-logs' });
export const configRouteRef = createRouteRef({ id: 'coderunner-config' });
export const autoscalingRouteRef = createRouteRef({
  id: 'coderunner-autoscaling',
});
