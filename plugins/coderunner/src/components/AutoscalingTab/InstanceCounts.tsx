import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    margin: 0,
  },
  figure: { margin: 0, fontSize: '2rem', lineHeight: 1.2, fontWeight: 500 },
  label: { color: theme.palette.text.secondary },
}));

/** What the counts mean together, in words. */
function summary(status: ScalingStatus): string {
  const { currentInstances, desiredInstances, readyInstances } = status;
  if (desiredInstances > currentInstances) {
    return `Scaling up: ${desiredInstances - currentInstances} more to start.`;
  }
  if (desiredInstances < currentInstances) {
    return `Scaling down: ${
      currentInstances - desiredInstances
    } to drain and stop.`;
  }
  if (readyInstances < desiredInstances) {
    return `${desiredInstances - readyInstances} starting.`;
  }
  return 'All desired instances are ready.';
}

/** Current, desired and ready instances of the environment. */
export function InstanceCounts(props: { status: ScalingStatus }) {
  const classes = useStyles();
  const { status } = props;
  const figures: [string, number, string][] = [
    ['Current', status.currentInstances, 'running or starting'],
    ['Desired', status.desiredInstances, 'what scaling asks for'],
    ['Ready', status.readyInstances, 'serving requests'],
  ];
  return (
    <Box data-testid="coderunner-scaling-counts">
      <dl className={classes.list}>
        {figures.map(([label, value, hint]) => (
          <div
            key={label}
            data-testid={`coderunner-scaling-${label.toLowerCase()}`}
          >
            <dt className={classes.label}>
              {label} <span>({hint})</span>
            </dt>
            <dd className={classes.figure}>{value}</dd>
          </div>
        ))}
      </dl>
      <Typography variant="body2" aria-live="polite">
        {summary(status)}
      </Typography>
    </Box>
  );
}
