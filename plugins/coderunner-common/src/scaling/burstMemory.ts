import { MetricSample } from './types';

/** How far back the memory reaches (40 samples at 15 s). */
const memorySeconds = 600;
/** A sample this far above the median rate over the memory is part of a burst. */
const burstRise = 0.5;
/** A burst is short: back below the threshold within this many samples (90 s at 15 s); longer is a level shift. */
const maxBurstSamples = 6;
/** Bursts seen before they count as recurring. */
const minEpisodes = 2;
/**
 * Kept capacity runs a burst at this multiple of the per-instance target the engine sizes for (the policy target,
 * or just below the latency knee): an SLO-sized target is already near the knee, so bursts get no extra load.
 */
const burstLoadOfTarget = 1;
const minimumSamples = 8;
/** Room for the rates in memory; samples beyond it (more than one a second) are left out of the median. */
const scratch = new Float64Array(1024);

/** The k-th smallest of the first n values (Hoare's selection); reorders them. */
function nthSmallest(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}

/**
 * Burst memory: when the request rate recently jumped in short, repeated bursts (up and back within a couple of
 * samples, more than once), the capacity the bursts needed is kept, because the next burst is likely to come
 * before instances started for it could be ready (a 10–60 s burst is over before a cold start ends). Bursts run
 * nearer capacity than the target, so the memory keeps less than the bursts' own scale-ups asked for.
 * Returns the instance count to keep, or 0 with no recurring bursts in memory.
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
  // Baseline: the median rate over the memory (selection in a reused buffer: no allocation per decision).
  let count = 0;
  for (let i = first; i < samples.length; i++) {
    const r = samples[i].requestsPerSecond;
    if (r !== undefined && count < scratch.length) {
      scratch[count++] = r;
    }
  }
  if (count < minimumSamples) {
    return 0;
  }
  const baseline = nthSmallest(scratch, count, count >> 1);
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
