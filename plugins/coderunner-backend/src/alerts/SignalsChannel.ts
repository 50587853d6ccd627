import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ALERTS_SIGNAL_CHANNEL,
  alertSignalChannel,
  AlertSignal,
} from '@coderunner/plugin-coderunner-common';
import { AlertChannel, AlertEvent } from '@coderunner/plugin-coderunner-node';

/**
 * Tells open pages that alerts changed, so they re-read them. Signals reach every subscriber,
 * whatever they may read, so the message carries only the news (see {@link AlertSignal}).
 *
 * @internal
 */
export class SignalsChannel implements AlertChannel {
  readonly name = 'signals';

  constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async deliver(event: AlertEvent): Promise<void> {
    const message: AlertSignal = { type: 'alerts-changed' };
    for (const channel of [
      alertSignalChannel(event.alert.entityRef),
      ALERTS_SIGNAL_CHANNEL,
    ]) {
      await this.signals
        .publish({
          recipients: { type: 'broadcast' },
          channel,
          message: message as any,
        })
        .catch(error =>
          this.logger.debug(`Could not publish an alert signal: ${error}`),
        );
    }
  }
}
