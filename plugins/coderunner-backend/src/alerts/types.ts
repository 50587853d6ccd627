import { AlertSeverity } from '@coderunner/plugin-coderunner-common';

/**
 * A problem a rule sees now. Present on an evaluation: opens an alert with this `key`, or keeps
 * the open one. Absent: the open alert with this key resolves.
 *
 * @internal
 */
export interface AlertCondition {
  /** The deduplication key; unique across rules (rules prefix it with their id). */
  key: string;
  entityRef: string;
  environment?: string;
  severity: AlertSeverity;
  title: string;
  description: string;
  /** A path in the portal. */
  link: string;
  /**
   * Deliver only the first time this key opens: a key that was open before (and resolved) opens
   * again silently. Budget thresholds use it to notify once per period.
   */
  notifyOnce?: boolean;
}

/**
 * One alert rule: evaluated on every tick of the engine. A rule that throws keeps its open alerts
 * as they are (nothing resolves because a query failed).
 *
 * @internal
 */
export interface AlertRule {
  id: string;
  evaluate(now: Date): Promise<AlertCondition[]>;
}

/** The order of severities, for escalation. */
export const SEVERITY_RANK: Record<AlertSeverity, number> = {
  info: 0,
  warning: 1,
  critical: 2,
};
