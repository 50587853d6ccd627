import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ConfigChange } from '@coderunner/plugin-coderunner-common';
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
import {
  useConfigTemplates,
  useTemplatePreview,
} from '../../hooks/useConfigRequests';
import { coderunnerTranslationRef } from '../../translation';
import { PreviewList } from './PreviewList';
import { errorTitle } from '../../lib/errorTitle';

/** Picks a template and previews the variables it would add to a scope. */
export function TemplateDialog(props: {
  entityRef: string;
  scope: string;
  onAdd: (changes: ConfigChange[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const templates = useConfigTemplates();
  const preview = useTemplatePreview(props.entityRef, props.scope);
  const [templateId, setTemplateId] = useState('');
  const template = templates.value?.find(x => x.id === templateId);
  const changes = preview.value?.changes;
  const error = preview.error ?? templates.error;

  const choose = (id: string) => {
    setTemplateId(id);
    return preview.run(id);
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
        {t('configTab.templateDialog.title', { scope: props.scope })}
      </DialogTitle>
      <DialogContent>
        <TextField
          select
          fullWidth
          label={t('configTab.templateDialog.template')}
          value={templateId}
          onChange={e => choose(e.target.value)}
        >
          {(templates.value ?? []).map(x => (
            <MenuItem key={x.id} value={x.id}>
              {x.title}
            </MenuItem>
          ))}
        </TextField>
        {template && (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {t('configTab.templateDialog.description', {
              description: template.description,
              names: template.variables
                .filter(v => v.required)
                .map(v => v.name)
                .join(', '),
            })}
          </Typography>
        )}
        {error && <Alert severity="error">{errorTitle(error, t)}</Alert>}
        {preview.value && (
          <>
            <PreviewList
              entries={preview.value.entries}
              empty={t('configTab.templateDialog.allSet')}
            />
            {preview.value.problems.map(p => (
              <Alert key={p.message} severity="info">
                {t('configTab.templateDialog.fillIn', { problem: p.message })}
              </Alert>
            ))}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('configTab.dialogs.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!changes || changes.length === 0}
          onClick={() => {
            props.onAdd(changes!);
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
