import { EmptyState } from '@backstage/core-components';
import { formatList } from '../../lib/formatList';
import { EntitySetupGate } from '../EntitySetupGate';

/**
 * The Deployments tab of a component: its deployments per environment,
 * releases and rollbacks.
 *
 * @public
 */
export function DeploymentsTab() {
  return (
    <div data-testid="coderunner-deployments-tab">
      <EntitySetupGate>
        {setup => (
          <EmptyState
            missing="content"
            title="No deployments yet"
            description={`Deploy this component to ${formatList(
              setup.environments,
            )}. Each deploy builds a numbered release from the source and its coderunner.yaml, starts instances in AgentSphere sandboxes and serves them on a stable URL; releases, instances and rollbacks will be listed here.`}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
