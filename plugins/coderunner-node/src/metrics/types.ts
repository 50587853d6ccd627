/**
 * The series CodeRunner keeps per deployment. Counters (`requests`, `server_errors`,
 * `connection_errors`) are answered as rates per second; `error_ratio` as server errors per
 * request; the others as averages over each step.
 *
 * @public
 */
export const METRIC_NAMES = [
  'requests',
  'server_errors',
  'connection_errors',
  'error_ratio',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'cpu_percent',
  'memory_mib',
  'instances_ready',
] as const;

/**
 * One of {@link METRIC_NAMES}.
 *
 * @public
 */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * A question for a {@link MetricsReader}: one metric of one deployment over [from, to).
 *
 * @public
 */
export interface MetricsQuery {
  deploymentId: string;
  metric: MetricName;
  from: Date;
  to: Date;
  stepSeconds: number;
}

/**
 * One step of a series, starting at `at`: a counter's rate per second over the step (0 when
 * nothing was counted), or an average with the smallest and largest sample in the step. Steps
 * without data are left out for averages.
 *
 * @public
 */
export interface MetricPoint {
  at: Date;
  value: number;
  min?: number;
  max?: number;
}

/**
 * Where CodeRunner reads deployments' metrics from: its own store by default, or, set through
 * {@link coderunnerMetricsExtensionPoint}, a team's own system (their Prometheus, say).
 *
 * @public
 */
export interface MetricsReader {
  /**
   * Answers a query. Throws an `InputError` from `@backstage/errors` that says what to fix when
   * the query cannot be answered (too many steps, a step finer than the data kept).
   */
  query(query: MetricsQuery): Promise<MetricPoint[]>;
}
