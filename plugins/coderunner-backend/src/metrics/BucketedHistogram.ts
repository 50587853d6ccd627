/**
 * A latency histogram with fixed bucket bounds, counted where the work happens (the gateway,
 * the AgentSphere caller) and exported at scrape time: observing only increments numbers.
 *
 * @public
 */
export class BucketedHistogram {
  /** Observations per bucket (not cumulative); the last is above every bound. */
  readonly counts: Float64Array;
  sum = 0;

  /** `bounds`: ascending upper bounds in seconds (Prometheus' `le`). */
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) {
      bucket += 1;
    }
    this.counts[bucket] += 1;
    this.sum += seconds;
  }

  get count(): number {
    let total = 0;
    for (const count of this.counts) total += count;
    return total;
  }

  /**
   * The `q` quantile (0–1) of observations counted per bucket (as {@link BucketedHistogram.counts}),
   * interpolated linearly within its bucket as Prometheus' `histogram_quantile` does; observations
   * above the last bound count as the last bound. Undefined without observations.
   */
  static quantile(
    bounds: readonly number[],
    counts: ArrayLike<number>,
    q: number,
  ): number | undefined {
    let total = 0;
    for (let i = 0; i < counts.length; i++) total += counts[i];
    if (total === 0) return undefined;
    const rank = q * total;
    let below = 0;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        if (i >= bounds.length) return bounds[bounds.length - 1];
        const lower = i === 0 ? 0 : bounds[i - 1];
        return lower + ((bounds[i] - lower) * (rank - below)) / counts[i];
      }
      below += counts[i];
    }
    return bounds[bounds.length - 1];
  }
}
