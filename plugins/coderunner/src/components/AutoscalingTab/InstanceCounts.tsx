import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  CoderunnerTranslate,
  coderunnerTranslationRef,
} from '../../translation';

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
function summary(status: ScalingStatus, t: CoderunnerTranslate): string {
  const { currentInstances, desiredInstances, readyInstances } = status;
  if (desiredInstances > currentInstances) {
    return t('autoscalingTab.counts.scalingUp', {
      number: String(desiredInstances - currentInstances),
    });
  }
  if (desiredInstances < currentInstances) {
    return t('autoscalingTab.counts.scalingDown', {
      number: String(currentInstances - desiredInstances),
    });
  }
  if (readyInstances < desiredInstances) {
    return t('autoscalingTab.counts.starting', {
      number: String(desiredInstances - readyInstances),
    });
  }
  return t('autoscalingTab.counts.allReady');
}

/** Current, desired and ready instances of the environment. */
export function InstanceCounts(props: { status: ScalingStatus }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const classes = useStyles();
  const { status } = props;
  const figures = [
    ['current', status.currentInstances],
    ['desired', status.desiredInstances],
    ['ready', status.readyInstances],
  ] as const;
  return (
    <Box data-testid="coderunner-scaling-counts">
      <dl className={classes.list}>
        {figures.map(([figure, value]) => (
          <div key={figure} data-testid={`coderunner-scaling-${figure}`}>
            <dt className={classes.label}>
              {t(`autoscalingTab.counts.${figure}`)}{' '}
              <span>({t(`autoscalingTab.counts.${figure}Hint`)})</span>
            </dt>
            <dd className={classes.figure}>{value}</dd>
          </div>
        ))}
      </dl>
      <Typography variant="body2" aria-live="polite">
        {summary(status, t)}
      </Typography>
    </Box>
  );
}
