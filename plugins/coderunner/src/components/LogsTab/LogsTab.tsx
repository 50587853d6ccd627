import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntitySetupGate } from '../EntitySetupGate';
import { LogsView } from './LogsView';

/**
 * The Logs tab of a component: build and runtime logs of its instances, live.
 *
 * @public
 */
export function LogsTab() {
  const { entity } = useEntity();
  return (
    <div data-testid="coderunner-logs-tab">
      <EntitySetupGate>
        {setup => (
          <LogsView
            entityRef={stringifyEntityRef(entity)}
            environments={setup.environments}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
