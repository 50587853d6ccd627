import { Progress, ResponseErrorPanel } from '@backstage/core-components';
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
      <ResponseErrorPanel error={error} title={errorTitle(error)} />
    ) : (
      <Progress />
    );
  }
  const money = (amount: number) => formatMoney(amount, cost.currency);
  const permit = {
    allowed,
    loading,
    reason:
      'Only the owners of this component (and CodeRunner operators) may set or remove its budget',
  };
  return (
    <>
      <Box display="flex" flexWrap="wrap">
        <Figure
          label="This month so far"
          value={money(cost.spent)}
          testId="coderunner-cost-spent"
        />
        <Figure
          label="Forecast for the month"
          value={money(cost.forecast)}
          testId="coderunner-cost-forecast"
        />
        <Figure
          label="Of which builds"
          value={money(cost.builds)}
          testId="coderunner-cost-builds"
        />
      </Box>
      <Typography variant="caption" component="p" paragraph>
        Every second each instance and build runs, at its size's price.
      </Typography>
      {cost.budgets.length === 0 ? (
        <Typography variant="body2" paragraph>
          No budget yet. Set one to be warned before the month costs more than
          planned.
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
                  aria-label={`Remove budget (${budgetScopeLabel(status)})`}
                  onClick={() => setRemoving(status)}
                >
                  Remove budget
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
        Set budget
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
