import { MetricSample } from './types';

/**
 * A least-squares line through recent request rates.
 *
 * @public
 */
export interface RequestRateTrend {
  /** Change in requests per second, per second. */
  slopePerSecond: number;
  /** How well the line fits, from 0 (noise) to 1 (a straight line). */
  fit: number;
  /** How many samples the line was fitted through. */
  points: number;
}

const minimumPoints = 3;

/**
 * Fits a line through the request rates sampled after `since` and before `before` (epoch ms). Returns undefined with fewer than three
 * points or when the rate is flat. Used only to scale up earlier on a sustained ramp, never to scale down.
 *
 * @public
 */
export function requestRateTrend(
  samples: readonly MetricSample[],
  since: number,
  before = Number.POSITIVE_INFINITY,
): RequestRateTrend | undefined {
  let n = 0;
  let sumT = 0;
  let sumV = 0;
  let sumTT = 0;
  let sumTV = 0;
  let sumVV = 0;
  // Samples are oldest first: walk back from the newest and stop at `since` (long histories cost nothing extra).
  for (let i = samples.length - 1; i >= 0 && samples[i].at > since; i--) {
    const sample = samples[i];
    const value = sample.requestsPerSecond;
    if (value === undefined || sample.at >= before) {
      continue;
    }
    const t = (sample.at - since) / 1000;
    n += 1;
    sumT += t;
    sumV += value;
    sumTT += t * t;
    sumTV += t * value;
    sumVV += value * value;
  }
  if (n < minimumPoints) {
    return undefined;
  }
  const varT = n * sumTT - sumT * sumT;
  const varV = n * sumVV - sumV * sumV;
  if (varT <= 0 || varV <= 0) {
    return undefined;
  }
  const cov = n * sumTV - sumT * sumV;
  return {
    slopePerSecond: cov / varT,
    fit: (cov * cov) / (varT * varV),
    points: n,
  };
}
