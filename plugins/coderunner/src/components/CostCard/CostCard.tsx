import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { EntitySetupGate } from '../EntitySetupGate';
import { CostCardBody } from './CostCardBody';

/**
 * The Cost card of an entity's overview: this month's spend, the forecast to the end of the
 * month, its budgets as bars, a budget dialog and right-sizing advice.
 *
 * @public
 */
export function CostCard() {
  return (
    <InfoCard title="Cost">
      <div data-testid="coderunner-cost-card">
        <EntitySetupGate
          missing={() => (
            <Typography variant="body2">
              Nothing to pay for: this component has no coderunner.yaml.
            </Typography>
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
