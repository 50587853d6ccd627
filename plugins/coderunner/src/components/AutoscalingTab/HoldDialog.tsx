import { useApi } from '@backstage/core-plugin-api';
import {
  SCALING_LIMITS,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { scalingApiRef } from '../../api';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';

/** How long a hold lasts; minutes, none for "until released". */
const EXPIRIES: { value: string; label: string; minutes?: number }[] = [
  { value: 'none', label: 'Until released' },
  { value: '15', label: '15 minutes', minutes: 15 },
  { value: '60', label: '1 hour', minutes: 60 },
  { value: '240', label: '4 hours', minutes: 240 },
  { value: '1440', label: '24 hours', minutes: 1440 },
];

/**
 * Holds the instance count by hand, with a reason and an optional expiry:
 * takes effect in seconds, without a rebuild or a new release.
 */
export function HoldDialog(props: {
  entityRef: string;
  environment: string;
  status: ScalingStatus;
  onDone: (status: ScalingStatus) => void;
  onClose: () => void;
}) {
  const api = useApi(scalingApiRef);
  const [instances, setInstances] = useState(
    String(props.status.hold?.instances ?? props.status.desiredInstances),
  );
  const [reason, setReason] = useState('');
  const [expiry, setExpiry] = useState('60');
  const count = Number(instances);
  const countError =
    instances.trim() === '' ||
    !Number.isInteger(count) ||
    count < 0 ||
    count > SCALING_LIMITS.maxInstances
      ? `Enter a whole number from 0 to ${SCALING_LIMITS.maxInstances}`
      : undefined;
  const reasonError = !reason.trim()
    ? 'Say why, for the history and the audit log'
    : undefined;

  const request = async () => {
    const minutes = EXPIRIES.find(e => e.value === expiry)?.minutes;
    props.onDone(
      await api.hold(props.entityRef, props.environment, {
        instances: count,
        reason: reason.trim(),
        ...(minutes && {
          expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
        }),
      }),
    );
  };

  return (
    <ActionDialog
      title={`Set the instance count of ${props.environment}`}
      confirmLabel="Hold this count"
      confirmDisabled={!!countError || !!reasonError}
      request={request}
      success={`Holding ${props.environment} at ${count} instance${
        count === 1 ? '' : 's'
      }`}
      onClose={props.onClose}
      onDone={() => {}}
    >
      <Typography variant="body2" paragraph>
        The autoscaler keeps this count until the hold expires or someone
        releases it, and says so in every decision. Instances start from the
        active release; nothing is rebuilt.
      </Typography>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={4}>
          <TextField
            fullWidth
            variant="outlined"
            type="number"
            id="coderunner-hold-instances"
            label="Instances"
            value={instances}
            onChange={e => setInstances(e.target.value)}
            inputProps={{ min: 0, max: SCALING_LIMITS.maxInstances, step: 1 }}
            error={!!countError}
            helperText={countError}
          />
        </Grid>
        <Grid item xs={12} sm={8}>
          <TextField
            select
            fullWidth
            variant="outlined"
            id="coderunner-hold-expires"
            label="Expires"
            value={expiry}
            onChange={e => setExpiry(e.target.value)}
          >
            {EXPIRIES.map(e => (
              <MenuItem key={e.value} value={e.value}>
                {e.label}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12}>
          <TextField
            fullWidth
            required
            variant="outlined"
            id="coderunner-hold-reason"
            label="Reason"
            placeholder="e.g. Launch at 14:00, keep 4 warm"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: SCALING_LIMITS.reasonLength }}
            error={!!reason && !!reasonError}
            helperText={reasonError}
          />
        </Grid>
      </Grid>
    </ActionDialog>
  );
}
