import {
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { LogConnectionState } from '../../api/LogStreamClient';

/** Whether the view is live, connecting, or reconnecting after a drop (it resumes by itself). */
export function ConnectionIndicator(props: { state: LogConnectionState }) {
  switch (props.state) {
    case 'live':
      return <StatusOK>Live</StatusOK>;
    case 'connecting':
      return <StatusPending>Connecting…</StatusPending>;
    default:
      return (
        <StatusWarning>Reconnecting… (resumes where it stopped)</StatusWarning>
      );
  }
}
