import { DeploymentStatus } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { capitalize, DEPLOYMENT_STATUS_KINDS } from './statusKinds';

/** A deployment's status with its Backstage status icon. */
export function DeploymentStatusLabel(props: { status: DeploymentStatus }) {
  return (
    <StatusLabel kind={DEPLOYMENT_STATUS_KINDS[props.status] ?? 'warning'}>
      {capitalize(props.status)}
    </StatusLabel>
  );
}
