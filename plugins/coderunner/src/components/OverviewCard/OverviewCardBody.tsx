import Typography from '@material-ui/core/Typography';
import { formatList } from '../../lib/formatList';
import { EntitySetupGate } from '../EntitySetupGate';

/** What the overview card says about the current entity's setup. */
export function OverviewCardBody() {
  return (
    <EntitySetupGate
      missing={setup => (
        <Typography variant="body2">
          {setup.problem ??
            `This component has no coderunner.yaml at ${setup.manifestPath}.`}{' '}
          Add one to deploy it with CodeRunner.
        </Typography>
      )}
    >
      {setup => (
        <Typography variant="body2">
          No deployments yet. This component is ready to deploy to{' '}
          {formatList(setup.environments)} from its Deployments tab.
        </Typography>
      )}
    </EntitySetupGate>
  );
}
