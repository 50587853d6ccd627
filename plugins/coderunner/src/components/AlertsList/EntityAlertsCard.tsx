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

/**
 * An entity's alerts on its Deployments tab: the open ones first, then the resolved history.
 * Nothing in an app without the alerts API.
 */
export function EntityAlertsCard(props: { entityRef: string }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { available, alerts, error } = useAlerts(props.entityRef);
  if (!available) return null;
  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} title={errorTitle(error, t)} />;
  } else if (!alerts) {
    body = <Progress />;
  } else {
    const open = alerts.filter(a => a.status === 'open');
    const resolved = alerts.filter(a => a.status === 'resolved');
    body = (
      <>
        <AlertsList
          alerts={open}
          label={t('alertsList.open')}
          empty={t('alertsList.noneOpen')}
        />
        {resolved.length > 0 && (
          <Box mt={2}>
            <AlertsList
              alerts={resolved}
              label={t('alertsList.resolvedLabel')}
              empty=""
            />
          </Box>
        )}
      </>
    );
  }
  return (
    <Box mt={3} data-testid="coderunner-entity-alerts">
      <InfoCard
        title={t('alertsList.title')}
        subheader={t('alertsList.subheader')}
      >
        {body}
      </InfoCard>
    </Box>
  );
}
