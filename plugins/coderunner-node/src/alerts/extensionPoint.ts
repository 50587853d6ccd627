import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AlertChannel } from './types';

/**
 * Lets a backend module deliver CodeRunner alerts somewhere besides Backstage notifications.
 *
 * @public
 */
export interface CoderunnerAlertChannelsExtensionPoint {
  /** Adds a channel; every alert event goes to the built-in notifications and to each channel. */
  addChannel(channel: AlertChannel): void;
}

/**
 * Extension point for adding CodeRunner alert channels.
 *
 * @public
 */
export const coderunnerAlertChannelsExtensionPoint =
  createExtensionPoint<CoderunnerAlertChannelsExtensionPoint>({
    id: 'coderunner.alert-channels',
  });
