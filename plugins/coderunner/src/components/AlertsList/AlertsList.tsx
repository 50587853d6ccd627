import { Alert } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AlertItem } from './AlertItem';

/** Alerts as a list, or a sentence saying there are none. */
export function AlertsList(props: {
  alerts: Alert[];
  label: string;
  empty: string;
  showEntity?: boolean;
}) {
  if (props.alerts.length === 0) {
    return <Typography variant="body2">{props.empty}</Typography>;
  }
  return (
    <Box
      component="ul"
      aria-label={props.label}
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
    >
      {props.alerts.map(alert => (
        <AlertItem key={alert.id} alert={alert} showEntity={props.showEntity} />
      ))}
    </Box>
  );
}
