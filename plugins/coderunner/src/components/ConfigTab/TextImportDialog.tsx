import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  ConfigChange,
  ConfigFormat,
} from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { useImportPreview } from '../../hooks/useConfigRequests';
import { coderunnerTranslationRef } from '../../translation';
import { PreviewList } from './PreviewList';
import { errorTitle } from '../../lib/errorTitle';

/**
 * Imports `.env`, JSON or YAML text into one scope, or (`bulk`) edits the whole scope as
 * `.env` text: the backend previews the change and lists each bad line by number; nothing
 * is saved until the changes are saved.
 */
export function TextImportDialog(props: {
  entityRef: string;
  scope: string;
  bulk?: { initialText: string };
  onAdd: (changes: ConfigChange[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const preview = useImportPreview(props.entityRef);
  const [format, setFormat] = useState<ConfigFormat>('env');
  const [content, setContent] = useState(props.bulk?.initialText ?? '');
  const [secret, setSecret] = useState(false);
  const runPreview = () =>
    preview.run({
      scope: props.scope,
      format: props.bulk ? 'env' : format,
      content,
      secret: secret || undefined,
      mode: props.bulk ? 'replace' : 'merge',
    });
  const changes = preview.value?.changes;

  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="coderunner-import-title"
    >
      <DialogTitle id="coderunner-import-title">
        {props.bulk
          ? t('configTab.importDialog.bulkTitle', { scope: props.scope })
          : t('configTab.importDialog.importTitle', { scope: props.scope })}
      </DialogTitle>
      <DialogContent>
        {props.bulk ? (
          <Typography variant="body2" gutterBottom>
            {t('configTab.importDialog.bulkDescription')}
          </Typography>
        ) : (
          <>
            <TextField
              select
              label={t('configTab.dialogs.format')}
              value={format}
              onChange={e => setFormat(e.target.value as ConfigFormat)}
              margin="dense"
            >
              <MenuItem value="env">.env</MenuItem>
              <MenuItem value="json">JSON</MenuItem>
              <MenuItem value="yaml">YAML</MenuItem>
            </TextField>
            <Button component="label" style={{ marginLeft: 16 }}>
              {t('configTab.importDialog.chooseFile')}
              <input
                type="file"
                hidden
                onChange={async e => {
                  const file = e.target.files?.[0];
                  if (file) setContent(await file.text());
                }}
              />
            </Button>
            <FormControlLabel
              style={{ marginLeft: 16 }}
              control={
                <Switch
                  checked={secret}
                  onChange={e => setSecret(e.target.checked)}
                />
              }
              label={t('configTab.importDialog.asSecrets')}
            />
          </>
        )}
        <TextField
          value={content}
          onChange={e => {
            setContent(e.target.value);
            preview.reset();
          }}
          multiline
          minRows={8}
          fullWidth
          variant="outlined"
          margin="normal"
          placeholder={'DATABASE_URL="postgres://…"\nexport LOG_LEVEL=info'}
          inputProps={{
            'aria-label': t('configTab.importDialog.content'),
            style: { fontFamily: 'monospace' },
          }}
        />
        {preview.error && (
          <Alert severity="error">{errorTitle(preview.error, t)}</Alert>
        )}
        {preview.value && (
          <>
            {preview.value.problems.map(p => (
              <Alert key={`${p.line}-${p.message}`} severity="warning">
                {t('configTab.importDialog.problem', {
                  line: String(p.line),
                  message: p.message,
                })}
              </Alert>
            ))}
            <PreviewList
              entries={preview.value.entries}
              empty={t('configTab.importDialog.nothingChanges')}
            />
            {preview.value.unchanged.length > 0 && (
              <Typography variant="caption">
                {t('configTab.importDialog.unchanged', {
                  names: preview.value.unchanged.join(', '),
                })}
              </Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('configTab.dialogs.cancel')}</Button>
        <Button onClick={runPreview} disabled={!content.trim() && !props.bulk}>
          {t('configTab.importDialog.preview')}
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!changes || changes.length === 0}
          onClick={() => {
            const entries = preview.value!.entries;
            props.onAdd(
              props.bulk
                ? changes!.filter(
                    c =>
                      !('delete' in c) ||
                      !entries.find(e => e.name === c.name)?.secret,
                  )
                : changes!,
            );
            props.onClose();
          }}
        >
          {t('configTab.dialogs.addToChanges', {
            number: String(changes?.length ?? 0),
          })}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
