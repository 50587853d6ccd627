import { BackendPluginRegistrationPoints } from '@backstage/backend-plugin-api';
import {
  AlertChannel,
  coderunnerAlertChannelsExtensionPoint,
} from '@coderunner/plugin-coderunner-node';

/**
 * Registers `coderunnerAlertChannelsExtensionPoint`; answers the channels modules added, read
 * once the plugin initialises (modules register before that). Two channels with one name fail
 * start-up, naming it.
 *
 * @internal
 */
export function registerAlertChannelsExtensionPoint(
  env: BackendPluginRegistrationPoints,
): AlertChannel[] {
  const channels: AlertChannel[] = [];
  env.registerExtensionPoint(coderunnerAlertChannelsExtensionPoint, {
    addChannel(channel) {
      if (
        channel.name === 'notifications' ||
        channel.name === 'signals' ||
        channels.some(c => c.name === channel.name)
      ) {
        throw new Error(
          `A CodeRunner alert channel named ${channel.name} exists already; give the channel another name.`,
        );
      }
      channels.push(channel);
    },
  });
  return channels;
}
