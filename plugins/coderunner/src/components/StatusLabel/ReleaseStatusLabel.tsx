import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ReleaseStatus } from '@coderunner/plugin-coderunner-common';
import { StatusLabel } from './StatusLabel';
import { coderunnerTranslationRef } from '../../translation';
import { capitalize, RELEASE_STATUS_KINDS } from './statusKinds';

/** A release's build status with its Backstage status icon. */
export function ReleaseStatusLabel(props: { status: ReleaseStatus }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const kind = RELEASE_STATUS_KINDS[props.status];
  return (
    <StatusLabel kind={kind ?? 'warning'}>
      {kind
        ? t(`statusLabel.release.${props.status}`)
        : capitalize(props.status)}
    </StatusLabel>
  );
}
