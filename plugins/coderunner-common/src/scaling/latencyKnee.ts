import { countAt } from './rateLimits';
import { ScalingInput } from './types';

/**
 * Share of the knee the engine loads instances to once it has seen where the knee is: just below the per-instance
 * rate at which latency or errors went over target.
 */
export const kneeMargin = 0.95;
/** A sample whose rate fell below this share of the one before is a backlog draining, and says nothing about the knee. */
const drainingShare = 0.95;

/**
 * The latency knee: the lowest per-instance request rate at which a recent sample had p95 latency or errors over
 * their targets, or Infinity when none did (or the policy targets neither). Each sample's rate is divided by the
 * instances that served it (those asked for at least one start-up time before its interval began). Past the knee
 * queueing grows fast, so the engine never loads instances beyond it, up or down: a service that is slower than its
 * utilisation target assumed is given more room, one that is faster keeps the target.
 */
export function latencyKnee(input: ScalingInput, current: number): number {
  const { metrics, policy, recentDecisions, instances } = input;
  const latencyTarget = policy.targets.p95LatencyMs;
  const errorTarget = policy.targets.errorRate;
  if (latencyTarget === undefined && errorTarget === undefined) {
    return Number.POSITIVE_INFINITY;
  }
  const startup = (instances.startupSeconds ?? 0) * 1000;
  let knee = Number.POSITIVE_INFINITY;
  let previousAt: number | undefined;
  let previousRate = 0;
  let previousBad = 0;
  let previousServing = 0;
  for (const sample of metrics) {
    const interval = previousAt === undefined ? 0 : sample.at - previousAt;
    previousAt = sample.at;
    const rate = sample.requestsPerSecond;
    if (rate === undefined) {
      continue;
    }
    // A falling rate with high latency is a backlog draining after a burst, not evidence about the steady curve.
    const draining = rate < previousRate * drainingShare;
    previousRate = rate;
    if (draining) {
      previousBad = 0;
      continue;
    }
    const slow = latencyTarget !== undefined && sample.p95LatencyMs !== undefined && sample.p95LatencyMs > latencyTarget;
    const failing = errorTarget !== undefined && sample.errorRate !== undefined && sample.errorRate > errorTarget;
    const serving = Math.min(countAt(recentDecisions, sample.at - interval - startup, current), countAt(recentDecisions, sample.at, current));
    if (!slow && !failing || serving <= 0) {
      previousBad = 0;
      continue;
    }
    // One slow sample can be a second of bad luck; two in a row at the same capacity is the curve.
    const load = rate / serving;
    if (previousBad > 0 && serving === previousServing) {
      knee = Math.min(knee, Math.max(load, previousBad));
    }
    previousBad = load;
    previousServing = serving;
  }
  return knee;
}
