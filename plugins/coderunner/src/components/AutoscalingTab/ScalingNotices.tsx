import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Alert from '@material-ui/lab/Alert';
import { displayUser } from '../../lib/displayUser';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';

/** Says when a person holds the count or paused the autoscaler, and until when. */
export function ScalingNotices(props: { status: ScalingStatus }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { hold, paused } = props.status;
  return (
    <>
      {hold && (
        <Alert severity="info" data-testid="coderunner-scaling-hold">
          {t('autoscalingTab.notices.hold', {
            count: hold.instances,
            user: displayUser(hold.by, t),
            when: formatWhen(hold.at, t),
            reason: hold.reason,
          })}{' '}
          {hold.expiresAt ? (
            <span title={formatExactTime(hold.expiresAt)}>
              {t('autoscalingTab.notices.holdExpires', {
                when: formatWhen(hold.expiresAt, t),
              })}
            </span>
          ) : (
            t('autoscalingTab.notices.holdLasts')
          )}
        </Alert>
      )}
      {paused && (
        <Alert severity="warning" data-testid="coderunner-scaling-paused">
          {paused.reason
            ? t('autoscalingTab.notices.pausedWithReason', {
                user: displayUser(paused.by, t),
                when: formatWhen(paused.at, t),
                reason: paused.reason,
              })
            : t('autoscalingTab.notices.paused', {
                user: displayUser(paused.by, t),
                when: formatWhen(paused.at, t),
              })}
        </Alert>
      )}
    </>
  );
}
