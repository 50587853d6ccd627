import { Instance } from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InstanceStateLabel } from '../StatusLabel';

/** The instance states in which a terminal opens (the backend checks the same). */
const TERMINAL_STATES = new Set(['starting', 'ready']);

/**
 * Each instance: its release, state, restarts and, for a crash, the last output; with
 * `onOpenTerminal` (the user may exec), a Terminal button on each running instance.
 */
export function InstanceTable(props: {
  instances: Instance[];
  onOpenTerminal?: (instance: Instance) => void;
}) {
  const { onOpenTerminal } = props;
  if (props.instances.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No instances run.
      </Typography>
    );
  }
  // On a narrow screen the table scrolls sideways instead of breaking ids and states mid-word.
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label="Instances"
        style={{ whiteSpace: 'nowrap' }}
      >
        <TableHead>
          <TableRow>
            <TableCell>Instance</TableCell>
            <TableCell>Release</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Restarts</TableCell>
            <TableCell>Reason</TableCell>
            {onOpenTerminal && <TableCell>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.instances.map(instance => (
            <TableRow key={instance.id} data-testid="coderunner-instance">
              <TableCell>
                <code title={instance.sandboxId}>
                  {instance.id.slice(0, 8)}
                </code>
              </TableCell>
              <TableCell>{instance.releaseNumber ?? '–'}</TableCell>
              <TableCell>
                <InstanceStateLabel state={instance.state} />
              </TableCell>
              <TableCell>{instance.restarts}</TableCell>
              <TableCell>
                {instance.reason && (
                  <Typography
                    variant="caption"
                    component="pre"
                    style={{
                      whiteSpace: 'pre-wrap',
                      margin: 0,
                      maxHeight: 160,
                      overflow: 'auto',
                    }}
                  >
                    {instance.reason}
                    {instance.lastExitCode !== undefined &&
                      ` (exit code ${instance.lastExitCode})`}
                  </Typography>
                )}
              </TableCell>
              {onOpenTerminal && (
                <TableCell>
                  {TERMINAL_STATES.has(instance.state) && (
                    <Button
                      size="small"
                      variant="outlined"
                      aria-label={`Terminal in instance ${instance.id.slice(
                        0,
                        8,
                      )}`}
                      onClick={() => onOpenTerminal(instance)}
                    >
                      Terminal
                    </Button>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
