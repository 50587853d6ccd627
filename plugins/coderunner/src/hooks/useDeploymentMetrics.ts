import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef, DeploymentMetricName, MetricSeries } from '../api';

/**
 * How often open charts re-read their series when nothing tells them a new
 * sample arrived. The gateway flushes what it counted every 15 s by default
 * (`coderunner.metrics.flushIntervalSeconds`), so polling at that pace is as
 * live as the data gets. Charts beside a live stream re-read on its events
 * instead (`refreshOn`).
 */
export const METRICS_REFRESH_MS = 15_000;

/** Several series of one deployment, kept current while mounted. */
export interface DeploymentMetricsState {
  /** One series per metric asked for; keeps the last answer while a re-read runs. */
  series?: Partial<Record<DeploymentMetricName, MetricSeries>>;
  /** True until the first answer for the current window. */
  loading: boolean;
  error?: Error;
}

/**
 * Reads `metrics` of an environment's deployment over `window` (e.g. `1h`)
 * and re-reads them every {@link METRICS_REFRESH_MS}, or, with `refreshOn`,
 * whenever `refreshOn` changes (e.g. the newest decision the stream delivered:
 * the scaling controller decides on every metrics sample) and never on a timer.
 */
export function useDeploymentMetrics(
  entityRef: string,
  environment: string,
  options: {
    metrics: DeploymentMetricName[];
    window: string;
    step?: number;
    refreshOn?: string;
  },
): DeploymentMetricsState {
  const api = useApi(coderunnerApiRef);
  const { window, step } = options;
  const metricsKey = options.metrics.join(',');
  const [tick, setTick] = useState(0);
  const [last, setLast] = useState<{
    key: string;
    series: Partial<Record<DeploymentMetricName, MetricSeries>>;
  }>();
  const key = `${entityRef}|${environment}|${metricsKey}|${window}|${step}`;

  const { loading, error } = useAsync(async () => {
    const metrics = metricsKey.split(',') as DeploymentMetricName[];
    const answers = await Promise.all(
      metrics.map(metric =>
        api.readDeploymentMetrics(entityRef, environment, {
          metric,
          window,
          step,
        }),
      ),
    );
    const series: Partial<Record<DeploymentMetricName, MetricSeries>> = {};
    metrics.forEach((metric, i) => {
      series[metric] = answers[i];
    });
    setLast({ key, series });
  }, [api, key, tick, options.refreshOn]);

  // The next read is timed from the end of the last one, so a slow backend is never asked twice at once.
  const polled = options.refreshOn === undefined;
  useEffect(() => {
    if (loading || !polled) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), METRICS_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [loading, tick, polled]);

  const current = last?.key === key ? last.series : undefined;
  return { series: current, loading: !current && loading, error };
}
