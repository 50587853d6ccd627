/**
 * A latency histogram with fixed bucket bounds, counted where the work happens (the gateway,
 * the AgentSphere caller) and exported at scrape time: observing only increments numbers.
 *
 * @internal
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
}
