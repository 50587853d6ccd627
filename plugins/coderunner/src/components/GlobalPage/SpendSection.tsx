import { InfoCard, Progress } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { CostSummary } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import AutoSizer from 'react-virtualized-auto-sizer';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Bar, BarChart, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { costApiRef } from '../../api';
import { formatMoney } from '../../lib/formatMoney';
import { coderunnerTranslationRef } from '../../translation';
import { OwnerBudgets } from './OwnerBudgets';

/** Spend per team, one row each, with a column per environment. */
export function spendRows(summary: CostSummary) {
  const environments = summary.byEnvironment.map(g => g.key).sort();
  const rows = summary.byOwner.map(owner => {
    const perEnvironment: Record<string, number> = {};
    for (const cell of summary.byOwnerAndEnvironment) {
      if (cell.ownerRef === owner.key) {
        perEnvironment[cell.environment] = cell.spent;
      }
    }
    return { owner: owner.key, ...owner, perEnvironment };
  });
  return { environments, rows };
}

const shortRef = (ref: string) => ref.replace(/^group:default\//, '');

/**
 * This month's spend across what the user may read, by team and environment: a stacked bar
 * chart and the same figures as a table, then each team's budget.
 */
export function SpendSection() {
  const api = useApiHolder().get(costApiRef);
  const theme = useTheme();
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { value: summary, retry } = useAsyncRetry(
    async () => (api ? api.getSummary() : undefined),
    [api],
  );
  if (!api) return null;
  if (!summary) return <Progress />;
  const money = (amount: number) => formatMoney(amount, summary.currency);
  const { environments, rows } = spendRows(summary);
  const colors = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success.main,
    theme.palette.warning.main,
    theme.palette.info.main,
  ];
  return (
    <Box mt={3} data-testid="coderunner-spend">
      <InfoCard
        title={t('globalPage.spend.title')}
        subheader={t('globalPage.spend.subheader', {
          spent: money(summary.spent),
          forecast: money(summary.forecast),
          period: summary.period,
        })}
      >
        {rows.length === 0 ? (
          <Typography variant="body2">
            {t('globalPage.spend.nothingSpent')}
          </Typography>
        ) : (
          <>
            <Box
              height={Math.max(160, rows.length * 48)}
              aria-hidden="true"
              data-testid="coderunner-spend-chart"
            >
              <AutoSizer disableHeight>
                {({ width }) =>
                  width > 0 && (
                    <BarChart
                      width={width}
                      height={Math.max(160, rows.length * 48)}
                      data={rows.map(r => ({
                        owner: shortRef(r.owner),
                        ...r.perEnvironment,
                      }))}
                      layout="vertical"
                      margin={{ left: 8, right: 16 }}
                    >
                      <XAxis type="number" tickFormatter={money} />
                      <YAxis type="category" dataKey="owner" width={100} />
                      <Tooltip formatter={(v: number) => money(v)} />
                      <Legend />
                      {environments.map((env, i) => (
                        <Bar
                          key={env}
                          dataKey={env}
                          stackId="spend"
                          fill={colors[i % colors.length]}
                          isAnimationActive={false}
                        />
                      ))}
                    </BarChart>
                  )
                }
              </AutoSizer>
            </Box>
            <Box overflow="auto">
              {/* On a phone the table scrolls sideways rather than break figures apart. */}
              <Table
                size="small"
                aria-label={t('globalPage.spend.tableLabel')}
                style={{ whiteSpace: 'nowrap' }}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>{t('globalPage.spend.team')}</TableCell>
                    {environments.map(env => (
                      <TableCell key={env} align="right">
                        {env}
                      </TableCell>
                    ))}
                    <TableCell align="right">
                      {t('globalPage.spend.total')}
                    </TableCell>
                    <TableCell align="right">
                      {t('globalPage.spend.forecast')}
                    </TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map(row => (
                    <TableRow key={row.owner}>
                      <TableCell component="th" scope="row">
                        {row.owner}
                      </TableCell>
                      {environments.map(env => (
                        <TableCell key={env} align="right">
                          {money(row.perEnvironment[env] ?? 0)}
                        </TableCell>
                      ))}
                      <TableCell align="right">{money(row.spent)}</TableCell>
                      <TableCell align="right">{money(row.forecast)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          </>
        )}
        <OwnerBudgets summary={summary} onChange={retry} />
      </InfoCard>
    </Box>
  );
}
