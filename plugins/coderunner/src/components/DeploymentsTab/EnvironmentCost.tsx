import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@material-ui/core/Typography';
import { useEntityCost } from '../../hooks/useEntityCost';
import { formatMoney } from '../../lib/formatMoney';
import { coderunnerTranslationRef } from '../../translation';

/** One environment's spend this month and its forecast, in a line. */
export function EnvironmentCost(props: {
  entityRef: string;
  environment: string;
  revision: number;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { cost } = useEntityCost(props.entityRef, props.revision);
  const env = cost?.environments.find(e => e.environment === props.environment);
  if (!cost || !env) return null;
  const money = (amount: number) => formatMoney(amount, cost.currency);
  const figures = {
    spent: money(env.spent),
    builds: money(env.builds),
    forecast: money(env.forecast),
  };
  return (
    <Typography
      variant="body2"
      data-testid="coderunner-environment-cost"
      gutterBottom
    >
      {env.runningInstances > 0
        ? t('deploymentsTab.cost.lineRunning', {
            ...figures,
            count: env.runningInstances,
            hourly: money(env.currentHourly),
          })
        : t('deploymentsTab.cost.line', figures)}
    </Typography>
  );
}
