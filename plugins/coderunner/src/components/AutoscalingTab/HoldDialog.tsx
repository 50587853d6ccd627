import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
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
import { coderunnerTranslationRef } from '../../translation';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';

/**
 * How long a hold lasts in minutes, none for "until released"; each reads as the message
 * `autoscalingTab.holdDialog.expiry.<value>`.
 */
const EXPIRIES = [
  { value: 'none' },
  { value: '15', minutes: 15 },
  { value: '60', minutes: 60 },
  { value: '240', minutes: 240 },
  { value: '1440', minutes: 1440 },
] as const;

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
  const { t } = useTranslationRef(coderunnerTranslationRef);
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
      ? t('autoscalingTab.holdDialog.instancesProblem', {
          max: String(SCALING_LIMITS.maxInstances),
        })
      : undefined;
  const reasonError = !reason.trim()
    ? t('autoscalingTab.holdDialog.reasonProblem')
    : undefined;

  const request = async () => {
    const chosen = EXPIRIES.find(e => e.value === expiry);
    const minutes = chosen && 'minutes' in chosen ? chosen.minutes : undefined;
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
      title={t('autoscalingTab.holdDialog.title', {
        environment: props.environment,
      })}
      confirmLabel={t('autoscalingTab.holdDialog.confirm')}
      confirmDisabled={!!countError || !!reasonError}
      request={request}
      success={t('autoscalingTab.holdDialog.success', {
        environment: props.environment,
        count,
      })}
      onClose={props.onClose}
      onDone={() => {}}
    >
      <Typography variant="body2" paragraph>
        {t('autoscalingTab.holdDialog.description')}
      </Typography>
      <Grid container spacing={2}>
        <Grid item xs={12} sm={4}>
          <TextField
            fullWidth
            variant="outlined"
            type="number"
            id="coderunner-hold-instances"
            label={t('autoscalingTab.holdDialog.instances')}
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
            label={t('autoscalingTab.holdDialog.expires')}
            value={expiry}
            onChange={e => setExpiry(e.target.value)}
          >
            {EXPIRIES.map(e => (
              <MenuItem key={e.value} value={e.value}>
                {t(`autoscalingTab.holdDialog.expiry.${e.value}`)}
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
            label={t('autoscalingTab.holdDialog.reason')}
            placeholder={t('autoscalingTab.holdDialog.reasonPlaceholder')}
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
