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

/**
 * What can be queried: the stored series and `error_ratio` (server errors per request).
 *
 * @internal
 */
export const QUERYABLE_METRICS = [...STORED_METRICS, 'error_ratio'] as const;

/** @internal */
export type QueryableMetric = (typeof QUERYABLE_METRICS)[number];

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

/** @internal */
export interface MetricsQuery {
  deploymentId: string;
  metric: QueryableMetric;
  from: Date;
  to: Date;
  stepSeconds: number;
}

/**
 * One step of a series: a counter's rate per second over the step (0 when nothing was counted),
 * or an average with the smallest and largest sample in the step. Steps without data are left
 * out for averages.
 *
 * @internal
 */
export interface MetricPoint {
  at: Date;
  value: number;
  min?: number;
  max?: number;
}

/**
 * The time series of deployments' metrics. Behind an interface so that a team can read from
 * their own Prometheus instead.
 *
 * @internal
 */
export interface MetricsStore {
  write(samples: MetricSample[]): Promise<void>;
  /** Throws InputError naming the field for an unknown metric, a bad window or too many steps. */
  query(query: MetricsQuery): Promise<MetricPoint[]>;
  /** Rolls the raw samples of every minute that starts in [from, to) up into 1-minute rollups. */
  rollUp(window: { from: Date; to: Date }): Promise<number>;
  /** Deletes raw samples and rollups older than the given times; returns how many of each. */
  prune(before: {
    samples: Date;
    rollups: Date;
  }): Promise<{ samples: number; rollups: number }>;
}
