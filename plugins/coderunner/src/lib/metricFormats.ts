import { DeploymentMetricName, MetricSeriesPoint } from '../api';
import { CoderunnerTranslate } from '../translation';

/**
 * How a metric's values are shown on a chart and in its text alternative; its name is the
 * message `metricsSection.metrics.<metric>` of coderunnerTranslationRef.
 */
export interface MetricFormat {
  /** Shown after every value, e.g. `req/s`, in the app's language. */
  unit: string;
  format: (value: number) => string;
  /** The y axis reaches at least this high, so a flat line at 0 does not get an axis of 0–4. */
  smallestAxisMax: number;
}

/** A number with at most `digits` decimals, without trailing zeros: 0.5, 12, 1.25. */
function decimals(digits: number) {
  return (value: number) =>
    value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Small rates need decimals (0.05 req/s), large ones none. */
function rate(value: number) {
  if (value >= 100) return decimals(0)(value);
  return decimals(value >= 1 ? 1 : 2)(value);
}

/**
 * How the values of each metric on the Metrics section read, with the units of the messages
 * `metricsSection.units.*` (a percentage is `%` in every language).
 */
export function metricFormats(
  t: CoderunnerTranslate,
): Partial<Record<DeploymentMetricName, MetricFormat>> {
  return {
    requests: {
      unit: t('metricsSection.units.requestsPerSecond'),
      format: rate,
      smallestAxisMax: 0.1,
    },
    latency_p95_ms: {
      unit: t('metricsSection.units.milliseconds'),
      format: decimals(0),
      smallestAxisMax: 10,
    },
    error_ratio: {
      unit: '%',
      format: value => decimals(2)(value * 100),
      smallestAxisMax: 0.01,
    },
    cpu_percent: {
      unit: '%',
      format: decimals(1),
      smallestAxisMax: 1,
    },
    memory_mib: {
      unit: t('metricsSection.units.mebibytes'),
      format: decimals(0),
      smallestAxisMax: 10,
    },
    instances_ready: {
      unit: '',
      format: decimals(1),
      smallestAxisMax: 1,
    },
  };
}

/** `12 ms`, `0.5 %` → `0.5%`, `2` for unitless. */
export function formatWithUnit(format: MetricFormat, value: number): string {
  const text = format.format(value);
  if (!format.unit) return text;
  return format.unit === '%' ? `${text}%` : `${text} ${format.unit}`;
}

/** The latest value and the range of a series; undefined when it has no points. */
export function summarizeSeries(
  points: MetricSeriesPoint[],
): { latest: number; min: number; max: number } | undefined {
  if (points.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const point of points) {
    min = Math.min(min, point.min ?? point.value);
    max = Math.max(max, point.max ?? point.value);
  }
  return { latest: points[points.length - 1].value, min, max };
}

/**
 * The error rate (5xx per request) and p95 latency over a few recent steps of
 * the `requests`, `server_errors` and `latency_p95_ms` series. p95 is the
 * average of the steps' p95 weighted by their requests, like the store's own
 * rollups (an approximation; Prometheus' histogram is the exact one).
 * Undefined figures mean no traffic.
 */
export function recentHealth(series: {
  requests?: { points: MetricSeriesPoint[] };
  server_errors?: { points: MetricSeriesPoint[] };
  latency_p95_ms?: { points: MetricSeriesPoint[] };
}): { errorRatio?: number; p95Ms?: number } {
  const requestsAt = new Map<string, number>();
  let requests = 0;
  for (const point of series.requests?.points ?? []) {
    requestsAt.set(point.at, point.value);
    requests += point.value;
  }
  if (requests === 0) return {};
  let errors = 0;
  for (const point of series.server_errors?.points ?? []) errors += point.value;
  let weighted = 0;
  let weight = 0;
  for (const point of series.latency_p95_ms?.points ?? []) {
    const w = requestsAt.get(point.at) ?? 0;
    weighted += point.value * w;
    weight += w;
  }
  return {
    errorRatio: errors / requests,
    p95Ms: weight > 0 ? weighted / weight : undefined,
  };
}

/**
 * Evenly spaced ticks from 0 to at least `max` (above 0) on a 1–2–5 step (so
 * the formats' decimals show them exactly), at most five: 0.7 → 0, 0.2 … 0.8;
 * 197 → 0, 50 … 200. With `whole`, steps
 * are whole numbers (instance counts).
 */
export function niceTicks(max: number, whole = false): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= rough)!;
  if (whole) step = Math.max(1, Math.ceil(step));
  const count = Math.ceil(max / step - 1e-9);
  // Rounded so 3 × 0.1 reads 0.3, not 0.30000000000000004.
  return Array.from({ length: count + 1 }, (_, i) =>
    Number((i * step).toPrecision(12)),
  );
}
