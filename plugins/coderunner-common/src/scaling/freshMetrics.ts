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
export function metricValue(
  sample: MetricSample,
  metric: ScalingMetric,
): number | undefined {
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
 * The highest and the mean value of a metric after `since`, and whether the samples reach back to `since` and
 * every sample in that span carried it.
 */
export function windowMax(
  samples: readonly MetricSample[],
  metric: ScalingMetric,
  since: number,
): { max: number; mean: number; complete: boolean } {
  let max = 0;
  let sum = 0;
  let n = 0;
  // The window is covered only when the samples reach back to its start: one sample is not a quiet window.
  let complete = samples.length > 0 && samples[0].at <= since;
  for (let i = samples.length - 1; i >= 0 && samples[i].at > since; i--) {
    const value = metricValue(samples[i], metric);
    if (value === undefined) {
      complete = false;
    } else {
      max = Math.max(max, value);
      sum += value;
      n += 1;
    }
  }
  return { max, mean: n > 0 ? sum / n : 0, complete };
}
