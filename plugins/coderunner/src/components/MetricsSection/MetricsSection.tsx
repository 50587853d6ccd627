import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { DeploymentMetricName } from '../../api';
import { useDeploymentMetrics } from '../../hooks/useDeploymentMetrics';
import { errorTitle } from '../../lib/errorTitle';
import { metricFormats, MetricFormat } from '../../lib/metricFormats';
import { coderunnerTranslationRef } from '../../translation';
import { MarkerNote } from './MarkerNote';
import { MetricChart } from './MetricChart';
import {
  METRICS_WINDOWS,
  MetricsWindow,
  MetricsWindowToggle,
} from './MetricsWindowToggle';
import {
  instanceCountMarkers,
  releaseMarkers,
  TimeMarker,
} from './timeMarkers';

/** The metrics charted; each is named by the message `metricsSection.metrics.<metric>`. */
type ChartedMetric = Extract<
  DeploymentMetricName,
  | 'requests'
  | 'latency_p95_ms'
  | 'error_ratio'
  | 'cpu_percent'
  | 'memory_mib'
  | 'instances_ready'
>;

/** The charts, in reading order; the first three only exist with traffic. */
const CHARTS: {
  metric: ChartedMetric;
  fromTraffic: boolean;
  stepped?: boolean;
}[] = [
  { metric: 'requests', fromTraffic: true },
  { metric: 'latency_p95_ms', fromTraffic: true },
  { metric: 'error_ratio', fromTraffic: true },
  { metric: 'cpu_percent', fromTraffic: false },
  { metric: 'memory_mib', fromTraffic: false },
  { metric: 'instances_ready', fromTraffic: false, stepped: true },
];
const METRICS = CHARTS.map(c => c.metric);

/**
 * Requests, p95 latency, error rate, CPU, memory and ready instances of one
 * deployment over a chosen window, re-read while the section is shown.
 */
export function MetricsSection(props: {
  entityRef: string;
  deployment: Deployment;
  releases: Release[];
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, deployment } = props;
  const [window, setWindow] = useState<MetricsWindow>(METRICS_WINDOWS[0]);
  const { series, loading, error } = useDeploymentMetrics(
    entityRef,
    deployment.environment,
    { metrics: METRICS, window: window.window },
  );
  const markers = [
    ...releaseMarkers(props.releases, t),
    ...instanceCountMarkers(series?.instances_ready?.points ?? [], t),
  ];
  const from = series?.requests ? Date.parse(series.requests.from) : Infinity;
  const inWindow = (kind: TimeMarker['kind']) =>
    markers.filter(m => m.kind === kind && m.at >= from);
  const hasTraffic = !!series?.requests?.points.some(p => p.value > 0);
  const hasAnything =
    hasTraffic ||
    CHARTS.some(
      c => !c.fromTraffic && (series?.[c.metric]?.points.length ?? 0) > 0,
    );
  const windowLabel = t(`metricsSection.windowToggle.long.${window.window}`);
  const trafficHint = deployment.url
    ? t('metricsSection.noTrafficWithUrl', { window: windowLabel })
    : t('metricsSection.noTraffic', { window: windowLabel });

  return (
    <section
      aria-labelledby={`coderunner-metrics-${deployment.environment}`}
      data-testid="coderunner-metrics"
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        justifyContent="space-between"
        style={{ gap: 8 }}
        mb={1}
      >
        <Typography
          variant="subtitle2"
          component="h3"
          id={`coderunner-metrics-${deployment.environment}`}
        >
          {t('metricsSection.title')}
        </Typography>
        <MetricsWindowToggle value={window} onChange={setWindow} />
      </Box>
      {error && (
        <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
      )}
      {loading && <Progress />}
      {series && !hasAnything && (
        <EmptyState
          missing="data"
          title={t('metricsSection.noTrafficTitle')}
          description={t(
            deployment.url
              ? 'metricsSection.emptyWithUrl'
              : 'metricsSection.emptyWithoutUrl',
            { window: windowLabel },
          )}
        />
      )}
      {series && hasAnything && (
        <>
          <Grid container spacing={2}>
            {CHARTS.map(chart => (
              <Grid item xs={12} sm={6} lg={4} key={chart.metric}>
                <MetricChart
                  testId={`coderunner-metric-${chart.metric}`}
                  title={t(`metricsSection.metrics.${chart.metric}`)}
                  format={metricFormats(t)[chart.metric] as MetricFormat}
                  series={series[chart.metric]}
                  windowLabel={windowLabel}
                  markers={markers}
                  stepped={chart.stepped}
                  emptyWhenZero={chart.metric === 'requests'}
                  emptyText={
                    chart.fromTraffic
                      ? trafficHint
                      : t('metricsSection.notMeasured', { window: windowLabel })
                  }
                />
              </Grid>
            ))}
          </Grid>
          <MarkerNote
            markers={inWindow('release')}
            lead={t('metricsSection.releaseLines')}
          />
          <MarkerNote
            markers={inWindow('instances')}
            lead={t('metricsSection.instanceLines')}
          />
        </>
      )}
    </section>
  );
}
