import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Alert } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
import { StatusKind, StatusLabel } from '../StatusLabel/StatusLabel';

const SEVERITY_KINDS: Record<Alert['severity'], StatusKind> = {
  critical: 'error',
  warning: 'warning',
  info: 'pending',
};

/** One alert: severity (or Resolved), title linking to the tab that shows it, and when. */
export function AlertItem(props: { alert: Alert; showEntity?: boolean }) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { alert } = props;
  const resolved = alert.status === 'resolved';
  return (
    <Box
      component="li"
      py={1.5}
      borderBottom={1}
      borderColor="divider"
      data-testid="coderunner-alert"
      data-status={alert.status}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        {resolved ? (
          <StatusLabel kind="ok">{t('alertsList.resolved')}</StatusLabel>
        ) : (
          <StatusLabel kind={SEVERITY_KINDS[alert.severity]}>
            {t(`alertsList.severity.${alert.severity}`)}
          </StatusLabel>
        )}
        <Link to={alert.link}>
          <Typography component="span" variant="subtitle2">
            {alert.title}
          </Typography>
        </Link>
      </Box>
      {props.showEntity && (
        <Typography variant="body2" color="textSecondary">
          {alert.entityRef}
        </Typography>
      )}
      <Typography variant="body2" style={{ overflowWrap: 'anywhere' }}>
        {alert.description}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        <span title={formatExactTime(alert.openedAt)}>
          {t('alertsList.opened', { when: formatWhen(alert.openedAt, t) })}
        </span>
        {resolved ? (
          <span title={formatExactTime(alert.resolvedAt)}>
            {t('alertsList.resolvedAt', {
              when: formatWhen(alert.resolvedAt, t),
            })}
          </span>
        ) : (
          <span title={formatExactTime(alert.lastSeenAt)}>
            {t('alertsList.stillSeen', {
              when: formatWhen(alert.lastSeenAt, t),
            })}
          </span>
        )}
      </Typography>
    </Box>
  );
}
