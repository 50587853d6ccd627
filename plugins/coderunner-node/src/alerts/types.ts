import { Alert } from '@coderunner/plugin-coderunner-common';

/**
 * What happened to an alert: it opened, its severity rose while open, or it resolved.
 *
 * @public
 */
export interface AlertEvent {
  type: 'opened' | 'escalated' | 'resolved';
  alert: Alert;
}

/**
 * Somewhere alerts are delivered (Backstage notifications is the built-in one). `deliver` is
 * called once per event, after the alert is stored; a failure is logged and does not stop the
 * other channels or the engine.
 *
 * @public
 */
export interface AlertChannel {
  /** Shown in the backend log. */
  name: string;
  deliver(event: AlertEvent): Promise<void>;
}
