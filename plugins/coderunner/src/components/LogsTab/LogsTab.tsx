import { EmptyState } from '@backstage/core-components';
import { formatList } from '../../lib/formatList';
import { EntitySetupGate } from '../EntitySetupGate';

/**
 * The Logs tab of a component: build and runtime logs of its instances, live.
 *
 * @public
 */
export function LogsTab() {
  return (
    <div data-testid="coderunner-logs-tab">
      <EntitySetupGate>
        {setup => (
          <EmptyState
            missing="content"
            title="No logs yet"
            description={`Build and runtime logs stream here live once this component is deployed to ${formatList(
              setup.environments,
            )}: one view per environment, searchable, and resuming where you left off.`}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
