import {
  EffectiveScalingPolicy,
  manifestScalingTemplates,
  ScalingPolicyTargets,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { useApi } from '@backstage/core-plugin-api';
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

const TARGET_FIELDS: {
  key: keyof ScalingPolicyTargets;
  label: string;
  unit: string;
}[] = [
  { key: 'cpuPercent', label: 'CPU target', unit: '%' },
  { key: 'memoryPercent', label: 'Memory target', unit: '%' },
  { key: 'p95LatencyMs', label: 'p95 latency target', unit: 'ms' },
  { key: 'errorRate', label: 'Error rate target', unit: '%' },
  {
    key: 'requestsPerSecondPerInstance',
    label: 'Requests per instance target',
    unit: 'req/s',
  },
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
  const api = useApi(scalingApiRef);
  const { running, error, run } = useDeploymentAction();
  const [form, setForm] = useState<PolicyForm>(() =>
    formFromPolicy(props.policy),
  );
  const errors = validatePolicyForm(form);
  const rejected = new Set(
    error instanceof ResponseError ? fieldsNamedIn(error.cause.message) : [],
  );
  const invalid = Object.keys(errors).length > 0;

  const helper = (field: PolicyField, hint?: string) =>
    errors[field] ??
    (rejected.has(field) ? 'The backend refused this value (below)' : hint);
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
    }, `Saved the scaling policy of ${props.environment}`);
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
        Scaling policy of {props.environment}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Saving keeps these values as an override of coderunner.yaml (a new
          version, audited). The autoscaler uses them from its next decision,
          without a rebuild. Targets you change replace the template’s as a set:
          the filled-in ones apply.
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <TextField
              select
              fullWidth
              variant="outlined"
              id="coderunner-policy-template"
              label="Template"
              value={form.template}
              onChange={e => setForm({ ...form, template: e.target.value })}
              error={isError('template')}
              helperText={helper(
                'template',
                'Sets the windows and the targets you leave empty',
              )}
            >
              {!props.policy.template && (
                <MenuItem value="">
                  None (the count only changes by hand)
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
              label="Minimum instances"
              value={form.minInstances}
              onChange={e => setForm({ ...form, minInstances: e.target.value })}
              inputProps={{ min: 0, step: 1 }}
              error={isError('minInstances')}
              helperText={helper('minInstances', '0 allows scaling to zero')}
            />
          </Grid>
          <Grid item xs={6}>
            <TextField
              fullWidth
              variant="outlined"
              type="number"
              id="coderunner-policy-max"
              label="Maximum instances"
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
                label={`${field.label} (${field.unit})`}
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
                  'Empty: no target on this metric',
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
      {running && <LinearProgress aria-label="Saving the policy" />}
      <DialogActions>
        <Button onClick={props.onClose} disabled={running}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={save}
          disabled={running || invalid}
        >
          Save policy
        </Button>
      </DialogActions>
    </Dialog>
  );
}
