import {
  ScalingDecisionRecord,
  ScalingDirectionBehavior,
  ScalingPolicy,
} from './types';

/** Why a wanted change was held back, in words for the explanation. */
export interface Restraint {
  desired: number;
  note?: string;
}

function lastAction(
  decisions: readonly ScalingDecisionRecord[],
  up?: boolean,
): ScalingDecisionRecord | undefined {
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i];
    if (d.to !== d.from && (up === undefined || d.to > d.from === up)) {
      return d;
    }
  }
  return undefined;
}

/** Holds a change inside its cooldown: after a scale-up for the next scale-up; after any action for a scale-down. */
export function applyCooldown(
  policy: ScalingPolicy,
  decisions: readonly ScalingDecisionRecord[],
  now: number,
  current: number,
  desired: number,
): Restraint {
  const up = desired > current;
  const seconds = up
    ? policy.cooldowns.scaleUpSeconds
    : policy.cooldowns.scaleDownSeconds;
  const previous = lastAction(decisions, up ? true : undefined);
  if (desired === current || seconds <= 0 || !previous) {
    return { desired };
  }
  const elapsed = (now - previous.at) / 1000;
  if (elapsed >= seconds) {
    return { desired };
  }
  const what = previous.to > previous.from ? 'scaled up' : 'scaled down';
  return {
    desired: current,
    note: `in cooldown (${what} ${Math.round(
      elapsed,
    )} s ago, ${seconds} s cooldown)`,
  };
}

/** The instance count wanted at `since` (epoch ms): undo every action taken after it. */
export function countAt(
  decisions: readonly ScalingDecisionRecord[],
  since: number,
  current: number,
): number {
  let count = current;
  for (let i = decisions.length - 1; i >= 0 && decisions[i].at > since; i--) {
    count = decisions[i].from;
  }
  return count;
}

function allowedChange(
  behavior: ScalingDirectionBehavior,
  base: number,
): number {
  const byCount = behavior.maxInstancesPerPeriod ?? 0;
  const byPercent =
    behavior.maxPercentPerPeriod === undefined
      ? 0
      : Math.ceil((base * behavior.maxPercentPerPeriod) / 100);
  if (
    behavior.maxInstancesPerPeriod === undefined &&
    behavior.maxPercentPerPeriod === undefined
  ) {
    return Number.POSITIVE_INFINITY;
  }
  return Math.max(1, byCount, byPercent);
}

/** Limits a change to the larger of the direction's count and percent allowances per period. */
export function applyRateLimit(
  policy: ScalingPolicy,
  decisions: readonly ScalingDecisionRecord[],
  now: number,
  current: number,
  desired: number,
): Restraint {
  if (desired === current) {
    return { desired };
  }
  const up = desired > current;
  const behavior = up ? policy.behavior.scaleUp : policy.behavior.scaleDown;
  const base = countAt(decisions, now - behavior.periodSeconds * 1000, current);
  const allowed = allowedChange(behavior, base);
  const bound = up ? base + allowed : base - allowed;
  if (up ? desired <= bound : desired >= bound) {
    return { desired };
  }
  const limited = up ? Math.max(current, bound) : Math.min(current, bound);
  return {
    desired: limited,
    note: `limited to ${limited} by the scale-${up ? 'up' : 'down'} rate`,
  };
}
