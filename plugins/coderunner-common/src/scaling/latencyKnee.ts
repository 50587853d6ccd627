import { countAt } from './rateLimits';
import { ScalingInput, ScalingMemory } from './types';

/**
 * Share of the knee the engine loads instances to once it has seen where the knee is: just below the per-instance
 * rate at which latency or errors went over target.
 */
export const kneeMargin = 0.95;
/** A sample whose rate fell below this share of the one before is a backlog draining, and says nothing about the knee. */
const drainingShare = 0.95;

/**
 * Folds the samples newer than the memory into it and returns the new memory (the input is not changed).
 *
 * The latency knee is the lowest per-instance request rate at which two samples in a row, at the same capacity and
 * not a draining backlog, had p95 latency or errors over their targets (undefined until that happens, or when the
 * policy targets neither). Each sample's rate is divided by the instances that served it (those asked for at least
 * one start-up time before its interval began). Past the knee queueing grows fast, so the engine never loads
 * instances beyond it, up or down: a service that is slower than its utilisation target assumed is given more room.
 *
 * The caller passes the returned memory back with the next decision, so a decision reads only the samples that
 * arrived since the last one (usually one) instead of rescanning hours of history. Without a memory, every given
 * sample is folded in. The memory is plain data (JSON-safe) and the fold is deterministic.
 */
export function foldMemory(
  input: ScalingInput,
  current: number,
): ScalingMemory {
  const { metrics, policy, recentDecisions, instances } = input;
  const previous = input.memory;
  const memory: ScalingMemory = previous
    ? { ...previous }
    : {
        seenUntil: Number.NEGATIVE_INFINITY,
        lastRate: 0,
        lastSlowLoad: 0,
        lastSlowServing: 0,
      };
  let first = metrics.length;
  while (first > 0 && metrics[first - 1].at > memory.seenUntil) {
    first -= 1;
  }
  if (first === metrics.length) {
    return previous ?? memory;
  }
  const latencyTarget = policy.targets.p95LatencyMs;
  const errorTarget = policy.targets.errorRate;
  const startup = (instances.startupSeconds ?? 0) * 1000;
  for (let i = first; i < metrics.length; i++) {
    const sample = metrics[i];
    const previousAt = i > 0 ? metrics[i - 1].at : memory.seenUntil;
    const interval = Number.isFinite(previousAt) ? sample.at - previousAt : 0;
    memory.seenUntil = sample.at;
    const rate = sample.requestsPerSecond;
    if (
      rate === undefined ||
      (latencyTarget === undefined && errorTarget === undefined)
    ) {
      continue;
    }
    // A falling rate with high latency is a backlog draining after a burst, not evidence about the steady curve.
    const draining = rate < memory.lastRate * drainingShare;
    memory.lastRate = rate;
    const slow =
      latencyTarget !== undefined &&
      sample.p95LatencyMs !== undefined &&
      sample.p95LatencyMs > latencyTarget;
    const failing =
      errorTarget !== undefined &&
      sample.errorRate !== undefined &&
      sample.errorRate > errorTarget;
    const serving = Math.min(
      countAt(recentDecisions, sample.at - interval - startup, current),
      countAt(recentDecisions, sample.at, current),
    );
    if (draining || (!slow && !failing) || serving <= 0) {
      memory.lastSlowLoad = 0;
      continue;
    }
    // One slow sample can be a second of bad luck; two in a row at the same capacity is the curve.
    const load = rate / serving;
    if (memory.lastSlowLoad > 0 && serving === memory.lastSlowServing) {
      const seen = Math.max(load, memory.lastSlowLoad);
      memory.kneePerInstance =
        memory.kneePerInstance === undefined
          ? seen
          : Math.min(memory.kneePerInstance, seen);
    }
    memory.lastSlowLoad = load;
    memory.lastSlowServing = serving;
  }
  return memory;
}
