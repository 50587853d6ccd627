import { EmptyState } from '@backstage/core-components';
import { formatList } from '../../lib/formatList';
import { EntitySetupGate } from '../EntitySetupGate';

/**
 * The Config tab of a component: environment variables and secrets per
 * environment.
 *
 * @public
 */
export function ConfigTab() {
  return (
    <div data-testid="coderunner-config-tab">
      <EntitySetupGate>
        {setup => (
          <EmptyState
            missing="content"
            title="No configuration yet"
            description={`Set environment variables and write-only secrets for ${formatList(
              setup.environments,
              'and',
            )}. Defaults come from the env section of coderunner.yaml; every change is versioned, can be rolled back, and reaches the running instances without downtime.`}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
