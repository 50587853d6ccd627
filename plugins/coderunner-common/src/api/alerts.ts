import { components } from './generated/openapi';

/**
 * How urgent an alert is: `critical` needs someone now, `warning` soon, `info` is news.
 *
 * @public
 */
export type AlertSeverity = Alert['severity'];

/**
 * One alert: opened when a rule's condition appeared, resolved when it cleared. A condition that
 * stays present keeps its one open alert (deduplicated by `key`).
 *
 * @public
 */
export type Alert = components['schemas']['Alert'];

/**
 * `GET …/entities/:kind/:namespace/:name/alerts` and `GET /alerts`: newest first.
 *
 * @public
 */
export type AlertList = components['schemas']['AlertList'];

/**
 * The signal channel that announces a change in an entity's alerts. Signals reach every
 * subscriber, so the message holds nothing but the news; readers fetch the alerts from the API,
 * which checks their read permission.
 *
 * @public
 */
export const alertSignalChannel = (entityRef: string) =>
  `coderunner:alerts:${entityRef}`;

/**
 * The signal channel that announces a change in any alert (for the global page).
 *
 * @public
 */
export const ALERTS_SIGNAL_CHANNEL = 'coderunner:alerts';

/**
 * The message sent on the alert signal channels.
 *
 * @public
 */
export interface AlertSignal {
  type: 'alerts-changed';
}
