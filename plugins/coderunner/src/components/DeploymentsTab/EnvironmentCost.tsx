import Typography from '@material-ui/core/Typography';
import { useEntityCost } from '../../hooks/useEntityCost';
import { formatMoney } from '../../lib/formatMoney';

/** One environment's spend this month and its forecast, in a line. */
export function EnvironmentCost(props: {
  entityRef: string;
  environment: string;
  revision: number;
}) {
  const { cost } = useEntityCost(props.entityRef, props.revision);
  const env = cost?.environments.find(e => e.environment === props.environment);
  if (!cost || !env) return null;
  const money = (amount: number) => formatMoney(amount, cost.currency);
  return (
    <Typography
      variant="body2"
      data-testid="coderunner-environment-cost"
      gutterBottom
    >
      Cost this month: {money(env.spent)} (builds {money(env.builds)}), forecast{' '}
      {money(env.forecast)}
      {env.runningInstances > 0
        ? `; ${env.runningInstances} instance${
            env.runningInstances === 1 ? '' : 's'
          } now cost ${money(env.currentHourly)} an hour`
        : ''}
      .
    </Typography>
  );
}
