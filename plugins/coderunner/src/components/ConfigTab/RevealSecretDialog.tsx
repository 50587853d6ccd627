import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useRef, useState } from 'react';
import { useConfigMutations } from '../../hooks/useConfigRequests';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { reveal } = useConfigMutations(props.entityRef);
  const [value, setValue] = useState<string>();
  // ActionDialog closes itself after its request succeeded: then this dialog shows the value.
  const revealed = useRef(false);

  if (value === undefined) {
    return (
      <ActionDialog
        title={t('configTab.revealDialog.title', { name: props.name })}
        confirmLabel={t('configTab.revealDialog.confirm')}
        request={async () => {
          const secret = await reveal(props.scope, props.name);
          revealed.current = true;
          setValue(secret);
        }}
        onClose={() => {
          if (!revealed.current) props.onClose();
        }}
        onDone={props.onRevealed}
      >
        {t('configTab.revealDialog.question', {
          name: props.name,
          scope: props.scope,
        })}
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
        <Button onClick={props.onClose}>{t('configTab.dialogs.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
