import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useRef, useState } from 'react';
import { configApiRef } from '../../api';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';

const TITLE_ID = 'coderunner-revealed-secret-title';

/**
 * Asks before revealing a secret (every reveal is audited), then shows its value until closed.
 */
export function RevealSecretDialog(props: {
  entityRef: string;
  scope: string;
  name: string;
  /** The secret was revealed: the audit trail has a new entry. */
  onRevealed: () => void;
  onClose: () => void;
}) {
  const client = useApi(configApiRef);
  const [value, setValue] = useState<string>();
  // ActionDialog closes itself after its request succeeded: then this dialog shows the value.
  const revealed = useRef(false);

  if (value === undefined) {
    return (
      <ActionDialog
        title={`Reveal ${props.name}`}
        confirmLabel="Reveal"
        request={async () => {
          const secret = await client.reveal(
            props.entityRef,
            props.scope,
            props.name,
          );
          revealed.current = true;
          setValue(secret);
        }}
        onClose={() => {
          if (!revealed.current) props.onClose();
        }}
        onDone={props.onRevealed}
      >
        Show the value of the secret {props.name} in {props.scope}? The reveal
        is recorded in the audit trail.
      </ActionDialog>
    );
  }
  return (
    <Dialog
      open
      onClose={props.onClose}
      aria-labelledby={TITLE_ID}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>{props.name}</DialogTitle>
      <DialogContent>
        <code style={{ wordBreak: 'break-all' }}>{value}</code>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
