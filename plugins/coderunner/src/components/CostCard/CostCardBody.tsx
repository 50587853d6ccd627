import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  BudgetStatus,
  coderunnerBudgetWritePermission,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useEntityCost } from '../../hooks/useEntityCost';
import { errorTitle } from '../../lib/errorTitle';
import { formatMoney } from '../../lib/formatMoney';
import { coderunnerTranslationRef } from '../../translation';
import { PermittedButton } from '../PermittedButton';
import { BudgetBar, budgetScopeLabel } from './BudgetBar';
import { BudgetDialog } from './BudgetDialog';
import { RemoveBudgetDialog } from './RemoveBudgetDialog';
import { RightSizingList } from './RightSizingList';

function Figure(props: { label: string; value: string; testId: string }) {
  return (
    <Box mr={4} mb={1}>
      <Typography variant="caption" component="p" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h5" component="p" data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}

/** The figures, budgets and advice of the Cost card. */
export function CostCardBody(props: {
  entityRef: string;
  environments: string[];
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environments } = props;
  const { available, cost, error, refresh } = useEntityCost(entityRef);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState<BudgetStatus>();
  const { allowed, loading } = usePermission({
    permission: coderunnerBudgetWritePermission,
    resourceRef: entityRef,
  });
  if (!available) return null;
  if (!cost) {
    return error ? (
      <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
    ) : (
      <Progress />
    );
  }
  const money = (amount: number) => formatMoney(amount, cost.currency);
  const permit = {
    allowed,
    loading,
    reason: t('costCard.refused'),
  };
  return (
    <>
      <Box display="flex" flexWrap="wrap">
        <Figure
          label={t('costCard.spent')}
          value={money(cost.spent)}
          testId="coderunner-cost-spent"
        />
        <Figure
          label={t('costCard.forecast')}
          value={money(cost.forecast)}
          testId="coderunner-cost-forecast"
        />
        <Figure
          label={t('costCard.builds')}
          value={money(cost.builds)}
          testId="coderunner-cost-builds"
        />
      </Box>
      <Typography variant="caption" component="p" paragraph>
        {t('costCard.howCounted')}
      </Typography>
      {cost.budgets.length === 0 ? (
        <Typography variant="body2" paragraph>
          {t('costCard.noBudget')}
        </Typography>
      ) : (
        cost.budgets.map(status => (
          <BudgetBar
            key={status.budgetId}
            status={status}
            actions={
              // A group's budget is changed on the CodeRunner page, app-config's in app-config.
              'entityRef' in status.scope &&
              status.source === 'ui' && (
                <PermittedButton
                  size="small"
                  permit={permit}
                  aria-label={t('costCard.removeBudgetLabel', {
                    scope: budgetScopeLabel(status, t),
                  })}
                  onClick={() => setRemoving(status)}
                >
                  {t('costCard.removeBudget')}
                </PermittedButton>
              )
            }
          />
        ))
      )}
      <PermittedButton
        variant="outlined"
        color="primary"
        permit={permit}
        onClick={() => setEditing(true)}
      >
        {t('costCard.setBudget')}
      </PermittedButton>
      <RightSizingList entityRef={entityRef} />
      {editing && (
        <BudgetDialog
          target={{ entityRef, environments }}
          currency={cost.currency}
          existing={cost.budgets}
          onClose={() => setEditing(false)}
          onDone={refresh}
        />
      )}
      {removing && (
        <RemoveBudgetDialog
          status={removing}
          onClose={() => setRemoving(undefined)}
          onDone={refresh}
        />
      )}
    </>
  );
}
