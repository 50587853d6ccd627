import { usePermission } from '@backstage/plugin-permission-react';
import {
  BudgetStatus,
  coderunnerBudgetWritePermission,
  CostSummary,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { BudgetBar } from '../CostCard/BudgetBar';
import { BudgetDialog } from '../CostCard/BudgetDialog';
import { RemoveBudgetDialog } from '../CostCard/RemoveBudgetDialog';
import { PermittedButton } from '../PermittedButton';

/** The groups to list: every owner with spend this month and every group with a budget. */
export function budgetOwners(summary: CostSummary): string[] {
  const owners = new Set(
    summary.byOwner
      .map(group => group.key)
      .filter(key => key.startsWith('group:')),
  );
  for (const status of summary.ownerBudgets) {
    if ('ownerRef' in status.scope) owners.add(status.scope.ownerRef);
  }
  return [...owners].sort();
}

const budgetOf = (summary: CostSummary, ownerRef: string) =>
  summary.ownerBudgets.find(
    status => 'ownerRef' in status.scope && status.scope.ownerRef === ownerRef,
  );

function OwnerBudgetRow(props: {
  ownerRef: string;
  status?: BudgetStatus;
  onEdit: () => void;
  onRemove: (status: BudgetStatus) => void;
}) {
  const { ownerRef, status } = props;
  // The backend checks coderunner.budget.write on the group entity; so does this.
  const { allowed, loading } = usePermission({
    permission: coderunnerBudgetWritePermission,
    resourceRef: ownerRef,
  });
  const permit = {
    allowed,
    loading,
    reason: `You may not set or remove the budget of ${ownerRef} (under the shipped policy only CodeRunner operators may)`,
  };
  const configured = status?.source === 'config';
  const buttons = (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {!configured && (
        <PermittedButton
          size="small"
          variant="outlined"
          color="primary"
          permit={permit}
          aria-label={`${
            status ? 'Change budget' : 'Set budget'
          } of ${ownerRef}`}
          onClick={props.onEdit}
        >
          {status ? 'Change budget' : 'Set budget'}
        </PermittedButton>
      )}
      {status && !configured && (
        <PermittedButton
          size="small"
          permit={permit}
          aria-label={`Remove budget of ${ownerRef}`}
          onClick={() => props.onRemove(status)}
        >
          Remove budget
        </PermittedButton>
      )}
    </Box>
  );
  return (
    <Box mb={2} data-testid="coderunner-owner-budget">
      {status ? (
        <BudgetBar status={status} actions={buttons} />
      ) : (
        <>
          <Typography variant="body2" gutterBottom>
            <strong>{ownerRef}</strong>: no budget
          </Typography>
          {buttons}
        </>
      )}
    </Box>
  );
}

/**
 * Each team's monthly budget as a bar (spent and forecast against the amount), with buttons
 * to set, change or remove it for who holds `coderunner.budget.write` on the group.
 */
export function OwnerBudgets(props: {
  summary: CostSummary;
  onChange: () => void;
}) {
  const { summary } = props;
  const [editing, setEditing] = useState<string>();
  const [removing, setRemoving] = useState<BudgetStatus>();
  const owners = budgetOwners(summary);
  if (owners.length === 0) return null;
  return (
    <Box mt={3} data-testid="coderunner-owner-budgets">
      <Typography variant="subtitle1" component="h3" gutterBottom>
        Team budgets
      </Typography>
      <Typography variant="body2" paragraph>
        A team's budget sums the spend of every component it owns, in all
        environments.
      </Typography>
      {owners.map(ownerRef => (
        <OwnerBudgetRow
          key={ownerRef}
          ownerRef={ownerRef}
          status={budgetOf(summary, ownerRef)}
          onEdit={() => setEditing(ownerRef)}
          onRemove={setRemoving}
        />
      ))}
      {editing && (
        <BudgetDialog
          target={{ ownerRef: editing }}
          currency={summary.currency}
          existing={summary.ownerBudgets}
          onClose={() => setEditing(undefined)}
          onDone={props.onChange}
        />
      )}
      {removing && (
        <RemoveBudgetDialog
          status={removing}
          onClose={() => setRemoving(undefined)}
          onDone={props.onChange}
        />
      )}
    </Box>
  );
}
