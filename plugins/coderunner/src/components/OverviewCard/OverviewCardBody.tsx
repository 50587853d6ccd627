import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useEntitySetup } from '../../hooks';
import { errorTitle } from '../../lib/errorTitle';
import { formatList } from '../../lib/formatList';

/** What the overview card says about the current entity's setup. */
export function OverviewCardBody() {
  const { setup, loading, error } = useEntitySetup();
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title={errorTitle(error)} />;
  }
  if (!setup) {
    return null;
  }
  if (!setup.manifestFound) {
    return (
      <Typography variant="body2">
        {setup.problem ??
          `This component has no coderunner.yaml at ${setup.manifestPath}.`}{' '}
        Add one to deploy it with CodeRunner.
      </Typography>
    );
  }
  return (
    <Typography variant="body2">
      No deployments yet. This component is ready to deploy to{' '}
      {formatList(setup.environments)} from its Deployments tab.
    </Typography>
  );
}
