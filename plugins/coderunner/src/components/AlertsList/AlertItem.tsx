import { Link } from '@backstage/core-components';
import { Alert } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatExactTime, formatWhen } from '../../lib/formatWhen';
import { StatusKind, StatusLabel } from '../StatusLabel/StatusLabel';

const SEVERITY: Record<Alert['severity'], { kind: StatusKind; label: string }> =
  {
    critical: { kind: 'error', label: 'Critical' },
    warning: { kind: 'warning', label: 'Warning' },
    info: { kind: 'pending', label: 'Info' },
  };

/** One alert: severity (or Resolved), title linking to the tab that shows it, and when. */
export function AlertItem(props: { alert: Alert; showEntity?: boolean }) {
  const { alert } = props;
  const severity = SEVERITY[alert.severity];
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
          <StatusLabel kind="ok">Resolved</StatusLabel>
        ) : (
          <StatusLabel kind={severity.kind}>{severity.label}</StatusLabel>
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
          Opened {formatWhen(alert.openedAt)}
        </span>
        {resolved ? (
          <span title={formatExactTime(alert.resolvedAt)}>
            , resolved {formatWhen(alert.resolvedAt)}
          </span>
        ) : (
          <span title={formatExactTime(alert.lastSeenAt)}>
            , still seen {formatWhen(alert.lastSeenAt)}
          </span>
        )}
      </Typography>
    </Box>
  );
}
