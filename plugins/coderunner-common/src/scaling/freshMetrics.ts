import { MetricSample, ScalingMetric } from './types';

/**
 * The newest value of a metric at or after `freshAfter` (epoch ms), or undefined when it is missing.
 */
export function latestValue(
  samples: readonly MetricSample[],
  metric: ScalingMetric,
  freshAfter: number,
): number | undefined {
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i];
    if (sample.at < freshAfter) {
      return undefined;
    }
    const value = metricValue(sample, metric);
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/**
 * The value a sample holds for a target metric. Requests per second are stored as a total and returned as such;
 * the per-instance division happens in the vote.
 */
export function metricValue(sample: MetricSample, metric: ScalingMetric): number | undefined {
  switch (metric) {
    case 'cpuPercent':
      return sample.cpuPercent;
    case 'memoryPercent':
      return sample.memoryPercent;
    case 'p95LatencyMs':
      return sample.p95LatencyMs;
    case 'errorRate':
      return sample.errorRate;
    default:
      return sample.requestsPerSecond;
  }
}

/**
 * The highest value of a metric after `since`, and whether every sample in that span carried it.
 */
export function windowMax(
  samples: readonly MetricSample[],
  metric: ScalingMetric,
  since: number,
): { max: number; complete: boolean } {
  let max = 0;
  let complete = true;
  for (let i = samples.length - 1; i >= 0 && samples[i].at > since; i--) {
    const value = metricValue(samples[i], metric);
    if (value === undefined) {
      complete = false;
    } else if (value > max) {
      max = value;
    }
  }
  return { max, complete };
}
