import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import { useAlerts } from '../../hooks/useAlerts';
import { errorTitle } from '../../lib/errorTitle';
import { coderunnerTranslationRef } from '../../translation';
import { AlertsList } from './AlertsList';

/** The global page's open alerts, of the entities the user may read. */
export function OpenAlertsSection() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { available, alerts, error } = useAlerts();
  if (!available) return null;
  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} title={errorTitle(error, t)} />;
  } else if (!alerts) {
    body = <Progress />;
  } else {
    body = (
      <AlertsList
        alerts={alerts}
        label={t('alertsList.open')}
        empty={t('alertsList.noneOpenAnywhere')}
        showEntity
      />
    );
  }
  return (
    <Box mb={3} data-testid="coderunner-open-alerts">
      <InfoCard title={t('alertsList.open')}>{body}</InfoCard>
    </Box>
  );
}
