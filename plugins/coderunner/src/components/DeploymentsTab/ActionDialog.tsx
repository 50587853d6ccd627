import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import { ReactNode } from 'react';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { coderunnerTranslationRef } from '../../translation';
import { ActionError } from './ActionError';

const TITLE_ID = 'coderunner-action-dialog-title';

/**
 * Asks before a deployment action, then sends it: progress while the request
 * runs, a success alert and close when it succeeded, the backend's message
 * inline (and the dialog left open) when it failed.
 */
export function ActionDialog(props: {
  title: string;
  confirmLabel: string;
  /** A destructive action gets a warning-coloured confirm button. */
  destructive?: boolean;
  confirmDisabled?: boolean;
  request: () => Promise<unknown>;
  /** The success alert's message; omitted when `onDone` reports the outcome itself. */
  success?: string;
  onClose: () => void;
  onDone: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { running, error, run } = useDeploymentAction();

  const confirm = async () => {
    if (await run(props.request, props.success)) {
      props.onDone();
      props.onClose();
    }
  };
  const close = () => {
    if (!running) {
      props.onClose();
    }
  };

  return (
    <Dialog
      open
      onClose={close}
      aria-labelledby={TITLE_ID}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {error && (
          <Box mt={2}>
            <ActionError error={error} />
          </Box>
        )}
      </DialogContent>
      {running && (
        <LinearProgress
          aria-label={t('deploymentsTab.actionDialog.inProgress', {
            action: props.confirmLabel,
          })}
        />
      )}
      <DialogActions>
        <Button onClick={close} disabled={running}>
          {t('deploymentsTab.actionDialog.cancel')}
        </Button>
        <Button
          variant="contained"
          color={props.destructive ? 'secondary' : 'primary'}
          onClick={confirm}
          disabled={running || props.confirmDisabled}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
