/**
 * How urgent an alert is: `critical` needs someone now, `warning` soon, `info` is news.
 *
 * @public
 */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/**
 * One alert: opened when a rule's condition appeared, resolved when it cleared. A condition that
 * stays present keeps its one open alert (deduplicated by `key`).
 *
 * @public
 */
export interface Alert {
  id: string;
  /** The deduplication key: one open alert per key at most. */
  key: string;
  /** The rule that raised it, e.g. `crash-loop`. */
  ruleId: string;
  /** The catalog entity it is about (a component, or an owner group for a team budget). */
  entityRef: string;
  environment?: string;
  severity: AlertSeverity;
  title: string;
  description: string;
  /** A path in the portal that shows the problem. */
  link: string;
  status: 'open' | 'resolved';
  openedAt: string;
  /** The last evaluation that still saw the condition. */
  lastSeenAt: string;
  resolvedAt?: string;
}

/**
 * `GET …/entities/:kind/:namespace/:name/alerts` and `GET /alerts`: newest first.
 *
 * @public
 */
export interface AlertList {
  items: Alert[];
}

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
