import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Typography from '@material-ui/core/Typography';
import { costApiRef } from '../../api';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const api = useApi(costApiRef);
  const { scope } = props.status;
  const budget =
    'ownerRef' in scope
      ? t('costCard.removeDialog.ownerBudget', { owner: scope.ownerRef })
      : t('costCard.removeDialog.entityBudget', {
          entity: scope.entityRef,
          scope: budgetScopeLabel(props.status, t),
        });
  return (
    <ActionDialog
      title={t('costCard.removeDialog.title')}
      confirmLabel={t('costCard.removeDialog.confirm')}
      destructive
      success={t('costCard.removeDialog.removed')}
      request={() =>
        'ownerRef' in scope
          ? api.removeOwnerBudget(scope.ownerRef)
          : api.removeBudget(scope.entityRef, scope.environment)
      }
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        {t(
          props.status.hardCap
            ? 'costCard.removeDialog.consequenceWithCap'
            : 'costCard.removeDialog.consequence',
          { budget },
        )}
      </Typography>
    </ActionDialog>
  );
}
