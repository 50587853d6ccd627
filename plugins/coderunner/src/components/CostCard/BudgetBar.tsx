import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { dayOfMonth, formatMoney } from '../../lib/formatMoney';

const useStyles = makeStyles(theme => ({
  ok: { backgroundColor: theme.palette.success.main },
  warning: { backgroundColor: theme.palette.warning.main },
  critical: { backgroundColor: theme.palette.error.main },
  track: { height: 10, borderRadius: 5 },
}));

/** What a budget covers, for people. */
export function budgetScopeLabel(status: BudgetStatus): string {
  const { scope } = status;
  if ('ownerRef' in scope) return `Everything ${scope.ownerRef} owns`;
  return scope.environment ? scope.environment : 'All environments';
}

/**
 * One budget as a bar: spent against the amount, coloured by the thresholds crossed, with the
 * forecast, the day it will be exceeded and the cap on instances in words; `actions` (e.g. a
 * remove button) below.
 */
export function BudgetBar(props: {
  status: BudgetStatus;
  actions?: ReactNode;
}) {
  const { status } = props;
  const classes = useStyles();
  const share = status.amount > 0 ? status.spent / status.amount : 0;
  const crossed = status.thresholds.filter(t => share >= t);
  let level: 'ok' | 'warning' | 'critical' = 'warning';
  if (crossed.length === 0) level = 'ok';
  else if (crossed.length === status.thresholds.length) level = 'critical';
  const money = (amount: number) => formatMoney(amount, status.currency);
  const label = `${budgetScopeLabel(status)}: ${money(status.spent)} of ${money(
    status.amount,
  )} spent`;
  return (
    <Box mb={2} data-testid="coderunner-budget-bar">
      <Typography variant="body2">
        <strong>{budgetScopeLabel(status)}</strong>: {money(status.spent)} of{' '}
        {money(status.amount)} ({Math.round(share * 100)}%)
        {status.source === 'config' && ' · set in app-config'}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, share * 100)}
        aria-label={label}
        classes={{ root: classes.track, bar: classes[level] }}
      />
      <Typography variant="caption" component="p">
        Forecast {money(status.forecast)} by the end of the month
        {status.forecastExceedsOn
          ? `: will exceed the budget on ${dayOfMonth(
              status.forecastExceedsOn,
            )}`
          : ''}
        . Warns at{' '}
        {status.thresholds.map(t => `${Math.round(t * 100)}%`).join(', ')}.
      </Typography>
      {status.hardCap && (
        <Typography variant="caption" component="p">
          Hard cap: the autoscaler runs at most{' '}
          {status.capMaxInstances ?? 'as many'} instance
          {status.capMaxInstances === 1 ? '' : 's'} for the rest of the month.
        </Typography>
      )}
      {props.actions}
    </Box>
  );
}
