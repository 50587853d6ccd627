import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { DeploymentStatus } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { coderunnerTranslationRef } from '../../translation';
import { capitalize, DEPLOYMENT_STATUS_KINDS } from './statusKinds';

/** A deployment's status with its Backstage status icon. */
export function DeploymentStatusLabel(props: { status: DeploymentStatus }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const kind = DEPLOYMENT_STATUS_KINDS[props.status];
  return (
    <StatusLabel kind={kind ?? 'warning'}>
      {kind
        ? t(`statusLabel.deployment.${props.status}`)
        : capitalize(props.status)}
    </StatusLabel>
  );
}
