import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  BudgetStatus,
  coderunnerBudgetWritePermission,
  CostSummary,
} from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  // The backend checks coderunner.budget.write on the group entity; so does this.
  const { allowed, loading } = usePermission({
    permission: coderunnerBudgetWritePermission,
    resourceRef: ownerRef,
  });
  const permit = {
    allowed,
    loading,
    reason: t('globalPage.ownerBudgets.refused', { owner: ownerRef }),
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
          aria-label={
            status
              ? t('globalPage.ownerBudgets.changeBudgetLabel', {
                  owner: ownerRef,
                })
              : t('globalPage.ownerBudgets.setBudgetLabel', { owner: ownerRef })
          }
          onClick={props.onEdit}
        >
          {status
            ? t('globalPage.ownerBudgets.changeBudget')
            : t('globalPage.ownerBudgets.setBudget')}
        </PermittedButton>
      )}
      {status && !configured && (
        <PermittedButton
          size="small"
          permit={permit}
          aria-label={t('globalPage.ownerBudgets.removeBudgetLabel', {
            owner: ownerRef,
          })}
          onClick={() => props.onRemove(status)}
        >
          {t('globalPage.ownerBudgets.removeBudget')}
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
            {t('globalPage.ownerBudgets.noBudget', {
              owner: <strong>{ownerRef}</strong>,
            })}
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const owners = budgetOwners(summary);
  if (owners.length === 0) return null;
  return (
    <Box mt={3} data-testid="coderunner-owner-budgets">
      <Typography variant="subtitle1" component="h3" gutterBottom>
        {t('globalPage.ownerBudgets.title')}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('globalPage.ownerBudgets.description')}
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
