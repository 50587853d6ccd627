import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { InstanceState } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { coderunnerTranslationRef } from '../../translation';
import { capitalize, INSTANCE_STATE_KINDS } from './statusKinds';

/** An instance's state with its Backstage status icon. */
export function InstanceStateLabel(props: { state: InstanceState }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const kind = INSTANCE_STATE_KINDS[props.state];
  return (
    <StatusLabel kind={kind ?? 'warning'}>
      {kind
        ? t(`statusLabel.instance.${props.state}`)
        : capitalize(props.state)}
    </StatusLabel>
  );
}
