import { Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';

/** Says that a release is being rolled out, with an indeterminate bar. */
export function RolloutIndicator(props: { target: Release }) {
  const { target } = props;
  const step =
    target.status === 'built' ? 'starting instances' : `${target.status}`;
  return (
    <Box my={1} role="status" data-testid="coderunner-rollout">
      <Typography variant="body2" gutterBottom>
        Rollout in progress: release {target.number} ({step})
      </Typography>
      <LinearProgress aria-label={`Rolling out release ${target.number}`} />
    </Box>
  );
}
