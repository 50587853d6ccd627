import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';
import { EntitySetupGate } from '../EntitySetupGate';
import { OverviewDeployments } from './OverviewDeployments';

/** What the overview card says about the current entity's setup and deployments. */
export function OverviewCardBody() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <EntitySetupGate
      missing={setup => (
        <Typography variant="body2">
          {setup.problem ??
            t('overviewCard.noManifest', { path: setup.manifestPath })}{' '}
          {t('overviewCard.addManifest')}
        </Typography>
      )}
    >
      {setup => <OverviewDeployments setup={setup} />}
    </EntitySetupGate>
  );
}
