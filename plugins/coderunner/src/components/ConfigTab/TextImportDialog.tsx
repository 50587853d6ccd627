import { useApi } from '@backstage/core-plugin-api';
import {
  ConfigChange,
  ConfigFormat,
  ConfigPreview,
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
import { configApiRef } from '../../api';
import { PreviewList } from './PreviewList';

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
  const client = useApi(configApiRef);
  const [format, setFormat] = useState<ConfigFormat>('env');
  const [content, setContent] = useState(props.bulk?.initialText ?? '');
  const [secret, setSecret] = useState(false);
  const [preview, setPreview] = useState<ConfigPreview>();
  const [error, setError] = useState<Error>();

  const runPreview = async () => {
    setError(undefined);
    try {
      setPreview(
        await client.previewImport(props.entityRef, {
          scope: props.scope,
          format: props.bulk ? 'env' : format,
          content,
          secret: secret || undefined,
          mode: props.bulk ? 'replace' : 'merge',
        }),
      );
    } catch (e) {
      setError(e as Error);
    }
  };

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
          ? `Edit ${props.scope} as .env`
          : `Import into ${props.scope}`}
      </DialogTitle>
      <DialogContent>
        {props.bulk ? (
          <Typography variant="body2" gutterBottom>
            Plain variables are listed with their values. Secrets are not shown:
            a line for one replaces its value, and removing a secret needs a
            delete in the table.
          </Typography>
        ) : (
          <>
            <TextField
              select
              label="Format"
              value={format}
              onChange={e => setFormat(e.target.value as ConfigFormat)}
              margin="dense"
            >
              <MenuItem value="env">.env</MenuItem>
              <MenuItem value="json">JSON</MenuItem>
              <MenuItem value="yaml">YAML</MenuItem>
            </TextField>
            <Button component="label" style={{ marginLeft: 16 }}>
              Choose a file
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
              label="Import as secrets"
            />
          </>
        )}
        <TextField
          value={content}
          onChange={e => {
            setContent(e.target.value);
            setPreview(undefined);
          }}
          multiline
          minRows={8}
          fullWidth
          variant="outlined"
          margin="normal"
          placeholder={'DATABASE_URL="postgres://…"\nexport LOG_LEVEL=info'}
          inputProps={{
            'aria-label': 'Content',
            style: { fontFamily: 'monospace' },
          }}
        />
        {error && <Alert severity="error">{error.message}</Alert>}
        {preview && (
          <>
            {preview.problems.map(p => (
              <Alert key={`${p.line}-${p.message}`} severity="warning">
                Line {p.line}: {p.message}
              </Alert>
            ))}
            <PreviewList
              entries={preview.entries}
              empty="Nothing would change."
            />
            {preview.unchanged.length > 0 && (
              <Typography variant="caption">
                Unchanged: {preview.unchanged.join(', ')}
              </Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button onClick={runPreview} disabled={!content.trim() && !props.bulk}>
          Preview
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!preview || preview.changes.length === 0}
          onClick={() => {
            props.onAdd(
              props.bulk
                ? preview!.changes.filter(
                    c =>
                      !('delete' in c) ||
                      !preview!.entries.find(e => e.name === c.name)?.secret,
                  )
                : preview!.changes,
            );
            props.onClose();
          }}
        >
          Add {preview?.changes.length ?? 0} to changes
        </Button>
      </DialogActions>
    </Dialog>
  );
}
