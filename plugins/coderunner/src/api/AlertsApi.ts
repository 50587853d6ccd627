import { createApiRef } from '@backstage/core-plugin-api';
import { Alert } from '@coderunner/plugin-coderunner-common';

/**
 * The browser's view of alerts: an entity's alerts (open and resolved) and the open alerts of
 * everything the user may read.
 *
 * @public
 */
export interface AlertsApi {
  /** The entity's alerts, newest first; `status` limits them to open or resolved ones. */
  getEntityAlerts(
    entityRef: string,
    options?: { status?: 'open' | 'resolved'; limit?: number },
  ): Promise<Alert[]>;
  /** Open alerts of the entities the user may read, newest first. */
  getOpenAlerts(options?: { limit?: number }): Promise<Alert[]>;
}

/**
 * The {@link AlertsApi} reference.
 *
 * @public
 */
export const alertsApiRef = createApiRef<AlertsApi>({
  id: 'plugin.coderunner.alerts',
});
