import { MetricSample } from './types';

/**
 * True when the samples cover the whole idle period and every one of them shows no requests. A gap or a missing
 * value counts as activity, so missing data never scales to zero.
 */
export function isIdle(
  samples: readonly MetricSample[],
  now: number,
  idleSeconds: number,
  maxGapSeconds: number,
): boolean {
  const since = now - idleSeconds * 1000;
  const maxGap = maxGapSeconds * 1000;
  let covered = false;
  let next = now;
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i];
    if (next - sample.at > maxGap) {
      return false;
    }
    if (sample.at <= since) {
      covered = true;
      break;
    }
    if (
      sample.requestsPerSecond === undefined ||
      sample.requestsPerSecond > 0
    ) {
      return false;
    }
    next = sample.at;
  }
  return covered;
}
