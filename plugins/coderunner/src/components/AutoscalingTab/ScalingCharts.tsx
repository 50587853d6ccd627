import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  ScalingDecisionRecord,
  ScalingPolicyTargets,
} from '@coderunner/plugin-coderunner-common';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { DeploymentMetricName, MetricSeries } from '../../api';
import { useDeploymentMetrics } from '../../hooks/useDeploymentMetrics';
import { errorTitle } from '../../lib/errorTitle';
import { metricFormats, MetricFormat } from '../../lib/metricFormats';
import { MarkerNote } from '../MetricsSection/MarkerNote';
import { MetricChart } from '../MetricsSection/MetricChart';
import {
  METRICS_WINDOWS,
  MetricsWindow,
  MetricsWindowToggle,
} from '../MetricsSection/MetricsWindowToggle';
import { TimeMarker } from '../MetricsSection/timeMarkers';
import { coderunnerTranslationRef } from '../../translation';
import { SectionHeader } from './SectionHeader';

/** The series that shows each target, and how the target reads on it. */
const TARGET_SERIES = {
  cpuPercent: 'cpu_percent',
  memoryPercent: 'memory_mib',
  p95LatencyMs: 'latency_p95_ms',
  errorRate: 'error_ratio',
  requestsPerSecondPerInstance: 'requests',
} as const satisfies Record<keyof ScalingPolicyTargets, DeploymentMetricName>;

/** Requests per second divided by the ready instances of the same step. */
function perInstance(
  requests?: MetricSeries,
  ready?: MetricSeries,
): MetricSeries | undefined {
  if (!requests) return undefined;
  const readyAt = new Map(ready?.points.map(p => [p.at, p.value]));
  return {
    ...requests,
    points: requests.points.flatMap(p => {
      const instances = readyAt.get(p.at);
      return instances && instances > 0
        ? [{ at: p.at, value: p.value / instances }]
        : [];
    }),
  };
}

/** A marker for every decision that changed the count. */
export function decisionMarkers(
  decisions: ScalingDecisionRecord[],
): TimeMarker[] {
  return decisions
    .filter(d => d.from !== d.to)
    .map(d => ({
      kind: 'decision',
      at: Date.parse(d.at),
      label: `${d.from} → ${d.to}`,
      short: `→${d.to}`,
    }));
}

/**
 * Each targeted metric against its target, and the ready instances, over a
 * chosen window, with a line at every decision that changed the count.
 */
export function ScalingCharts(props: {
  entityRef: string;
  environment: string;
  targets: ScalingPolicyTargets;
  decisions: ScalingDecisionRecord[];
  /** Changes when the stream delivers a decision (one per metrics sample); charts poll without it. */
  refreshOn?: string;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const [window, setWindow] = useState<MetricsWindow>(METRICS_WINDOWS[0]);
  const windowLabel = t(`metricsSection.windowToggle.long.${window.window}`);
  const targetKeys = (
    Object.keys(TARGET_SERIES) as (keyof ScalingPolicyTargets)[]
  ).filter(key => props.targets[key] !== undefined);
  const metrics = [
    ...new Set<DeploymentMetricName>([
      ...targetKeys.map(key => TARGET_SERIES[key]),
      'instances_ready',
    ]),
  ];
  const { series, loading, error } = useDeploymentMetrics(
    props.entityRef,
    props.environment,
    { metrics, window: window.window, refreshOn: props.refreshOn },
  );
  const markers = decisionMarkers(props.decisions);
  const from = series?.instances_ready
    ? Date.parse(series.instances_ready.from)
    : Infinity;
  const notMeasured = t('autoscalingTab.charts.notMeasured', {
    window: windowLabel,
  });

  return (
    <section
      aria-labelledby={`coderunner-scaling-charts-${props.environment}`}
      data-testid="coderunner-scaling-charts"
    >
      <SectionHeader
        id={`coderunner-scaling-charts-${props.environment}`}
        title={t('autoscalingTab.charts.title')}
      >
        <MetricsWindowToggle value={window} onChange={setWindow} />
      </SectionHeader>
      {error && (
        <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
      )}
      {loading && <Progress />}
      {series && (
        <>
          <Grid container spacing={2}>
            {targetKeys.map(key => {
              const metric = TARGET_SERIES[key];
              const perRequest = key === 'requestsPerSecondPerInstance';
              return (
                <Grid item xs={12} sm={6} lg={4} key={key}>
                  <MetricChart
                    testId={`coderunner-scaling-metric-${key}`}
                    title={
                      perRequest
                        ? t('autoscalingTab.charts.perInstance')
                        : t(`metricsSection.metrics.${metric}`)
                    }
                    format={metricFormats(t)[metric] as MetricFormat}
                    series={
                      perRequest
                        ? perInstance(series.requests, series.instances_ready)
                        : series[metric]
                    }
                    // Memory is charted in MiB; its target is a share of the instance's memory.
                    target={
                      key === 'memoryPercent' ? undefined : props.targets[key]
                    }
                    windowLabel={windowLabel}
                    markers={markers}
                    emptyText={
                      key === 'memoryPercent'
                        ? `${notMeasured} ${t(
                            'autoscalingTab.charts.memoryTarget',
                            { target: String(props.targets.memoryPercent) },
                          )}`
                        : notMeasured
                    }
                  />
                </Grid>
              );
            })}
            <Grid item xs={12} sm={6} lg={4}>
              <MetricChart
                testId="coderunner-scaling-metric-instances"
                title={t('metricsSection.metrics.instances_ready')}
                format={metricFormats(t).instances_ready as MetricFormat}
                series={series.instances_ready}
                windowLabel={windowLabel}
                markers={markers}
                stepped
                emptyText={t('autoscalingTab.charts.noneReady', {
                  window: windowLabel,
                })}
              />
            </Grid>
          </Grid>
          <MarkerNote
            markers={markers.filter(m => m.at >= from)}
            lead={t('autoscalingTab.charts.decisionLines')}
          />
        </>
      )}
    </section>
  );
}
