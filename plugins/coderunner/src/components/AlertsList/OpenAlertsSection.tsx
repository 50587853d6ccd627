import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useAlerts } from '../../hooks/useAlerts';
import { errorTitle } from '../../lib/errorTitle';
import { AlertsList } from './AlertsList';

/** The global page's open alerts, of the entities the user may read. */
export function OpenAlertsSection() {
  const { available, alerts, error } = useAlerts();
  if (!available) return null;
  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} title={errorTitle(error)} />;
  } else if (!alerts) {
    body = <Progress />;
  } else {
    body = (
      <AlertsList
        alerts={alerts}
        label="Open alerts"
        empty="No open alerts in the deployments you can see."
        showEntity
      />
    );
  }
  return (
    <Box mb={3} data-testid="coderunner-open-alerts">
      <InfoCard title="Open alerts">{body}</InfoCard>
    </Box>
  );
}
