import { EntitySetupGate } from '../EntitySetupGate';
import { ConfigEditor } from './ConfigEditor';

/**
 * The Config tab of a component: environment variables and secrets per
 * environment, with versions, templates, import/export and history.
 *
 * @public
 */
export function ConfigTab() {
  return (
    <div data-testid="coderunner-config-tab">
      <EntitySetupGate>
        {setup => (
          <ConfigEditor
            entityRef={setup.entityRef}
            environments={setup.environments}
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
