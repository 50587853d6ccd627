import { useApi } from '@backstage/core-plugin-api';
import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { scalingApiRef } from '../../api';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { ActionPermit } from '../../hooks/useEntityPermission';
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
          {status.hold ? 'Change the hold' : 'Set instances'}
        </PermittedButton>
        {status.hold && (
          <PermittedButton
            permit={permit}
            variant="outlined"
            onClick={() => setOpen('release')}
          >
            Release hold
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
                  `Autoscaling of ${environment} resumed`,
                )
              }
            >
              Resume autoscaling
            </PermittedButton>
          ) : (
            <PermittedButton
              permit={permit}
              variant="outlined"
              onClick={() => setOpen('pause')}
            >
              Pause autoscaling
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
          title={`Release the hold on ${environment}?`}
          confirmLabel="Release hold"
          request={async () =>
            onStatus(await api.releaseHold(entityRef, environment))
          }
          success={`Released the hold on ${environment}`}
          onClose={() => setOpen(undefined)}
          onDone={() => {}}
        >
          <Typography variant="body2">
            {status.autoscaling
              ? 'The autoscaler decides the count again from its next tick, within the policy’s bounds.'
              : 'The count goes back to what coderunner.yaml asks for.'}
          </Typography>
        </ActionDialog>
      )}
      {open === 'pause' && (
        <ActionDialog
          title={`Pause autoscaling of ${environment}?`}
          confirmLabel="Pause autoscaling"
          request={async () =>
            onStatus(
              await api.pause(
                entityRef,
                environment,
                pauseReason.trim() || undefined,
              ),
            )
          }
          success={`Autoscaling of ${environment} paused`}
          onClose={() => {
            setOpen(undefined);
            setPauseReason('');
          }}
          onDone={() => {}}
        >
          <Typography variant="body2" paragraph>
            The instance count stays at {status.desiredInstances} until someone
            resumes autoscaling.
          </Typography>
          <TextField
            fullWidth
            variant="outlined"
            id="coderunner-pause-reason"
            label="Reason (optional)"
            value={pauseReason}
            onChange={e => setPauseReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
          />
        </ActionDialog>
      )}
    </>
  );
}
