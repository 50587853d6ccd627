import { MetricVote, ScalingDecision } from './types';

const round = (value: number, digits = 0) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

function formatValue(vote: MetricVote, value: number): string {
  switch (vote.metric) {
    case 'cpuPercent':
      return `CPU ${round(value)}%`;
    case 'memoryPercent':
      return `memory ${round(value)}%`;
    case 'p95LatencyMs':
      return `p95 latency ${round(value)} ms`;
    case 'errorRate':
      return `error rate ${round(value * 100, 1)}%`;
    default:
      return `${round(value)} req/s`;
  }
}

function formatTarget(vote: MetricVote): string {
  switch (vote.metric) {
    case 'cpuPercent':
    case 'memoryPercent':
      return `${vote.target}%`;
    case 'p95LatencyMs':
      return `${vote.target} ms`;
    case 'errorRate':
      return `${round(vote.target * 100, 1)}%`;
    default:
      return `${vote.target} req/s per instance`;
  }
}

/** Metric names as a person says them. */
export const metricNames: Record<MetricVote['metric'], string> = {
  cpuPercent: 'CPU',
  memoryPercent: 'memory',
  p95LatencyMs: 'p95 latency',
  errorRate: 'error rate',
  requestsPerSecondPerInstance: 'request rate',
};

/** One vote in words: "p95 latency 480 ms over the 200 ms target". */
export function describeVote(vote: MetricVote, current: number): string {
  if (vote.value === undefined) {
    return `${metricNames[vote.metric]} missing`;
  }
  const value = formatValue(vote, vote.value);
  if (vote.metric === 'requestsPerSecondPerInstance') {
    const now = Math.ceil(vote.value / vote.target);
    const needs =
      vote.desired !== undefined && vote.desired > now
        ? `${vote.desired} (rising)`
        : `${now}`;
    return `${value} needs ${needs} at ${
      Math.round(vote.target * 10) / 10
    } req/s each`;
  }
  if (vote.desired !== undefined && vote.desired > current) {
    return `${value} over the ${formatTarget(vote)} target`;
  }
  if (vote.desired !== undefined && vote.desired < current) {
    return `${value} under the ${formatTarget(vote)} target`;
  }
  if (
    vote.value > vote.target &&
    (vote.metric === 'p95LatencyMs' || vote.metric === 'errorRate')
  ) {
    // With a request-rate target the rate vote sizes for latency and errors over target (see latencyKnee).
    return `${value} over the ${formatTarget(vote)} target`;
  }
  if (vote.windowPeak !== undefined) {
    return `${value} within target, but ${formatValue(
      vote,
      vote.windowPeak,
    )} earlier in the scale-down window`;
  }
  return vote.blocksScaleDown
    ? `${value} near the ${formatTarget(vote)} target`
    : `${value} within target`;
}

/**
 * The whole decision in one line: "2 → 4: p95 latency 480 ms over the 200 ms target; CPU 55% within target".
 * Every vote in words, then the notes (override, restraints, clamps) in the order they applied.
 *
 * @public
 */
export function explainDecision(
  decision: Pick<ScalingDecision, 'current' | 'desired' | 'votes' | 'notes'>,
): string {
  const { current, desired } = decision;
  const head =
    desired === current ? `holding at ${current}` : `${current} → ${desired}`;
  const reasons = decision.votes
    .map(vote => describeVote(vote, current))
    .concat(decision.notes);
  return reasons.length === 0 ? head : `${head}: ${reasons.join('; ')}`;
}
