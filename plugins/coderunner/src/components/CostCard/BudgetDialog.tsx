import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { costApiRef } from '../../api';
import { coderunnerTranslationRef } from '../../translation';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';

const ALL = '*';

/** Parses "75, 90, 100" into fractions; undefined when it does not read as percentages. */
export function parseThresholds(text: string): number[] | undefined {
  const parts = text
    .split(',')
    .map(p => p.trim().replace(/%$/, ''))
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const values = parts.map(Number);
  if (values.some(v => !Number.isFinite(v) || v <= 0 || v > 200)) {
    return undefined;
  }
  return values.map(v => v / 100);
}

/**
 * What a budget is for: an entity (in one environment or all), or everything a group owns.
 */
export type BudgetTarget =
  | { entityRef: string; environments: string[] }
  | { ownerRef: string };

/** The existing budget of `target` in `environment` ('*' for all), if any. */
function budgetOf(
  target: BudgetTarget,
  existing: BudgetStatus[],
  environment: string,
): BudgetStatus | undefined {
  return existing.find(b =>
    'ownerRef' in target
      ? 'ownerRef' in b.scope && b.scope.ownerRef === target.ownerRef
      : 'entityRef' in b.scope && (b.scope.environment ?? ALL) === environment,
  );
}

const percentages = (thresholds: number[]) =>
  thresholds.map(x => String(Math.round(x * 1000) / 10)).join(', ');

/**
 * Sets a monthly budget for an entity (in one environment or all) or for everything a group
 * owns: the amount, the thresholds that warn (75%, 90% and 100% unless changed) and whether
 * it caps the autoscaler. An existing budget's values fill the form. What the API refuses
 * (a 400 naming the field) shows in the dialog, and nothing is saved.
 */
export function BudgetDialog(props: {
  target: BudgetTarget;
  currency: string;
  existing: BudgetStatus[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { target } = props;
  const api = useApi(costApiRef);
  const [environment, setEnvironmentValue] = useState(ALL);
  const initial = budgetOf(target, props.existing, ALL);
  const [amount, setAmount] = useState(initial ? String(initial.amount) : '');
  const [thresholds, setThresholds] = useState(
    percentages(initial?.thresholds ?? [0.75, 0.9, 1]),
  );
  const [hardCap, setHardCap] = useState(initial?.hardCap ?? false);
  const setEnvironment = (value: string) => {
    // Another environment's budget (or none) fills the form afresh.
    const current = budgetOf(target, props.existing, value);
    setEnvironmentValue(value);
    setAmount(current ? String(current.amount) : '');
    setThresholds(percentages(current?.thresholds ?? [0.75, 0.9, 1]));
    setHardCap(current?.hardCap ?? false);
  };
  const amountValue = Number(amount);
  const amountValid =
    amount !== '' &&
    Number.isFinite(amountValue) &&
    amountValue > 0 &&
    Math.round(amountValue * 100) === amountValue * 100;
  const parsedThresholds = parseThresholds(thresholds);
  const fields = {
    amount: amountValue,
    thresholds: parsedThresholds,
    hardCap,
  };

  return (
    <ActionDialog
      title={
        'ownerRef' in target
          ? t('costCard.budgetDialog.ownerTitle', { owner: target.ownerRef })
          : t('costCard.budgetDialog.title')
      }
      confirmLabel={t('costCard.budgetDialog.save')}
      confirmDisabled={!amountValid || !parsedThresholds}
      success={t('costCard.budgetDialog.saved')}
      request={() =>
        'ownerRef' in target
          ? api.setOwnerBudget({ ownerRef: target.ownerRef, ...fields })
          : api.setBudget(target.entityRef, {
              ...(environment !== ALL ? { environment } : {}),
              ...fields,
            })
      }
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        {'ownerRef' in target
          ? t('costCard.budgetDialog.ownerIntro', { owner: target.ownerRef })
          : t('costCard.budgetDialog.intro')}
      </Typography>
      {'entityRef' in target && (
        <TextField
          select
          id="coderunner-budget-environment"
          label={t('costCard.budgetDialog.environment')}
          value={environment}
          onChange={e => setEnvironment(e.target.value)}
          fullWidth
          margin="normal"
        >
          <MenuItem value={ALL}>
            {t('costCard.budgetDialog.allEnvironments')}
          </MenuItem>
          {target.environments.map(env => (
            <MenuItem key={env} value={env}>
              {env}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        label={t('costCard.budgetDialog.amount', {
          currency: props.currency,
        })}
        value={amount}
        onChange={e => setAmount(e.target.value)}
        id="coderunner-budget-amount"
        inputProps={{ inputMode: 'decimal' }}
        fullWidth
        margin="normal"
        required
        error={amount !== '' && !amountValid}
        helperText={
          amount !== '' && !amountValid
            ? t('costCard.budgetDialog.amountProblem')
            : undefined
        }
      />
      <TextField
        id="coderunner-budget-thresholds"
        label={t('costCard.budgetDialog.thresholds')}
        value={thresholds}
        onChange={e => setThresholds(e.target.value)}
        fullWidth
        margin="normal"
        error={!parsedThresholds}
        helperText={
          parsedThresholds
            ? t('costCard.budgetDialog.thresholdsHelp')
            : t('costCard.budgetDialog.thresholdsProblem')
        }
      />
      <FormControlLabel
        control={
          <Checkbox
            checked={hardCap}
            onChange={e => setHardCap(e.target.checked)}
          />
        }
        label={t('costCard.budgetDialog.hardCap')}
      />
    </ActionDialog>
  );
}
