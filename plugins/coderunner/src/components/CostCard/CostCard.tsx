import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';
import { EntitySetupGate } from '../EntitySetupGate';
import { CostCardBody } from './CostCardBody';

/**
 * The Cost card of an entity's overview: this month's spend, the forecast to the end of the
 * month, its budgets as bars, a budget dialog and right-sizing advice.
 *
 * @public
 */
export function CostCard() {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  return (
    <InfoCard title={t('costCard.title')}>
      <div data-testid="coderunner-cost-card">
        <EntitySetupGate
          missing={() => (
            <Typography variant="body2">{t('costCard.noManifest')}</Typography>
          )}
        >
          {setup => (
            <CostCardBody
              entityRef={setup.entityRef}
              environments={setup.environments}
            />
          )}
        </EntitySetupGate>
      </div>
    </InfoCard>
  );
}
