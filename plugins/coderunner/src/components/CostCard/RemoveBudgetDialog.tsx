import { useApi } from '@backstage/core-plugin-api';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Typography from '@material-ui/core/Typography';
import { costApiRef } from '../../api';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';
import { budgetScopeLabel } from './BudgetBar';

/**
 * Asks before removing a budget set in the UI (an entity's, in one environment or all, or a
 * group's), then removes it. Its warnings and any hard cap on the autoscaler end with it.
 */
export function RemoveBudgetDialog(props: {
  status: BudgetStatus;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi(costApiRef);
  const { scope } = props.status;
  return (
    <ActionDialog
      title="Remove this budget?"
      confirmLabel="Remove budget"
      destructive
      success="Budget removed"
      request={() =>
        'ownerRef' in scope
          ? api.removeOwnerBudget(scope.ownerRef)
          : api.removeBudget(scope.entityRef, scope.environment)
      }
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        {'ownerRef' in scope
          ? `The budget of everything ${scope.ownerRef} owns`
          : `The budget of ${scope.entityRef} (${budgetScopeLabel(
              props.status,
            )})`}{' '}
        goes: no more warnings for it
        {props.status.hardCap
          ? ', and its hard cap no longer limits the autoscaler'
          : ''}
        . Spend is still counted; you can set a budget again at any time.
      </Typography>
    </ActionDialog>
  );
}
