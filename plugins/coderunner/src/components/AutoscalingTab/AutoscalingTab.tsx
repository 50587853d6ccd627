import { EmptyState } from '@backstage/core-components';
import { EntitySetupGate } from '../EntitySetupGate';

/**
 * The Autoscaling tab of a component: its scaling policy and every decision
 * the autoscaler took.
 *
 * @public
 */
export function AutoscalingTab() {
  return (
    <div data-testid="coderunner-autoscaling-tab">
      <EntitySetupGate>
        {() => (
          <EmptyState
            missing="content"
            title="No scaling decisions yet"
            description="Once this component runs, CodeRunner keeps its instance count between the min and max of the scaling section of coderunner.yaml, following CPU, memory, p95 latency and request rate, and explains every decision here."
          />
        )}
      </EntitySetupGate>
    </div>
  );
}
