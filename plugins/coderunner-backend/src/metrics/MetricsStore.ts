import { MetricsReader } from '@coderunner/plugin-coderunner-node';

/**
 * The series kept per deployment. Counters (`requests`, `server_errors`, `connection_errors`)
 * store their increase; the others are averages weighted by their count (latency percentiles
 * by the requests they describe, resource usage per instance).
 *
 * @internal
 */
export const STORED_METRICS = [
  'requests',
  'server_errors',
  'connection_errors',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'cpu_percent',
  'memory_mib',
  'instances_ready',
] as const;

/** @internal */
export type StoredMetric = (typeof STORED_METRICS)[number];

/** Counters are answered as a rate per second; everything else as a weighted average. */
export const COUNTER_METRICS: ReadonlySet<string> = new Set<StoredMetric>([
  'requests',
  'server_errors',
  'connection_errors',
]);

/**
 * One sample: for a counter, `sum` is its increase since the last sample and `count` 1; for an
 * average, `sum` is value × weight and `count` the weight (more than 0).
 *
 * @internal
 */
export interface MetricSample {
  deploymentId: string;
  metric: StoredMetric;
  at: Date;
  sum: number;
  count: number;
}

/**
 * The time series of deployments' metrics, written by the metrics capability's tasks. A module
 * can replace the reading side (coderunnerMetricsExtensionPoint) with a team's own system.
 *
 * @internal
 */
export interface MetricsStore extends MetricsReader {
  write(samples: MetricSample[]): Promise<void>;
  /** Rolls the raw samples of every minute that starts in [from, to) up into 1-minute rollups. */
  rollUp(window: { from: Date; to: Date }): Promise<number>;
  /** Deletes raw samples and rollups older than the given times; returns how many of each. */
  prune(before: {
    samples: Date;
    rollups: Date;
  }): Promise<{ samples: number; rollups: number }>;
}
