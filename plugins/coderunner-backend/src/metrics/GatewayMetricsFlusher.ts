import { BucketedHistogram } from './BucketedHistogram';
import { RequestMetrics } from '../gateway/RequestMetrics';
import { MetricSample, MetricsStore } from './MetricsStore';

type Totals = {
  requests: number;
  serverErrors: number;
  connectionErrors: number;
  latency: Float64Array;
};

const PERCENTILES = [
  ['latency_p50_ms', 0.5],
  ['latency_p95_ms', 0.95],
  ['latency_p99_ms', 0.99],
] as const;

/**
 * Writes what this replica's gateway counted since its last flush to the metrics store: the
 * increase of each counter and the latency percentiles of the requests in between, weighted by
 * their number so that the samples of several replicas average correctly. Every replica runs
 * its own (its counters are in its memory); idle deployments write nothing.
 *
 * @internal
 */
export class GatewayMetricsFlusher {
  private readonly last = new Map<string, Totals>();

  constructor(
    private readonly requests: RequestMetrics,
    private readonly store: MetricsStore,
  ) {}

  /** Returns how many samples it wrote. */
  async flush(now = new Date()): Promise<number> {
    const samples: MetricSample[] = [];
    const seen = new Set<string>();
    for (const series of this.requests.all()) {
      const { deploymentId, counters } = series;
      seen.add(deploymentId);
      const current: Totals = {
        requests: counters.requests,
        serverErrors: counters.serverErrors,
        connectionErrors: counters.connectionErrors,
        latency: Float64Array.from(counters.latency.counts),
      };
      const before = this.last.get(deploymentId);
      this.last.set(deploymentId, current);
      const sample = (metric: MetricSample['metric'], sum: number, count = 1) =>
        samples.push({ deploymentId, metric, at: now, sum, count });
      const requests = current.requests - (before?.requests ?? 0);
      const connectionErrors =
        current.connectionErrors - (before?.connectionErrors ?? 0);
      if (connectionErrors > 0) sample('connection_errors', connectionErrors);
      if (requests <= 0) continue;
      sample('requests', requests);
      sample(
        'server_errors',
        current.serverErrors - (before?.serverErrors ?? 0),
      );
      const latency = current.latency.map(
        (count, i) => count - (before?.latency[i] ?? 0),
      );
      for (const [metric, q] of PERCENTILES) {
        const seconds = BucketedHistogram.quantile(
          counters.latency.bounds,
          latency,
          q,
        );
        if (seconds !== undefined)
          sample(metric, seconds * 1000 * requests, requests);
      }
    }
    for (const deploymentId of this.last.keys()) {
      if (!seen.has(deploymentId)) this.last.delete(deploymentId);
    }
    await this.store.write(samples);
    return samples.length;
  }
}
