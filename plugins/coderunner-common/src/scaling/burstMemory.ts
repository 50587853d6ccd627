import { MetricSample } from './types';

/** How far back the memory reaches (40 samples at 15 s). */
const memorySeconds = 600;
/** A sample this far above the median rate over the memory is part of a burst. */
const burstRise = 0.5;
/** A burst is short: back below the threshold within this many samples (90 s at 15 s); longer is a level shift. */
const maxBurstSamples = 6;
/** Bursts seen before they count as recurring. */
const minEpisodes = 2;
/** Kept capacity runs a burst at up to this multiple of the per-instance target (91% of capacity at a 70% target). */
const burstLoadOfTarget = 1.3;
const minimumSamples = 8;

/**
 * Burst memory: when the request rate recently jumped in short, repeated bursts (up and back within a couple of
 * samples, more than once), the capacity the bursts needed is kept, because the next burst is likely to come
 * before instances started for it could be ready (a 10–60 s burst is over before a cold start ends). Bursts run
 * nearer capacity than the target, so the memory keeps less than the bursts' own scale-ups asked for. Returns the instance count to keep, or 0 with no recurring
 * bursts in memory.
 */
export function burstFloor(samples: readonly MetricSample[], now: number, targetPerInstance: number): number {
  const since = now - memorySeconds * 1000;
  let first = samples.length;
  while (first > 0 && samples[first - 1].at > since) {
    first -= 1;
  }
  const n = samples.length - first;
  if (n < minimumSamples) {
    return 0;
  }
  // Baseline: the median rate over the memory.
  const rates: number[] = [];
  for (let i = first; i < samples.length; i++) {
    const r = samples[i].requestsPerSecond;
    if (r !== undefined) {
      rates.push(r);
    }
  }
  if (rates.length < minimumSamples) {
    return 0;
  }
  rates.sort((a, b) => a - b);
  const baseline = rates[rates.length >> 1];
  const high = baseline * (1 + burstRise);
  let episodes = 0;
  let peak = 0;
  let run = 0;
  let runPeak = 0;
  for (let i = first; i < samples.length; i++) {
    const r = samples[i].requestsPerSecond;
    if (r !== undefined && r > high) {
      run += 1;
      runPeak = Math.max(runPeak, r);
      continue;
    }
    if (r === undefined) {
      continue;
    }
    if (run > 0 && run <= maxBurstSamples) {
      episodes += 1;
      peak = Math.max(peak, runPeak);
    }
    run = 0;
    runPeak = 0;
  }
  if (episodes < minEpisodes) {
    return 0;
  }
  return Math.ceil(peak / (targetPerInstance * burstLoadOfTarget));
}
