import {
  EffectiveScalingPolicy,
  manifestScalingTemplates,
  ScalingPolicyTargets,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { scalingApiRef } from '../../api';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { coderunnerTranslationRef } from '../../translation';
import { ActionError } from '../DeploymentsTab/ActionError';
import {
  fieldsNamedIn,
  formFromPolicy,
  PolicyField,
  PolicyForm,
  policyRequest,
  validatePolicyForm,
} from './policyForm';

const TITLE_ID = 'coderunner-policy-dialog-title';

/**
 * The target fields with their units (`%`, or the message `metricsSection.units.<unit>`); each
 * is named by `…policyDialog.targetLabels.<key>`.
 */
const TARGET_FIELDS: {
  key: keyof ScalingPolicyTargets;
  unit: 'percent' | 'milliseconds' | 'requestsPerSecond';
}[] = [
  { key: 'cpuPercent', unit: 'percent' },
  { key: 'memoryPercent', unit: 'percent' },
  { key: 'p95LatencyMs', unit: 'milliseconds' },
  { key: 'errorRate', unit: 'percent' },
  { key: 'requestsPerSecondPerInstance', unit: 'requestsPerSecond' },
];

/**
 * Edits the environment's policy: template, bounds and targets. Saving stores
 * a new override version; what is wrong is shown at the field, before saving
 * and as the backend answered.
 */
export function PolicyDialog(props: {
  entityRef: string;
  environment: string;
  policy: EffectiveScalingPolicy;
  onSaved: (status: ScalingStatus) => void;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const api = useApi(scalingApiRef);
  const { running, error, run } = useDeploymentAction();
  const [form, setForm] = useState<PolicyForm>(() =>
    formFromPolicy(props.policy),
  );
  const errors = validatePolicyForm(form, t);
  const rejected = new Set(
    error instanceof ResponseError ? fieldsNamedIn(error.cause.message) : [],
  );
  const invalid = Object.keys(errors).length > 0;

  const helper = (field: PolicyField, hint?: string) =>
    errors[field] ??
    (rejected.has(field) ? t('autoscalingTab.policyDialog.refused') : hint);
  const isError = (field: PolicyField) =>
    errors[field] !== undefined || rejected.has(field);

  const save = async () => {
    const ok = await run(async () => {
      props.onSaved(
        await api.savePolicy(
          props.entityRef,
          props.environment,
          policyRequest(form, props.policy),
        ),
      );
    }, t('autoscalingTab.policyDialog.saved', { environment: props.environment }));
    if (ok) props.onClose();
  };

  return (
    <Dialog
      open
      onClose={() => !running && props.onClose()}
      aria-labelledby={TITLE_ID}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={TITLE_ID}>
        {t('autoscalingTab.policyDialog.title', {
          environment: props.environment,
        })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {t('autoscalingTab.policyDialog.description')}
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <TextField
              select
              fullWidth
              variant="outlined"
              id="coderunner-policy-template"
              label={t('autoscalingTab.policyDialog.template')}
              value={form.template}
              onChange={e => setForm({ ...form, template: e.target.value })}
              error={isError('template')}
              helperText={helper(
                'template',
                t('autoscalingTab.policyDialog.templateHelp'),
              )}
            >
              {!props.policy.template && (
                <MenuItem value="">
                  {t('autoscalingTab.policyDialog.noTemplate')}
                </MenuItem>
              )}
              {manifestScalingTemplates.map(name => (
                <MenuItem key={name} value={name}>
                  {name}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={6}>
            <TextField
              fullWidth
              variant="outlined"
              type="number"
              id="coderunner-policy-min"
              label={t('autoscalingTab.policyDialog.minInstances')}
              value={form.minInstances}
              onChange={e => setForm({ ...form, minInstances: e.target.value })}
              inputProps={{ min: 0, step: 1 }}
              error={isError('minInstances')}
              helperText={helper(
                'minInstances',
                t('autoscalingTab.policyDialog.minHelp'),
              )}
            />
          </Grid>
          <Grid item xs={6}>
            <TextField
              fullWidth
              variant="outlined"
              type="number"
              id="coderunner-policy-max"
              label={t('autoscalingTab.policyDialog.maxInstances')}
              value={form.maxInstances}
              onChange={e => setForm({ ...form, maxInstances: e.target.value })}
              inputProps={{ min: 1, step: 1 }}
              error={isError('maxInstances')}
              helperText={helper('maxInstances')}
            />
          </Grid>
          {TARGET_FIELDS.map(field => (
            <Grid item xs={12} sm={6} key={field.key}>
              <TextField
                fullWidth
                variant="outlined"
                type="number"
                id={`coderunner-policy-${field.key}`}
                label={t('autoscalingTab.policyDialog.targetField', {
                  target: t(
                    `autoscalingTab.policyDialog.targetLabels.${field.key}`,
                  ),
                  unit:
                    field.unit === 'percent'
                      ? '%'
                      : t(`metricsSection.units.${field.unit}`),
                })}
                value={form.targets[field.key]}
                onChange={e =>
                  setForm({
                    ...form,
                    targets: { ...form.targets, [field.key]: e.target.value },
                  })
                }
                inputProps={{ min: 0, step: 'any' }}
                error={isError(`targets.${field.key}`)}
                helperText={helper(
                  `targets.${field.key}`,
                  t('autoscalingTab.policyDialog.targetHelp'),
                )}
              />
            </Grid>
          ))}
        </Grid>
        {error && (
          <Box mt={2}>
            <ActionError error={error} />
          </Box>
        )}
      </DialogContent>
      {running && (
        <LinearProgress aria-label={t('autoscalingTab.policyDialog.saving')} />
      )}
      <DialogActions>
        <Button onClick={props.onClose} disabled={running}>
          {t('autoscalingTab.policyDialog.cancel')}
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={save}
          disabled={running || invalid}
        >
          {t('autoscalingTab.policyDialog.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
