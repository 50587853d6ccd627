import { Link, StructuredMetadataTable } from '@backstage/core-components';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { RolloutIndicator } from './RolloutIndicator';

/** A deployment at a glance: why it is in its status, its URL, release and instances. */
export function DeploymentSummary(props: { deployment: Deployment }) {
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
          Configuration version {deployment.pendingConfigVersion} is saved but
          not applied here yet; apply it from the Config tab.
        </Typography>
      )}
      <Box mt={1}>
        <StructuredMetadataTable
          dense
          metadata={{
            url: deployment.url ? (
              <Link
                to={deployment.url}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="coderunner-deployment-url"
              >
                {deployment.url}
              </Link>
            ) : (
              'none yet'
            ),
            'active release': active ? (
              <span
                data-testid="coderunner-active-release"
                data-release={active.number}
              >
                Release {active.number}
                {active.sourceSummary ? ` · ${active.sourceSummary}` : ''}
              </span>
            ) : (
              'none yet'
            ),
            deployed: deployment.deployedAt ? (
              <span title={formatExactTime(deployment.deployedAt)}>
                by {displayUser(deployment.deployedBy)},{' '}
                {formatWhen(deployment.deployedAt)}
              </span>
            ) : (
              'not yet'
            ),
            instances: `${ready} of ${deployment.desiredInstances} ready`,
          }}
        />
      </Box>
    </>
  );
}
