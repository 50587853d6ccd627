import { explainDecision, metricNames } from './explain';
import { burstFloor, rememberBursts, scanBursts } from './burstMemory';
import { isIdle } from './idle';
import { foldMemory } from './latencyKnee';
import { metricVotes } from './metricVotes';
import { applyCooldown, applyRateLimit } from './rateLimits';
import {
  ScalingDecision,
  ScalingInput,
  ScalingMemory,
  ScalingPolicy,
} from './types';

function upperBound(policy: ScalingPolicy): number {
  return policy.budgetMaxInstances === undefined
    ? policy.maxInstances
    : Math.min(policy.maxInstances, policy.budgetMaxInstances);
}

/**
 * A decision whose sentence is built only when someone reads it: the hot path collects votes and short notes, and
 * formatting numbers into text (most of a decision's cost) happens on demand.
 */
class Decision implements ScalingDecision {
  readonly direction: ScalingDecision['direction'];

  constructor(
    readonly current: number,
    readonly desired: number,
    readonly votes: ScalingDecision['votes'],
    readonly notes: string[],
    readonly memory: ScalingMemory,
  ) {
    let direction: ScalingDecision['direction'] = 'none';
    if (desired !== current) {
      direction = desired > current ? 'up' : 'down';
    }
    this.direction = direction;
  }

  get explanation(): string {
    return explainDecision(this);
  }
}

function decision(
  current: number,
  desired: number,
  reasons: string[],
  votes: ScalingDecision['votes'],
  memory: ScalingMemory,
): ScalingDecision {
  return new Decision(current, desired, votes, reasons, memory);
}

function overrideDecision(
  input: ScalingInput,
  current: number,
  memory: ScalingMemory,
): ScalingDecision | undefined {
  const override = input.policy.override;
  if (!override || override.expiresAt <= input.now) {
    return undefined;
  }
  const desired = Math.max(
    0,
    Math.min(override.instances, upperBound(input.policy)),
  );
  const reasons = [
    `manual override "${override.reason}" until ${new Date(
      override.expiresAt,
    ).toISOString()}`,
  ];
  if (desired < override.instances) {
    reasons.push(`capped at ${desired} by maxInstances or the budget`);
  }
  return decision(current, desired, reasons, [], memory);
}

/**
 * Decides how many instances a deployment should run. Pure and deterministic: the same input always gives the
 * same decision, and nothing outside the input is read.
 *
 * Each targeted metric votes; the highest vote wins, so any metric can add capacity but capacity is removed only
 * when every metric agrees, with complete data over the scale-down stabilization window. Large overshoots act on
 * one sample, small ones need two in a row, and a rising request rate is projected ahead by the start-up time.
 * Cooldowns, rate limits, minimum, maximum and the budget cap apply last, in that order.
 *
 * @public
 */
export function decideScale(input: ScalingInput): ScalingDecision {
  const { policy, now, instances, recentDecisions } = input;
  const current = instances.ready + instances.starting;
  // Learn from the samples that arrived since the last decision (even under an override), then decide.
  const learned = foldMemory(input, current);
  const burstScan = scanBursts(input.metrics, now);
  const bursts = rememberBursts(learned.bursts, burstScan, now);
  const memory = bursts === learned.bursts ? learned : { ...learned, bursts };
  const overridden = overrideDecision(input, current, memory);
  if (overridden) {
    return overridden;
  }

  const votes = metricVotes(input, current, memory);
  const reasons: string[] = [];
  if (policy.override) {
    reasons.push('manual override expired');
  }

  let wanted: number | undefined;
  let blocked = false;
  for (const vote of votes) {
    if (vote.desired !== undefined) {
      wanted =
        wanted === undefined ? vote.desired : Math.max(wanted, vote.desired);
    }
    blocked = blocked || vote.blocksScaleDown;
  }
  let desired = wanted ?? current;
  if (desired < current && blocked) {
    desired = current;
    const missing = votes
      .filter(v => v.missing)
      .map(v => metricNames[v.metric]);
    const settling = votes
      .filter(v => v.windowPeak !== undefined)
      .map(v => metricNames[v.metric]);
    let why = 'no scale-down near a target';
    if (missing.length > 0) {
      why = `no scale-down on missing data (${missing.join(', ')})`;
    } else if (settling.length > 0) {
      why = `no scale-down until ${settling.join(' and ')} ${
        settling.length > 1 ? 'have' : 'has'
      } been within target for the whole ${
        policy.behavior.scaleDown.stabilizationWindowSeconds
      } s scale-down window`;
    }
    reasons.push(why);
  } else if (desired < current && instances.starting > 0) {
    desired = current;
    reasons.push('no scale-down while instances start');
  }

  const rateTarget = votes.find(
    v => v.metric === 'requestsPerSecondPerInstance',
  )?.target;
  if (rateTarget !== undefined) {
    const kept = burstFloor(
      memory.bursts,
      burstScan.level,
      now,
      rateTarget,
      policy.behavior.scaleUp.tolerance,
    );
    if (kept > desired) {
      reasons.push(`keeping ${kept} for recurring bursts`);
      desired = kept;
    }
  }

  let floor = policy.minInstances;
  if (policy.scaleToZero) {
    const idle = isIdle(
      input.metrics,
      now,
      policy.scaleToZero.idleSeconds,
      policy.metricsMaxAgeSeconds,
    );
    if (idle) {
      floor = 0;
      desired = 0;
      if (current > 0) {
        reasons.push(`no requests for ${policy.scaleToZero.idleSeconds} s`);
      }
    }
  }

  for (const restrain of [applyCooldown, applyRateLimit]) {
    const restraint = restrain(policy, recentDecisions, now, current, desired);
    desired = restraint.desired;
    if (restraint.note) {
      reasons.push(restraint.note);
    }
  }

  const upper = upperBound(policy);
  if (desired > upper) {
    desired = upper;
    reasons.push(
      upper < policy.maxInstances
        ? `capped at ${upper} by the budget`
        : `capped at the maximum of ${upper}`,
    );
  } else if (desired < floor) {
    // A budget below the minimum wins: raise to whichever is lower.
    desired = Math.min(floor, upper);
    reasons.push(
      floor <= upper
        ? `raised to the minimum of ${floor}`
        : `raised to ${upper}, the budget, below the minimum of ${floor}`,
    );
  }
  return decision(current, desired, reasons, votes, memory);
}
