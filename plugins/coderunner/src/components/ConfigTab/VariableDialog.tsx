import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  checkVariableName,
  checkVariableValue,
  ConfigChange,
} from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { coderunnerTranslationRef } from '../../translation';

/**
 * Adds or edits one variable, checking the name and value as they are typed. A secret's
 * value is write-only: the field starts empty and shows dots.
 */
export function VariableDialog(props: {
  scope: string;
  existing?: { name: string; secret: boolean; value?: string };
  takenNames: string[];
  onSave: (change: ConfigChange) => void;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { existing } = props;
  const [name, setName] = useState(existing?.name ?? '');
  const [value, setValue] = useState(
    existing?.secret ? '' : existing?.value ?? '',
  );
  const [secret, setSecret] = useState(existing?.secret ?? false);
  const nameProblem =
    name === ''
      ? undefined
      : checkVariableName(name) ??
        (!existing && props.takenNames.includes(name)
          ? t('configTab.variableDialog.nameTaken', { name })
          : undefined);
  const valueProblem = checkVariableValue(value);
  const keepsSecret = Boolean(existing?.secret && secret && value === '');
  let valueHelp = ' ';
  if (secret) {
    valueHelp = existing?.secret
      ? t('configTab.variableDialog.replaceSecretHelp')
      : t('configTab.variableDialog.newSecretHelp');
  }
  const canSave = name !== '' && !nameProblem && !valueProblem && !keepsSecret;

  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="coderunner-variable-title"
    >
      <DialogTitle id="coderunner-variable-title">
        {existing
          ? t('configTab.variableDialog.editTitle', {
              name: existing.name,
              scope: props.scope,
            })
          : t('configTab.variableDialog.addTitle', { scope: props.scope })}
      </DialogTitle>
      <DialogContent>
        <TextField
          label={t('configTab.variableDialog.name')}
          value={name}
          disabled={Boolean(existing)}
          onChange={e => setName(e.target.value.trim())}
          error={Boolean(nameProblem)}
          helperText={nameProblem ?? t('configTab.variableDialog.nameHelp')}
          fullWidth
          margin="normal"
          inputProps={{ 'aria-label': t('configTab.variableDialog.name') }}
        />
        <TextField
          label={
            secret
              ? t('configTab.variableDialog.secretValue')
              : t('configTab.variableDialog.value')
          }
          value={value}
          type={secret ? 'password' : 'text'}
          onChange={e => setValue(e.target.value)}
          error={Boolean(valueProblem)}
          helperText={valueProblem ?? valueHelp}
          fullWidth
          margin="normal"
          multiline={!secret}
          inputProps={{ 'aria-label': t('configTab.variableDialog.value') }}
        />
        <FormControlLabel
          control={
            <Switch
              checked={secret}
              onChange={e => setSecret(e.target.checked)}
              color="primary"
            />
          }
          label={t('configTab.variableDialog.secret')}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('configTab.dialogs.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!canSave}
          onClick={() => {
            props.onSave({ scope: props.scope, name, value, secret });
            props.onClose();
          }}
        >
          {t('configTab.variableDialog.addToChanges')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
