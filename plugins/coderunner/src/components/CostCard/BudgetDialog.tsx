import { useApi } from '@backstage/core-plugin-api';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { costApiRef } from '../../api';
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
 * Sets a monthly budget for the entity, in one environment or all: the amount, the thresholds
 * that warn (75%, 90% and 100% unless changed) and whether it caps the autoscaler.
 */
export function BudgetDialog(props: {
  entityRef: string;
  environments: string[];
  currency: string;
  existing: BudgetStatus[];
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi(costApiRef);
  const [environment, setEnvironment] = useState(ALL);
  const current = props.existing.find(
    b => 'entityRef' in b.scope && (b.scope.environment ?? ALL) === environment,
  );
  const [amount, setAmount] = useState(current ? String(current.amount) : '');
  const [thresholds, setThresholds] = useState('75, 90, 100');
  const [hardCap, setHardCap] = useState(false);
  const amountValue = Number(amount);
  const amountValid =
    amount !== '' &&
    Number.isFinite(amountValue) &&
    amountValue > 0 &&
    Math.round(amountValue * 100) === amountValue * 100;
  const parsedThresholds = parseThresholds(thresholds);

  return (
    <ActionDialog
      title="Set a monthly budget"
      confirmLabel="Save budget"
      confirmDisabled={!amountValid || !parsedThresholds}
      success="Budget saved"
      request={() =>
        api.setBudget(props.entityRef, {
          ...(environment !== ALL ? { environment } : {}),
          amount: amountValue,
          thresholds: parsedThresholds,
          hardCap,
        })
      }
      onClose={props.onClose}
      onDone={props.onDone}
    >
      <Typography variant="body2" paragraph>
        Owners are warned when the month's spend, or its forecast, crosses a
        threshold. A hard cap also limits how many instances the autoscaler
        runs.
      </Typography>
      <TextField
        select
        id="coderunner-budget-environment"
        label="Environment"
        value={environment}
        onChange={e => setEnvironment(e.target.value)}
        fullWidth
        margin="normal"
        SelectProps={{ MenuProps: { disablePortal: true } }}
      >
        <MenuItem value={ALL}>All environments</MenuItem>
        {props.environments.map(env => (
          <MenuItem key={env} value={env}>
            {env}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={`Amount per month (${props.currency})`}
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
            ? 'Enter an amount more than 0 with at most two decimals, e.g. 250 or 99.50'
            : undefined
        }
      />
      <TextField
        id="coderunner-budget-thresholds"
        label="Warn at (percent of the budget)"
        value={thresholds}
        onChange={e => setThresholds(e.target.value)}
        fullWidth
        margin="normal"
        error={!parsedThresholds}
        helperText={
          parsedThresholds
            ? 'Comma-separated, ascending, e.g. 75, 90, 100'
            : 'Write ascending percentages between 1 and 200, e.g. 75, 90, 100'
        }
      />
      <FormControlLabel
        control={
          <Checkbox
            checked={hardCap}
            onChange={e => setHardCap(e.target.checked)}
          />
        }
        label="Hard cap: never run more instances than the rest of the budget pays for"
      />
    </ActionDialog>
  );
}
