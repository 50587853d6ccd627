import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Alert from '@material-ui/lab/Alert';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';

/** Says when a person holds the count or paused the autoscaler, and until when. */
export function ScalingNotices(props: { status: ScalingStatus }) {
  const { hold, paused } = props.status;
  return (
    <>
      {hold && (
        <Alert severity="info" data-testid="coderunner-scaling-hold">
          Held at {hold.instances} instance{hold.instances === 1 ? '' : 's'} by{' '}
          {displayUser(hold.by)} ({formatWhen(hold.at)}): “{hold.reason}”.{' '}
          {hold.expiresAt ? (
            <span title={formatExactTime(hold.expiresAt)}>
              The policy takes over again {formatWhen(hold.expiresAt)}.
            </span>
          ) : (
            'The hold lasts until someone releases it.'
          )}
        </Alert>
      )}
      {paused && (
        <Alert severity="warning" data-testid="coderunner-scaling-paused">
          Autoscaling paused by {displayUser(paused.by)} (
          {formatWhen(paused.at)}){paused.reason ? `: “${paused.reason}”` : ''}.
          The instance count stays where it is until someone resumes it.
        </Alert>
      )}
    </>
  );
}
