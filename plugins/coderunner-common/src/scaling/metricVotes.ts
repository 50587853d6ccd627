import { metricValue, windowMax } from './freshMetrics';
import { countAt } from './rateLimits';
import { nthSmallest } from './burstMemory';
import { kneeMargin } from './latencyKnee';
import { requestRateTrend } from './trend';
import {
  MetricSample,
  MetricVote,
  ScalingInput,
  ScalingMemory,
  ScalingMetric,
} from './types';

/** CPU at or above this is saturated: without a request-rate target the vote then assumes at least double. */
const saturatedCpuPercent = 95;
/** An overshoot this many tolerances past the target is a spike: act on one sample instead of two. */
const spikeTolerances = 3;
/** Latency or errors above this share of their target forbid scaling down. */
const guardShareOfTarget = 0.8;
/** The trend must explain this share of the variance before the engine acts on it; a step fits a line badly. */
const minimumTrendFit = 0.8;
const minimumTrendPoints = 8;
const trendWindowMs = 150_000;
/** A trend must rise by this share of the current rate over its window to count as a ramp rather than wobble. */
const minimumTrendRise = 0.1;
/** A projection never adds more than this share of the current rate: prediction leads a ramp, it does not chase it. */
const maximumProjectedGrowth = 0.5;
/**
 * Ramp headroom (see `rampRate`): the window the rise is measured over, its fewest samples (six: a ramp after a drop
 * is seen 90 s in, not two minutes), its significance.
 */
const rampWindowMs = 600_000;
const minimumRampPoints = 6;
const rampSignificance = 3;
/**
 * The latency knee lowers the request-rate target by at most this share: transients (a backlog draining, instances
 * still warming) can look like a low knee, and below this the engine would run cooler than a plain utilisation target.
 */
const minimumShareOfTarget = 0.85;
/** A ramp rises in both halves of its window, each at least this share of the whole window's slope; a step does not. */
const minimumHalfSlopeShare = 0.25;
/** A sample below this share of the one before it is a drop: a ramp is measured only after the newest drop. */
const dropShare = 0.7;
/** Noise-aware damping: a scale-down keeps the rate this many noise deviations above the mean under the scale-up threshold. */
const noiseDeviations = 2;
/** A value in the scale-down window more than this many noise deviations above its mean is a passed excursion. */
const excursionDeviations = 3;
/** How far back the noise is estimated: the ten minutes of samples a caller keeps. */
const noiseWindowMs = 600_000;

interface VoteContext {
  input: ScalingInput;
  current: number;
  freshAfter: number;
  /**
   * Instances that were ready when the newest sample was taken. Per-instance averages (CPU, memory) and symptoms
   * (latency, errors) describe that capacity, not capacity added since, which has not shown up in them yet.
   */
  sampledCapacity: number;
  /** How far back scaling down looks: the policy's stabilization window. */
  downWindowMs: number;
  /** The per-instance request rate the engine loads instances to: the target, or just below the latency knee. */
  rateTarget?: number;
}

function sampledCapacity(input: ScalingInput, current: number): number {
  const { metrics, instances, recentDecisions } = input;
  if (metrics.length === 0) {
    return instances.ready;
  }
  const newest = metrics[metrics.length - 1].at;
  const interval =
    metrics.length > 1 ? newest - metrics[metrics.length - 2].at : 0;
  // The sample averages the interval before `at`; instances asked for a start-up earlier served all of it.
  const sampledAt = newest - interval - (instances.startupSeconds ?? 0) * 1000;
  return Math.min(
    instances.ready,
    countAt(recentDecisions, sampledAt, current),
  );
}

/** The two newest fresh values of a metric, newest first. */
function lastTwo(
  samples: readonly MetricSample[],
  metric: ScalingMetric,
  freshAfter: number,
): [number?, number?] {
  const values: [number?, number?] = [];
  for (
    let i = samples.length - 1;
    i >= 0 && samples[i].at >= freshAfter && values.length < 2;
    i--
  ) {
    const value = metricValue(samples[i], metric);
    if (value !== undefined) {
      values.push(value);
    }
  }
  return values;
}

/**
 * The instance count nearest to `need` (instances at exactly the target), rounding down only while the load per
 * instance stays within the tolerance over the target: 7.14 instances' worth of load runs on 7 (2% over), 7.5 on 8.
 */
export function countFor(need: number, tolerance: number): number {
  const nearest = Math.round(need);
  return nearest >= 1 && need <= nearest * (1 + tolerance)
    ? nearest
    : Math.ceil(need);
}

function isUpNeeded(
  ctx: VoteContext,
  needNow: number,
  needBefore: number | undefined,
): boolean {
  const tolerance = ctx.input.policy.behavior.scaleUp.tolerance;
  if (ctx.current === 0) {
    return needNow > 0;
  }
  const threshold = ctx.current * (1 + tolerance);
  if (needNow <= threshold) {
    return false;
  }
  // Small overshoots must show up in two samples in a row; a spike acts at once.
  return (
    needNow > ctx.current * (1 + spikeTolerances * tolerance) ||
    (needBefore ?? 0) > threshold
  );
}

/**
 * True when the rate rose in both halves of the window from `since` to the newest sample before `before`, each half
 * by at least `minimumHalfSlopeShare` of the whole window's slope. A line fitted through a step (a jump between two
 * flat levels) fits well and looks significant, but a step is flat on both sides of the jump: projecting it ahead
 * adds capacity the next samples will not need. A ramp, or a curve such as a diurnal rise, keeps rising.
 */
export function risesThroughout(
  metrics: readonly MetricSample[],
  since: number,
  before: number,
  slopePerSecond: number,
): boolean {
  let newest = since;
  for (let i = metrics.length - 1; i >= 0; i--) {
    if (metrics[i].at < before) {
      newest = metrics[i].at;
      break;
    }
  }
  const middle = (since + newest) / 2;
  const older = requestRateTrend(metrics, since, middle);
  const newer = requestRateTrend(metrics, middle, before);
  const least = slopePerSecond * minimumHalfSlopeShare;
  return (
    older !== undefined &&
    newer !== undefined &&
    older.slopePerSecond >= least &&
    newer.slopePerSecond >= least
  );
}

/** Room for the successive differences of the noise estimate (a caller keeps about 40 samples). */
const differences = new Float64Array(256);

/**
 * The relative noise of a metric over the samples after `since`: the standard deviation estimated from the median
 * absolute difference between successive samples (a slow trend barely moves it, and a one-off jump, two large
 * differences among many, does not move it at all), divided by the mean. 0 with fewer than five values.
 */
export function relativeNoise(
  metrics: readonly MetricSample[],
  metric: ScalingMetric,
  since: number,
): number {
  let previous: number | undefined;
  let count = 0;
  let sum = 0;
  let n = 0;
  for (let i = metrics.length - 1; i >= 0 && metrics[i].at > since; i--) {
    const value = metricValue(metrics[i], metric);
    if (value === undefined) {
      continue;
    }
    if (previous !== undefined && count < differences.length) {
      differences[count++] = Math.abs(value - previous);
    }
    previous = value;
    sum += value;
    n += 1;
  }
  if (n < 5 || sum <= 0) {
    return 0;
  }
  // For normal noise the median |difference| of two independent draws is 0.954 σ (0.6745 × √2).
  return nthSmallest(differences, count, count >> 1) / 0.954 / (sum / n);
}

/** Room for the values of the drift estimate (a caller keeps about 40 samples). */
const lagValues = new Float64Array(256);
/** The longest lag the drift estimate looks at, in samples (two minutes at 15 s). */
const maximumDriftLag = 8;

/**
 * The relative drift of a metric over `lag` samples, after `since`: the standard deviation of the change over `lag`
 * samples, estimated robustly (the median absolute deviation of those changes around their median, so a steady trend
 * does not count), divided by √2 and by the mean, so that on stationary noise it equals `relativeNoise` whatever the
 * lag. On a wandering load (a random walk, noise correlated over tens of seconds) it grows with the lag: it says how
 * far the load can move before a scale-up could undo a scale-down. 0 with too few values.
 */
export function driftNoise(
  metrics: readonly MetricSample[],
  metric: ScalingMetric,
  since: number,
  lag: number,
): number {
  let n = 0;
  let sum = 0;
  for (
    let i = metrics.length - 1;
    i >= 0 && metrics[i].at > since && n < lagValues.length;
    i--
  ) {
    const value = metricValue(metrics[i], metric);
    if (value !== undefined) {
      lagValues[n++] = value;
      sum += value;
    }
  }
  const count = Math.min(n - lag, differences.length);
  if (n < 5 || count < 3 || sum <= 0) {
    return 0;
  }
  for (let i = 0; i < count; i++) {
    differences[i] = lagValues[i] - lagValues[i + lag];
  }
  const center = nthSmallest(differences, count, count >> 1);
  for (let i = 0; i < count; i++) {
    differences[i] = Math.abs(differences[i] - center);
  }
  return nthSmallest(differences, count, count >> 1) / 0.954 / (sum / n);
}

/**
 * How many samples it takes to undo a scale-down: a rise shows in the next sample (one interval, plus the newest
 * sample's age), a small one must show twice (another interval), then instances start.
 */
function reactionSamples(input: ScalingInput): number {
  const { metrics, now, instances } = input;
  const newest = metrics[metrics.length - 1].at;
  const interval =
    metrics.length > 1 ? (newest - metrics[metrics.length - 2].at) / 1000 : 0;
  if (interval <= 0) {
    return 1;
  }
  const seconds =
    (instances.startupSeconds ?? 0) + 2 * interval + (now - newest) / 1000;
  return Math.min(maximumDriftLag, Math.max(1, Math.round(seconds / interval)));
}

function predictedRate(ctx: VoteContext, latest: number): number {
  const { policy, metrics, now, instances } = ctx.input;
  if (policy.predictionHorizonSeconds <= 0) {
    return latest;
  }
  const trend = requestRateTrend(metrics, now - trendWindowMs);
  if (
    !trend ||
    trend.points < minimumTrendPoints ||
    trend.fit < minimumTrendFit ||
    trend.slopePerSecond * (trendWindowMs / 1000) < latest * minimumTrendRise ||
    !risesThroughout(
      metrics,
      now - trendWindowMs,
      Number.POSITIVE_INFINITY,
      trend.slopePerSecond,
    )
  ) {
    return latest;
  }
  const newest = metrics[metrics.length - 1];
  const horizon =
    policy.predictionHorizonSeconds +
    (instances.startupSeconds ?? 0) +
    (now - newest.at) / 1000;
  return (
    latest +
    Math.min(trend.slopePerSecond * horizon, latest * maximumProjectedGrowth)
  );
}

/**
 * Ramp headroom: when the request rate over the last `rampWindowMs` rises steadily (the slope of a least-squares
 * line is at least `rampSignificance` standard errors above zero), the rate expected when instances asked for now
 * would be ready: the newest rate plus the slope times the start-up time and the sample's age (its interval's
 * midpoint to now). The newest sample is left out of the fit, so a one-sample jump is not a ramp. Sizing for it keeps a slow ramp or a diurnal rise from outrunning the 15 s-late samples. The
 * Undefined when the rate is not rising.
 */
/**
 * The start of the newest stretch without a sharp drop, for a window that starts at `since`: the time of the newest
 * sample whose rate fell below `dropShare` of the one before it (a trend after that time leaves that sample out, as
 * its interval may straddle the drop), or `since` without a drop. A rise after a drop (a sawtooth, load coming back
 * after a lull) is a ramp on its own; fitted together with the drop before it, it looks flat or falling.
 */
export function afterLastDrop(
  metrics: readonly MetricSample[],
  since: number,
): number {
  let nextRate: number | undefined;
  let nextAt = since;
  for (let i = metrics.length - 1; i >= 0 && metrics[i].at > since; i--) {
    const rate = metrics[i].requestsPerSecond;
    if (rate === undefined) {
      continue;
    }
    if (nextRate !== undefined && nextRate < rate * dropShare) {
      return nextAt;
    }
    nextRate = rate;
    nextAt = metrics[i].at;
  }
  return since;
}

function rampRate(ctx: VoteContext, latest: number): number | undefined {
  const { metrics, now, instances } = ctx.input;
  const newest = metrics[metrics.length - 1];
  const since = afterLastDrop(metrics, now - rampWindowMs);
  // The rise is measured without the newest sample: a jump in one sample is a step, not a ramp.
  const trend = requestRateTrend(metrics, since, newest.at);
  if (
    !trend ||
    trend.points < minimumRampPoints ||
    trend.slopePerSecond <= 0 ||
    trend.fit >= 1
  ) {
    return undefined;
  }
  // t² of the slope: fit × (n − 2) / (1 − fit).
  if (
    (trend.fit * (trend.points - 2)) / (1 - trend.fit) <
    rampSignificance * rampSignificance
  ) {
    return undefined;
  }
  if (!risesThroughout(metrics, since, newest.at, trend.slopePerSecond)) {
    return undefined;
  }
  const interval =
    metrics.length > 1 ? newest.at - metrics[metrics.length - 2].at : 0;
  const lagSeconds = (now - newest.at + interval / 2) / 1000;
  return (
    latest +
    trend.slopePerSecond * ((instances.startupSeconds ?? 0) + lagSeconds)
  );
}

/** True when the newest fresh sample has p95 latency or errors over their targets. */
function symptomsOverTarget(ctx: VoteContext): boolean {
  const { metrics, policy } = ctx.input;
  const newest = metrics[metrics.length - 1];
  if (!newest || newest.at < ctx.freshAfter) {
    return false;
  }
  const { p95LatencyMs, errorRate } = policy.targets;
  return (
    (p95LatencyMs !== undefined &&
      newest.p95LatencyMs !== undefined &&
      newest.p95LatencyMs > p95LatencyMs) ||
    (errorRate !== undefined &&
      newest.errorRate !== undefined &&
      newest.errorRate > errorRate)
  );
}

/** A metric missing from the newest samples or part of the scale-down window: no opinion, and no scale-down. */
function missingVote(
  metric: ScalingMetric,
  target: number,
  value?: number,
): MetricVote {
  return { metric, value, target, blocksScaleDown: true, missing: true };
}

/**
 * Votes of metrics whose load divides across instances: requests per second (a total) and CPU or memory
 * (averages over ready instances).
 */
function proportionalVote(
  ctx: VoteContext,
  metric: ScalingMetric,
  target: number,
): MetricVote {
  const { input, current } = ctx;
  const ready = ctx.sampledCapacity;
  const [latest, before] = lastTwo(input.metrics, metric, ctx.freshAfter);
  const isRate = metric === 'requestsPerSecondPerInstance';
  // A saturated CPU hides the real demand; the request rate, when targeted, shows it.
  const rateKnown =
    input.policy.targets.requestsPerSecondPerInstance !== undefined;
  if (latest === undefined || (!isRate && ready === 0)) {
    return missingVote(metric, target, latest);
  }
  const need = (value: number) => {
    if (isRate) {
      return value / target;
    }
    const proportional = (ready * value) / target;
    const saturated =
      metric === 'cpuPercent' && value >= saturatedCpuPercent && !rateKnown;
    return saturated ? Math.max(proportional, ready * 2) : proportional;
  };
  const tol = input.policy.behavior.scaleUp.tolerance / 2;
  const needNow = need(latest);
  const needPredicted = isRate ? need(predictedRate(ctx, latest)) : needNow;
  if (
    isUpNeeded(ctx, needNow, before === undefined ? undefined : need(before))
  ) {
    return {
      metric,
      value: latest,
      target,
      desired: countFor(Math.max(needNow, needPredicted), tol),
      blocksScaleDown: true,
    };
  }
  if (isRate && needNow > current && symptomsOverTarget(ctx)) {
    // Latency or errors already over target: the load is past what the instances take, so the tolerance (meant for
    // noise) no longer applies. Size for the rate at the target, rounding up.
    return {
      metric,
      value: latest,
      target,
      desired: Math.ceil(Math.max(needNow, needPredicted)),
      blocksScaleDown: true,
    };
  }
  if (
    needPredicted > needNow &&
    needPredicted > current * (1 + input.policy.behavior.scaleUp.tolerance)
  ) {
    return {
      metric,
      value: latest,
      target,
      desired: countFor(needPredicted, tol),
      blocksScaleDown: true,
    };
  }
  // The count a steady rise needs by the time instances asked for now are ready; 0 when the rate is not rising.
  let ramp = 0;
  if (isRate && input.policy.predictionHorizonSeconds > 0) {
    // A steady rise is not noise: size for the load at ready time without waiting for the tolerance to be crossed.
    const rising = rampRate(ctx, latest);
    ramp = rising === undefined ? 0 : countFor(need(rising), tol);
    if (ramp > current) {
      return {
        metric,
        value: latest,
        target,
        desired: ramp,
        blocksScaleDown: true,
      };
    }
  }
  const down = input.policy.behavior.scaleDown;
  const window = windowMax(input.metrics, metric, input.now - ctx.downWindowMs);
  if (!window.complete) {
    return missingVote(metric, target, latest);
  }
  // The newest half of the window must be quiet before anything is removed (one quiet sample removes nothing).
  const threshold = current * (1 - down.tolerance);
  const recent = windowMax(
    input.metrics,
    metric,
    input.now - ctx.downWindowMs / 2,
  );
  if (need(Math.max(recent.max, latest)) < threshold) {
    // The deviation noise-aware damping allows for: the larger of the sample-to-sample noise and the drift over the
    // time a scale-up takes to undo a scale-down (a wandering load, such as a random walk, moves further in that
    // time than its sample noise says).
    const since = input.now - noiseWindowMs;
    const noise = Math.max(
      relativeNoise(input.metrics, metric, since),
      driftNoise(input.metrics, metric, since, reactionSamples(input)),
    );
    // The window's highest value, but no more than its mean plus `excursionDeviations` deviations: a value further
    // out, with the newest half of the window quiet, is an excursion that has passed (a one-off jump, the level
    // before a sustained drop), not noise to keep capacity for. Recurring excursions are burst memory's to keep.
    const held = Math.max(
      Math.min(window.max, window.mean * (1 + excursionDeviations * noise)),
      recent.max,
      latest,
    );
    const needMax = need(held);
    // Noise-aware damping: never go below the count whose scale-up threshold the mean plus two deviations would
    // cross, or ordinary noise on a steady load turns the scale-down around within minutes.
    const noisyNeed =
      need(window.mean * (1 + noiseDeviations * noise)) /
      (1 + input.policy.behavior.scaleUp.tolerance);
    // Nor below what a steady rise needs at ready time: capacity released now would have to start again.
    const desired = Math.max(Math.ceil(needMax), Math.ceil(noisyNeed), ramp);
    if (needMax < threshold && desired < current) {
      return { metric, value: latest, target, desired, blocksScaleDown: false };
    }
  }
  return {
    metric,
    value: latest,
    target,
    desired: current,
    blocksScaleDown: false,
  };
}

/**
 * Votes of metrics that worsen with load but do not divide by instance count (latency, errors): they add capacity
 * when over target and forbid removing it when close.
 */
function guardVote(
  ctx: VoteContext,
  metric: ScalingMetric,
  target: number,
  growth: (ratio: number) => number,
): MetricVote {
  const [latest, before] = lastTwo(ctx.input.metrics, metric, ctx.freshAfter);
  if (latest === undefined) {
    return missingVote(metric, target);
  }
  const ratio = latest / target;
  const tolerance = ctx.input.policy.behavior.scaleUp.tolerance;
  const spike = ratio > 1 + spikeTolerances * tolerance;
  // With a request-rate target the latency knee (see latencyKnee) turns these symptoms into a lower rate target, so
  // the rate vote sizes for them; the guard then only forbids scaling down.
  const sized =
    ctx.input.policy.targets.requestsPerSecondPerInstance !== undefined;
  if (
    !sized &&
    ratio > 1 + tolerance &&
    (spike || (before ?? 0) / target > 1 + tolerance)
  ) {
    const desired = Math.max(
      ctx.current,
      Math.ceil(Math.max(ctx.sampledCapacity, 1) * growth(ratio)),
    );
    return { metric, value: latest, target, desired, blocksScaleDown: true };
  }
  // Capacity added for a symptom stays until the symptom has been within target for the whole scale-down window:
  // "down after 90 quiet seconds" holds for latency and errors as it does for load.
  const window = windowMax(
    ctx.input.metrics,
    metric,
    ctx.input.now - ctx.downWindowMs,
  );
  const recentlyOver = window.max > target;
  return {
    metric,
    value: latest,
    target,
    blocksScaleDown: ratio > guardShareOfTarget || recentlyOver,
    ...(recentlyOver && ratio <= 1 ? { windowPeak: window.max } : {}),
  };
}

/**
 * The per-instance request rate to size for: the policy's target, lowered to just below the latency knee when
 * recent samples showed latency or errors over target at a lower load. Undefined without a request-rate target.
 */
export function effectiveRateTarget(
  input: ScalingInput,
  memory: ScalingMemory,
): number | undefined {
  const target = input.policy.targets.requestsPerSecondPerInstance;
  if (target === undefined) {
    return undefined;
  }
  const knee = memory.kneePerInstance;
  return knee === undefined
    ? target
    : Math.min(
        target,
        Math.max(target * minimumShareOfTarget, knee * kneeMargin),
      );
}

/**
 * What each targeted metric says about the instance count, in a fixed order.
 */
export function metricVotes(
  input: ScalingInput,
  current: number,
  memory: ScalingMemory,
): MetricVote[] {
  const ctx: VoteContext = {
    input,
    current,
    freshAfter: input.now - input.policy.metricsMaxAgeSeconds * 1000,
    sampledCapacity: sampledCapacity(input, current),
    downWindowMs: Math.max(
      input.policy.behavior.scaleDown.stabilizationWindowSeconds * 1000,
      1,
    ),
  };
  const { targets } = input.policy;
  ctx.rateTarget = effectiveRateTarget(input, memory);
  const votes: MetricVote[] = [];
  if (targets.p95LatencyMs !== undefined) {
    votes.push(
      guardVote(ctx, 'p95LatencyMs', targets.p95LatencyMs, ratio =>
        Math.min(2, ratio),
      ),
    );
  }
  if (targets.errorRate !== undefined) {
    votes.push(guardVote(ctx, 'errorRate', targets.errorRate, () => 1.5));
  }
  if (targets.requestsPerSecondPerInstance !== undefined) {
    votes.push(
      proportionalVote(
        ctx,
        'requestsPerSecondPerInstance',
        ctx.rateTarget ?? targets.requestsPerSecondPerInstance,
      ),
    );
  }
  if (targets.cpuPercent !== undefined) {
    votes.push(proportionalVote(ctx, 'cpuPercent', targets.cpuPercent));
  }
  if (targets.memoryPercent !== undefined) {
    votes.push(proportionalVote(ctx, 'memoryPercent', targets.memoryPercent));
  }
  return votes;
}
