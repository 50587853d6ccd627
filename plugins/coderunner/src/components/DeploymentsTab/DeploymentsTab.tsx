import { EntityAlertsCard } from '../AlertsList';
import { EntitySetupGate } from '../EntitySetupGate';
import { EnvironmentList } from './EnvironmentList';

/**
 * The Deployments tab of a component: a card per environment with its
 * status, URL, instances, actions and release history.
 *
 * @public
 */
export function DeploymentsTab() {
  return (
    <div data-testid="coderunner-deployments-tab">
      <EntitySetupGate>
        {setup => (
          <>
            <EnvironmentList setup={setup} />
            <EntityAlertsCard entityRef={setup.entityRef} />
          </>
        )}
      </EntitySetupGate>
    </div>
  );
}
