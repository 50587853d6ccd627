import { ReleaseStatus } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { capitalize, RELEASE_STATUS_KINDS } from './statusKinds';

/** A release's build status with its Backstage status icon. */
export function ReleaseStatusLabel(props: { status: ReleaseStatus }) {
  return (
    <StatusLabel kind={RELEASE_STATUS_KINDS[props.status] ?? 'warning'}>
      {capitalize(props.status)}
    </StatusLabel>
  );
}
