import { useApi } from '@backstage/core-plugin-api';
import {
  ConfigChange,
  ConfigPreview,
} from '@coderunner/plugin-coderunner-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { configApiRef } from '../../api';
import { PreviewList } from './PreviewList';

/** Picks a template and previews the variables it would add to a scope. */
export function TemplateDialog(props: {
  entityRef: string;
  scope: string;
  onAdd: (changes: ConfigChange[]) => void;
  onClose: () => void;
}) {
  const client = useApi(configApiRef);
  const templates = useAsync(() => client.listTemplates(), [client]);
  const [templateId, setTemplateId] = useState('');
  const [preview, setPreview] = useState<ConfigPreview>();
  const [error, setError] = useState<Error>();
  const template = templates.value?.find(t => t.id === templateId);

  const choose = async (id: string) => {
    setTemplateId(id);
    setPreview(undefined);
    setError(undefined);
    try {
      setPreview(
        await client.previewTemplate(props.entityRef, id, props.scope),
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
      maxWidth="sm"
      aria-labelledby="coderunner-template-title"
    >
      <DialogTitle id="coderunner-template-title">
        Apply a template to {props.scope}
      </DialogTitle>
      <DialogContent>
        <TextField
          select
          fullWidth
          label="Template"
          value={templateId}
          onChange={e => choose(e.target.value)}
        >
          {(templates.value ?? []).map(t => (
            <MenuItem key={t.id} value={t.id}>
              {t.title}
            </MenuItem>
          ))}
        </TextField>
        {template && (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {template.description} Required:{' '}
            {template.variables
              .filter(v => v.required)
              .map(v => v.name)
              .join(', ')}
            .
          </Typography>
        )}
        {(error ?? templates.error) && (
          <Alert severity="error">{(error ?? templates.error)!.message}</Alert>
        )}
        {preview && (
          <>
            <PreviewList
              entries={preview.entries}
              empty="Every variable of this template is already set."
            />
            {preview.problems.map(p => (
              <Alert key={p.message} severity="info">
                {p.message} — fill it in after adding.
              </Alert>
            ))}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!preview || preview.changes.length === 0}
          onClick={() => {
            props.onAdd(preview!.changes);
            props.onClose();
          }}
        >
          Add {preview?.changes.length ?? 0} to changes
        </Button>
      </DialogActions>
    </Dialog>
  );
}
