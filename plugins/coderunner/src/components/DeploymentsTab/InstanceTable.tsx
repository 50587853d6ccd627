import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Instance } from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { onOpenTerminal } = props;
  if (props.instances.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('deploymentsTab.instances.none')}
      </Typography>
    );
  }
  // On a narrow screen the table scrolls sideways instead of breaking ids and states mid-word.
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label={t('deploymentsTab.instances.label')}
        style={{ whiteSpace: 'nowrap' }}
      >
        <TableHead>
          <TableRow>
            <TableCell>{t('deploymentsTab.instances.instance')}</TableCell>
            <TableCell>{t('deploymentsTab.instances.release')}</TableCell>
            <TableCell>{t('deploymentsTab.instances.state')}</TableCell>
            <TableCell>{t('deploymentsTab.instances.restarts')}</TableCell>
            <TableCell>{t('deploymentsTab.instances.reason')}</TableCell>
            {onOpenTerminal && (
              <TableCell>{t('deploymentsTab.instances.actions')}</TableCell>
            )}
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
                      t('deploymentsTab.instances.exitCode', {
                        code: String(instance.lastExitCode),
                      })}
                  </Typography>
                )}
              </TableCell>
              {onOpenTerminal && (
                <TableCell>
                  {TERMINAL_STATES.has(instance.state) && (
                    <Button
                      size="small"
                      variant="outlined"
                      aria-label={t('deploymentsTab.instances.terminalLabel', {
                        instance: instance.id.slice(0, 8),
                      })}
                      onClick={() => onOpenTerminal(instance)}
                    >
                      {t('deploymentsTab.instances.terminal')}
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
