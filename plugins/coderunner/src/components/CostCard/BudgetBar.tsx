import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { dayOfMonth, formatMoney } from '../../lib/formatMoney';
import {
  CoderunnerTranslate,
  coderunnerTranslationRef,
} from '../../translation';

const useStyles = makeStyles(theme => ({
  ok: { backgroundColor: theme.palette.success.main },
  warning: { backgroundColor: theme.palette.warning.main },
  critical: { backgroundColor: theme.palette.error.main },
  track: { height: 10, borderRadius: 5 },
}));

/** What a budget covers, for people. */
export function budgetScopeLabel(
  status: BudgetStatus,
  t: CoderunnerTranslate,
): string {
  const { scope } = status;
  if ('ownerRef' in scope) {
    return t('costCard.budgetBar.ownerScope', { owner: scope.ownerRef });
  }
  return scope.environment
    ? scope.environment
    : t('costCard.budgetBar.allEnvironments');
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { status } = props;
  const classes = useStyles();
  const share = status.amount > 0 ? status.spent / status.amount : 0;
  const crossed = status.thresholds.filter(x => share >= x);
  let level: 'ok' | 'warning' | 'critical' = 'warning';
  if (crossed.length === 0) level = 'ok';
  else if (crossed.length === status.thresholds.length) level = 'critical';
  const money = (amount: number) => formatMoney(amount, status.currency);
  const scope = budgetScopeLabel(status, t);
  const figures = {
    spent: money(status.spent),
    amount: money(status.amount),
  };
  const label = t('costCard.budgetBar.label', { scope, ...figures });
  const thresholds = status.thresholds
    .map(x =>
      t('costCard.budgetBar.threshold', {
        percent: String(Math.round(x * 100)),
      }),
    )
    .join(', ');
  let hardCap: string = t('costCard.budgetBar.hardCapUncapped');
  if (status.capMaxInstances !== undefined) {
    hardCap = t('costCard.budgetBar.hardCap', {
      count: status.capMaxInstances,
    });
  }
  return (
    <Box mb={2} data-testid="coderunner-budget-bar">
      <Typography variant="body2">
        {t(
          status.source === 'config'
            ? 'costCard.budgetBar.summaryFromConfig'
            : 'costCard.budgetBar.summary',
          {
            scope: <strong>{scope}</strong>,
            ...figures,
            percent: String(Math.round(share * 100)),
          },
        )}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, share * 100)}
        aria-label={label}
        classes={{ root: classes.track, bar: classes[level] }}
      />
      <Typography variant="caption" component="p">
        {status.forecastExceedsOn
          ? t('costCard.budgetBar.forecastExceeds', {
              forecast: money(status.forecast),
              day: dayOfMonth(status.forecastExceedsOn, t),
              thresholds,
            })
          : t('costCard.budgetBar.forecast', {
              forecast: money(status.forecast),
              thresholds,
            })}
      </Typography>
      {status.hardCap && (
        <Typography variant="caption" component="p">
          {hardCap}
        </Typography>
      )}
      {props.actions}
    </Box>
  );
}
