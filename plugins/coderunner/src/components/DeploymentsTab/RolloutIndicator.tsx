import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';

/** Says that a release is being rolled out, with an indeterminate bar. */
export function RolloutIndicator(props: { target: Release }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { target } = props;
  const number = String(target.number);
  const step =
    target.status === 'built'
      ? t('deploymentsTab.rollout.startingInstances')
      : target.status;
  return (
    <Box my={1} role="status" data-testid="coderunner-rollout">
      <Typography variant="body2" gutterBottom>
        {t('deploymentsTab.rollout.inProgress', { number, step })}
      </Typography>
      <LinearProgress
        aria-label={t('deploymentsTab.rollout.label', { number })}
      />
    </Box>
  );
}
