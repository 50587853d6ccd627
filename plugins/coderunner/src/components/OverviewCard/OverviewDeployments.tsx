import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useDeployments } from '../../hooks/useDeployments';
import { useDeploymentsTabLink } from '../../hooks/useDeploymentsTabLink';
import { errorTitle } from '../../lib/errorTitle';
import { formatList } from '../../lib/formatList';
import { coderunnerTranslationRef } from '../../translation';
import { EnvironmentStatusList } from './EnvironmentStatusList';

/** The component's environments at a glance, with a link to the Deployments tab. */
export function OverviewDeployments(props: { setup: EntitySetup }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environments } = props.setup;
  const { deployments, error } = useDeployments(entityRef);
  const tabLink = useDeploymentsTabLink();
  if (!deployments) {
    return error ? (
      <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
    ) : (
      <Progress />
    );
  }
  return (
    <>
      {deployments.length === 0 ? (
        <Typography variant="body2">
          {t('overviewCard.noDeployments', {
            environments: formatList(environments, t('overviewCard.or')),
          })}
        </Typography>
      ) : (
        <EnvironmentStatusList
          environments={environments}
          deployments={deployments}
        />
      )}
      {tabLink && (
        <Box mt={2}>
          <Link to={tabLink}>{t('overviewCard.openDeploymentsTab')}</Link>
        </Box>
      )}
    </>
  );
}
