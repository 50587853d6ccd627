import { InstanceState } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { capitalize, INSTANCE_STATE_KINDS } from './statusKinds';

/** An instance's state with its Backstage status icon. */
export function InstanceStateLabel(props: { state: InstanceState }) {
  return (
    <StatusLabel kind={INSTANCE_STATE_KINDS[props.state] ?? 'warning'}>
      {capitalize(props.state)}
    </StatusLabel>
  );
}
