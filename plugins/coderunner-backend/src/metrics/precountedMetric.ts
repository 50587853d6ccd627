import { Metric, Registry } from 'prom-client';
import { BucketedHistogram } from './BucketedHistogram';

/**
 * One exported value: `metricName` names a histogram's `_bucket`, `_sum` or `_count` line.
 *
 * @internal
 */
export type Sample = {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
};

/**
 * Registers a metric whose values something else already counted (the gateway, on its hot path),
 * read at scrape time. prom-client's own classes only count themselves, and its histogram cannot
 * take counted buckets; its registry reads any object with `get()`, which its types name only as
 * its classes — hence the one cast.
 *
 * @internal
 */
export function registerPrecountedMetric(
  registry: Registry,
  metric: {
    name: string;
    help: string;
    type: 'counter' | 'gauge' | 'histogram';
    values: () => Sample[] | Promise<Sample[]>;
  },
): void {
  const { name, help, type, values } = metric;
  registry.registerMetric({
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({
      name,
      help,
      type,
      aggregator: 'sum',
      values: await values(),
    }),
  } as unknown as Metric);
}

/**
 * A histogram's `_bucket`, `_sum` and `_count` samples: Prometheus' buckets are cumulative, a
 * {@link BucketedHistogram} counts each bucket alone.
 *
 * @internal
 */
export function histogramSamples(
  name: string,
  histogram: BucketedHistogram,
  labels: Record<string, string>,
  into: Sample[],
): void {
  let cumulative = 0;
  histogram.counts.forEach((count, i) => {
    cumulative += count;
    const le =
      i < histogram.bounds.length ? String(histogram.bounds[i]) : '+Inf';
    into.push({
      metricName: `${name}_bucket`,
      value: cumulative,
      labels: { ...labels, le },
    });
  });
  into.push({ metricName: `${name}_sum`, value: histogram.sum, labels });
  into.push({ metricName: `${name}_count`, value: cumulative, labels });
}
