import Typography from '@material-ui/core/Typography';
import { EntitySetupGate } from '../EntitySetupGate';
import { OverviewDeployments } from './OverviewDeployments';

/** What the overview card says about the current entity's setup and deployments. */
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
      {setup => <OverviewDeployments setup={setup} />}
    </EntitySetupGate>
  );
}
