import { MetricSample } from './types';

/** How far back bursts are looked for in the samples (40 samples at 15 s). */
const scanSeconds = 600;
/** How long a burst is remembered (carried in `ScalingMemory`), and the most remembered. */
const rememberSeconds = 1800;
const maxRemembered = 32;
/** A sample this far above the median rate of the scan is part of a burst, and a burst stands this far above its surroundings. */
const burstRise = 0.5;
/** A burst is short: back below the threshold within this many samples (90 s at 15 s); longer is a level shift. */
const maxBurstSamples = 6;
/** Peaks closer than this are one burst seen twice (a later scan can place its run differently). */
const sameBurstMs = 45_000;
/** Bursts remembered before they count as recurring. */
const minEpisodes = 2;
const minimumSamples = 8;
/** The current level is the mean of this many newest rates outside short bursts (a minute at 15 s). */
const levelSamples = 4;
/** Room for the rates in the scan; samples beyond it (more than one a second) are left out of the median. */
const scratch = new Float64Array(1024);
const levelRing = new Float64Array(levelSamples);

/** The k-th smallest of the first n values (Hoare's selection); reorders them. */
export function nthSmallest(
  values: Float64Array,
  n: number,
  k: number,
): number {
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

/** One short burst the engine remembers: when its peak sample was taken and how far it rose above the baseline. */
export interface BurstRecord {
  at: number;
  excess: number;
}

/** The bursts in the given samples (the last `scanSeconds`), and the rates they were measured from. */
export interface BurstScan {
  /** Median request rate over the scanned samples, or undefined with too few samples. */
  baseline?: number;
  /** The current rate outside bursts: the mean of the newest rates that are not part of a short burst. */
  level?: number;
  /** Short bursts that ended within the samples, oldest first. */
  episodes: BurstRecord[];
}

/**
 * Finds short bursts in the samples of the last `scanSeconds`: runs of at most `maxBurstSamples` samples more than
 * `burstRise` above the median rate that started and ended inside the scan, with the peak at least `burstRise` times
 * the median above the rate on both sides (up and back). Each is reported by the time of its highest sample, with
 * its height over the higher side as the excess. Also returns the current level: the mean of the newest
 * `levelSamples` rates outside short bursts (samples of a run longer than a burst are a new level and count).
 */
export function scanBursts(
  samples: readonly MetricSample[],
  now: number,
): BurstScan {
  const since = now - scanSeconds * 1000;
  let first = samples.length;
  while (first > 0 && samples[first - 1].at > since) {
    first -= 1;
  }
  const episodes: BurstRecord[] = [];
  if (samples.length - first < minimumSamples) {
    return { episodes };
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
    return { episodes };
  }
  const baseline = nthSmallest(scratch, count, count >> 1);
  const high = baseline * (1 + burstRise);
  let run = 0;
  let runPeak = 0;
  let runPeakAt = 0;
  // The rate just before the current run; undefined until a sample below the threshold has been seen, so a run cut
  // off at the start of the memory (the tail of a level) is not a burst.
  let before: number | undefined;
  // The newest `levelSamples` rates outside short bursts, in a ring: their mean is the current level.
  let levelCount = 0;
  for (let i = first; i < samples.length; i++) {
    const r = samples[i].requestsPerSecond;
    if (r === undefined) {
      continue;
    }
    if (r > high) {
      if (before !== undefined) {
        run += 1;
        if (run > maxBurstSamples) {
          // A run longer than a burst is a new level: its samples count, the burst-length start included.
          if (run === maxBurstSamples + 1) {
            levelCount = 0;
            for (let j = i - maxBurstSamples; j < i; j++) {
              const v = samples[j].requestsPerSecond;
              if (v !== undefined) {
                levelRing[levelCount++ % levelSamples] = v;
              }
            }
          }
          levelRing[levelCount++ % levelSamples] = r;
        }
        if (r > runPeak) {
          runPeak = r;
          runPeakAt = samples[i].at;
        }
      }
      continue;
    }
    // Up and back: the peak must stand above the rate on both sides of the run, not just cross the threshold (a
    // rising or falling level wobbles across it).
    const height = runPeak - Math.max(before ?? r, r);
    if (run > 0 && run <= maxBurstSamples && height > baseline * burstRise) {
      episodes.push({ at: runPeakAt, excess: height });
    }
    before = r;
    levelRing[levelCount++ % levelSamples] = r;
    run = 0;
    runPeak = 0;
  }
  let level = baseline;
  if (levelCount > 0) {
    const n = Math.min(levelCount, levelSamples);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += levelRing[j];
    }
    level = sum / n;
  }
  return { baseline, level, episodes };
}

function isRemembered(
  list: readonly BurstRecord[],
  episode: BurstRecord,
): boolean {
  for (const r of list) {
    if (Math.abs(r.at - episode.at) < sameBurstMs) {
      return true;
    }
  }
  return false;
}

/**
 * Adds the bursts of a scan to those remembered and forgets those older than `rememberSeconds`, without changing
 * `remembered`. Returns `remembered` itself when nothing changed (the usual case: no allocation).
 */
export function rememberBursts(
  remembered: readonly BurstRecord[] | undefined,
  scan: BurstScan,
  now: number,
): readonly BurstRecord[] | undefined {
  const since = now - rememberSeconds * 1000;
  const list = remembered ?? [];
  let changed = list.length > 0 && list[0].at <= since;
  for (const episode of scan.episodes) {
    changed = changed || (episode.at > since && !isRemembered(list, episode));
  }
  if (!changed) {
    return remembered;
  }
  const kept = list.filter(r => r.at > since);
  for (const episode of scan.episodes) {
    if (episode.at > since && !isRemembered(kept, episode)) {
      kept.push(episode);
    }
  }
  kept.sort((a, b) => a.at - b.at);
  return kept.slice(-maxRemembered);
}

/**
 * Burst memory: when the request rate jumped in short bursts (up and back within a few samples) at least
 * `minEpisodes` times in the last `rememberSeconds`, the engine keeps capacity for the current level plus the
 * largest excess that recurred, the second largest remembered (one extreme burst is not a pattern: sizing for it
 * would keep capacity for a heavy tail's rare outlier for half an hour), run at the most load it tolerates before
 * scaling up (`targetPerInstance` times one plus the scale-up tolerance). A 10–60 s burst is over before a sample
 * shows it and a cold start ends, so only capacity already running absorbs the next one. Returns the instance count
 * to keep, or 0 with no recurring bursts in memory.
 */
export function burstFloor(
  remembered: readonly BurstRecord[] | undefined,
  level: number | undefined,
  now: number,
  targetPerInstance: number,
  tolerance: number,
): number {
  if (!remembered || level === undefined) {
    return 0;
  }
  const since = now - rememberSeconds * 1000;
  let episodes = 0;
  let largest = 0;
  let recurring = 0;
  for (const r of remembered) {
    if (r.at > since) {
      episodes += 1;
      if (r.excess > largest) {
        recurring = largest;
        largest = r.excess;
      } else if (r.excess > recurring) {
        recurring = r.excess;
      }
    }
  }
  if (episodes < minEpisodes) {
    return 0;
  }
  return Math.ceil((level + recurring) / (targetPerInstance * (1 + tolerance)));
}
