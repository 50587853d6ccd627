import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ConfigFormat } from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useConfigExport } from '../../hooks/useConfigRequests';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { coderunnerTranslationRef } from '../../translation';
import { errorTitle } from '../../lib/errorTitle';

const EXTENSIONS: Record<ConfigFormat, string> = {
  env: 'env',
  json: 'json',
  yaml: 'yaml',
};

/** Exports a scope; secret values only on request, with the reveal permission, audited. */
export function ExportDialog(props: {
  entityRef: string;
  scope: string;
  /** Whether the user may include secret values (the reveal permission). */
  revealPermit: ActionPermit;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const exported = useConfigExport(props.entityRef, props.scope);
  const [format, setFormat] = useState<ConfigFormat>('env');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const { value: result, error } = exported;
  const download = () => {
    const url = URL.createObjectURL(
      new Blob([result!.content], { type: 'text/plain' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `${props.scope}.${EXTENSIONS[format]}`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="coderunner-export-title"
    >
      <DialogTitle id="coderunner-export-title">
        {t('configTab.exportDialog.title', { scope: props.scope })}
      </DialogTitle>
      <DialogContent>
        <TextField
          select
          label={t('configTab.dialogs.format')}
          value={format}
          onChange={e => {
            setFormat(e.target.value as ConfigFormat);
            exported.reset();
          }}
          margin="dense"
        >
          <MenuItem value="env">.env</MenuItem>
          <MenuItem value="json">JSON</MenuItem>
          <MenuItem value="yaml">YAML</MenuItem>
        </TextField>
        <FormControlLabel
          style={{ marginLeft: 16 }}
          disabled={!props.revealPermit.allowed}
          control={
            <Switch
              checked={includeSecrets}
              onChange={e => {
                setIncludeSecrets(e.target.checked);
                exported.reset();
              }}
            />
          }
          label={
            props.revealPermit.allowed
              ? t('configTab.exportDialog.includeSecrets')
              : t('configTab.exportDialog.includeSecretsRefused', {
                  reason: props.revealPermit.reason,
                })
          }
        />
        {error && <Alert severity="error">{errorTitle(error, t)}</Alert>}
        {result && (
          <>
            {result.omittedSecrets.length > 0 && (
              <Alert severity="info">
                {t('configTab.exportDialog.omittedSecrets', {
                  names: result.omittedSecrets.join(', '),
                })}
              </Alert>
            )}
            <TextField
              value={result.content}
              multiline
              fullWidth
              variant="outlined"
              margin="normal"
              minRows={6}
              InputProps={{
                readOnly: true,
                style: { fontFamily: 'monospace' },
              }}
            />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('configTab.dialogs.close')}</Button>
        <Button onClick={() => exported.run(format, includeSecrets)}>
          {t('configTab.exportDialog.export')}
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!result}
          onClick={download}
        >
          {t('configTab.exportDialog.download')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
