import { Link, StructuredMetadataTable } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
import { RolloutIndicator } from './RolloutIndicator';

/** A deployment at a glance: why it is in its status, its URL, release and instances. */
export function DeploymentSummary(props: { deployment: Deployment }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { deployment } = props;
  const ready = deployment.instances.filter(i => i.state === 'ready').length;
  const active = deployment.activeRelease;
  return (
    <>
      {deployment.statusReason && (
        <Typography
          variant="body2"
          component="pre"
          data-testid="coderunner-status-reason"
          style={{ whiteSpace: 'pre-wrap', margin: 0 }}
        >
          {deployment.statusReason}
        </Typography>
      )}
      {deployment.targetRelease && (
        <RolloutIndicator target={deployment.targetRelease} />
      )}
      {deployment.pendingConfigVersion !== undefined && (
        <Typography variant="body2" data-testid="coderunner-pending-config">
          {t('deploymentsTab.summary.pendingConfig', {
            version: String(deployment.pendingConfigVersion),
          })}
        </Typography>
      )}
      <Box mt={1}>
        <StructuredMetadataTable
          dense
          metadata={{
            [t('deploymentsTab.summary.url')]: deployment.url ? (
              <Link
                to={deployment.url}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="coderunner-deployment-url"
              >
                {deployment.url}
              </Link>
            ) : (
              t('deploymentsTab.summary.noneYet')
            ),
            [t('deploymentsTab.summary.activeRelease')]: active ? (
              <span
                data-testid="coderunner-active-release"
                data-release={active.number}
              >
                {active.sourceSummary
                  ? t('deploymentsTab.summary.releaseWithSource', {
                      number: String(active.number),
                      source: active.sourceSummary,
                    })
                  : t('deploymentsTab.summary.release', {
                      number: String(active.number),
                    })}
              </span>
            ) : (
              t('deploymentsTab.summary.noneYet')
            ),
            [t('deploymentsTab.summary.deployed')]: deployment.deployedAt ? (
              <span title={formatExactTime(deployment.deployedAt)}>
                {t('deploymentsTab.summary.deployedBy', {
                  user: displayUser(deployment.deployedBy, t),
                  when: formatWhen(deployment.deployedAt, t),
                })}
              </span>
            ) : (
              t('deploymentsTab.summary.notYet')
            ),
            [t('deploymentsTab.summary.instances')]: t(
              'deploymentsTab.summary.ready',
              {
                ready: String(ready),
                desired: String(deployment.desiredInstances),
              },
            ),
          }}
        />
      </Box>
    </>
  );
}
