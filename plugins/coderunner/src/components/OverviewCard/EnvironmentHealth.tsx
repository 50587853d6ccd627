import { Deployment } from '@coderunner/plugin-coderunner-common';
import Typography from '@material-ui/core/Typography';
import { useDeploymentMetrics } from '../../hooks/useDeploymentMetrics';
import {
  formatWithUnit,
  METRIC_FORMATS,
  MetricFormat,
  recentHealth,
} from '../../lib/metricFormats';

const RECENT_METRICS = [
  'requests' as const,
  'server_errors' as const,
  'latency_p95_ms' as const,
];

/** Ready of desired instances and the last five minutes' error rate and p95. */
export function EnvironmentHealth(props: { deployment: Deployment }) {
  const { deployment } = props;
  const ready = deployment.instances.filter(i => i.state === 'ready').length;
  const { series } = useDeploymentMetrics(
    deployment.entityRef,
    deployment.environment,
    { metrics: RECENT_METRICS, window: '5m', step: 60 },
  );
  const health = series && recentHealth(series);
  let traffic = '';
  if (health?.errorRatio !== undefined) {
    const errors = formatWithUnit(
      METRIC_FORMATS.error_ratio as MetricFormat,
      health.errorRatio,
    );
    const p95 =
      health.p95Ms === undefined
        ? ''
        : `, p95 ${formatWithUnit(
            METRIC_FORMATS.latency_p95_ms as MetricFormat,
            health.p95Ms,
          )}`;
    traffic = `${errors} errors${p95} (last 5 min)`;
  } else if (series) {
    traffic = 'no traffic in the last 5 min';
  }
  return (
    <Typography
      variant="caption"
      component="div"
      data-testid="coderunner-environment-health"
    >
      {ready} of {deployment.desiredInstances} ready
      {traffic && (
        <Typography variant="caption" color="textSecondary" component="span">
          {' · '}
          {traffic}
        </Typography>
      )}
    </Typography>
  );
}
