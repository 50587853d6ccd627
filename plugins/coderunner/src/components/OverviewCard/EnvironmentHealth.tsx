import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Typography from '@material-ui/core/Typography';
import { useDeploymentMetrics } from '../../hooks/useDeploymentMetrics';
import {
  formatWithUnit,
  metricFormats,
  MetricFormat,
  recentHealth,
} from '../../lib/metricFormats';
import { coderunnerTranslationRef } from '../../translation';

const RECENT_METRICS = [
  'requests' as const,
  'server_errors' as const,
  'latency_p95_ms' as const,
];

/** Ready of desired instances and the last five minutes' error rate and p95. */
export function EnvironmentHealth(props: { deployment: Deployment }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
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
      metricFormats(t).error_ratio as MetricFormat,
      health.errorRatio,
    );
    traffic =
      health.p95Ms === undefined
        ? t('overviewCard.traffic', { errors })
        : t('overviewCard.trafficWithP95', {
            errors,
            p95: formatWithUnit(
              metricFormats(t).latency_p95_ms as MetricFormat,
              health.p95Ms,
            ),
          });
  } else if (series) {
    traffic = t('overviewCard.noTraffic');
  }
  return (
    <Typography
      variant="caption"
      component="div"
      data-testid="coderunner-environment-health"
    >
      {t('overviewCard.ready', {
        ready: String(ready),
        desired: String(deployment.desiredInstances),
      })}
      {traffic && (
        <Typography variant="caption" color="textSecondary" component="span">
          {' · '}
          {traffic}
        </Typography>
      )}
    </Typography>
  );
}
