import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { scalingApiRef } from '../../api';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { ActionPermit } from '../../hooks/useEntityPermission';
import { coderunnerTranslationRef } from '../../translation';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';
import { ActionError } from '../DeploymentsTab/ActionError';
import { PermittedButton } from '../PermittedButton';
import { HoldDialog } from './HoldDialog';

type Open = 'hold' | 'release' | 'pause' | undefined;

/**
 * The manual controls: hold a count (or release the hold), pause and resume
 * the autoscaler. Each needs `coderunner.scaling.write`.
 */
export function ScalingControls(props: {
  entityRef: string;
  environment: string;
  status: ScalingStatus;
  permit: ActionPermit;
  onStatus: (status: ScalingStatus) => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environment, status, permit, onStatus } = props;
  const api = useApi(scalingApiRef);
  const [open, setOpen] = useState<Open>();
  const [pauseReason, setPauseReason] = useState('');
  const resume = useDeploymentAction();

  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <PermittedButton
          permit={permit}
          variant="outlined"
          color="primary"
          onClick={() => setOpen('hold')}
        >
          {status.hold
            ? t('autoscalingTab.controls.changeHold')
            : t('autoscalingTab.controls.setInstances')}
        </PermittedButton>
        {status.hold && (
          <PermittedButton
            permit={permit}
            variant="outlined"
            onClick={() => setOpen('release')}
          >
            {t('autoscalingTab.controls.releaseHold')}
          </PermittedButton>
        )}
        {status.autoscaling &&
          (status.paused ? (
            <PermittedButton
              permit={permit}
              variant="outlined"
              disabled={resume.running}
              onClick={() =>
                resume.run(
                  async () =>
                    onStatus(await api.resume(entityRef, environment)),
                  t('autoscalingTab.controls.resumed', { environment }),
                )
              }
            >
              {t('autoscalingTab.controls.resume')}
            </PermittedButton>
          ) : (
            <PermittedButton
              permit={permit}
              variant="outlined"
              onClick={() => setOpen('pause')}
            >
              {t('autoscalingTab.controls.pause')}
            </PermittedButton>
          ))}
      </Box>
      {resume.error && (
        <Box mt={1}>
          <ActionError error={resume.error} />
        </Box>
      )}
      {open === 'hold' && (
        <HoldDialog
          entityRef={entityRef}
          environment={environment}
          status={status}
          onDone={onStatus}
          onClose={() => setOpen(undefined)}
        />
      )}
      {open === 'release' && (
        <ActionDialog
          title={t('autoscalingTab.controls.releaseTitle', { environment })}
          confirmLabel={t('autoscalingTab.controls.releaseHold')}
          request={async () =>
            onStatus(await api.releaseHold(entityRef, environment))
          }
          success={t('autoscalingTab.controls.released', { environment })}
          onClose={() => setOpen(undefined)}
          onDone={() => {}}
        >
          <Typography variant="body2">
            {status.autoscaling
              ? t('autoscalingTab.controls.releaseToAutoscaler')
              : t('autoscalingTab.controls.releaseToManifest')}
          </Typography>
        </ActionDialog>
      )}
      {open === 'pause' && (
        <ActionDialog
          title={t('autoscalingTab.controls.pauseTitle', { environment })}
          confirmLabel={t('autoscalingTab.controls.pause')}
          request={async () =>
            onStatus(
              await api.pause(
                entityRef,
                environment,
                pauseReason.trim() || undefined,
              ),
            )
          }
          success={t('autoscalingTab.controls.paused', { environment })}
          onClose={() => {
            setOpen(undefined);
            setPauseReason('');
          }}
          onDone={() => {}}
        >
          <Typography variant="body2" paragraph>
            {t('autoscalingTab.controls.pauseDescription', {
              instances: String(status.desiredInstances),
            })}
          </Typography>
          <TextField
            fullWidth
            variant="outlined"
            id="coderunner-pause-reason"
            label={t('autoscalingTab.controls.pauseReason')}
            value={pauseReason}
            onChange={e => setPauseReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
          />
        </ActionDialog>
      )}
    </>
  );
}
