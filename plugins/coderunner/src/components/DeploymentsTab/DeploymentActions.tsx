import { useApi } from '@backstage/core-plugin-api';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { PermittedButton } from '../PermittedButton';
import { ActionDialog } from './ActionDialog';
import { ActionError } from './ActionError';
import { DeployDialog } from './DeployDialog';

type Confirming = 'deploy' | 'restart' | 'stop' | 'delete';

/**
 * The buttons of a deployed environment: Deploy, Rollback, Restart,
 * Stop or Start, Delete. Each destructive one asks first; all of them need
 * the deploy permission on the entity.
 */
export function DeploymentActions(props: {
  entityRef: string;
  deployment: Deployment;
  /** Whether there is an earlier built release to roll back to. */
  canRollBack: boolean;
  onRollback: () => void;
  onDone: () => void;
}) {
  const { entityRef, deployment, onDone } = props;
  const { environment } = deployment;
  const api = useApi(coderunnerApiRef);
  const start = useDeploymentAction();
  const permit = useEntityPermission('deploy', entityRef);
  const [confirming, setConfirming] = useState<Confirming>();
  const close = () => setConfirming(undefined);
  const running = deployment.desiredState === 'running';
  const release = deployment.activeRelease?.number;

  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <PermittedButton
          permit={permit}
          variant="contained"
          color="primary"
          onClick={() => setConfirming('deploy')}
        >
          Deploy
        </PermittedButton>
        <PermittedButton
          permit={permit}
          variant="outlined"
          onClick={props.onRollback}
          disabled={!props.canRollBack}
        >
          Rollback
        </PermittedButton>
        <PermittedButton
          permit={permit}
          variant="outlined"
          onClick={() => setConfirming('restart')}
          disabled={!running || release === undefined}
        >
          Restart
        </PermittedButton>
        {running ? (
          <PermittedButton
            permit={permit}
            variant="outlined"
            onClick={() => setConfirming('stop')}
          >
            Stop
          </PermittedButton>
        ) : (
          <PermittedButton
            permit={permit}
            variant="outlined"
            disabled={start.running}
            onClick={() =>
              start
                .run(
                  () => api.changeDeployment(entityRef, environment, 'start'),
                  `Starting ${environment}`,
                )
                .then(ok => ok && onDone())
            }
          >
            {start.running ? 'Starting…' : 'Start'}
          </PermittedButton>
        )}
        <PermittedButton
          permit={permit}
          variant="outlined"
          color="secondary"
          onClick={() => setConfirming('delete')}
        >
          Delete
        </PermittedButton>
      </Box>
      {start.error && (
        <Box mt={2}>
          <ActionError error={start.error} />
        </Box>
      )}

      {confirming === 'deploy' && (
        <DeployDialog
          entityRef={entityRef}
          environment={environment}
          deployment={deployment}
          onClose={close}
          onDone={onDone}
        />
      )}
      {confirming === 'restart' && (
        <ActionDialog
          title={`Restart ${environment}`}
          confirmLabel="Restart"
          destructive
          request={() =>
            api.changeDeployment(entityRef, environment, 'restart')
          }
          success={`Restarting ${environment}`}
          onClose={close}
          onDone={onDone}
        >
          Starts fresh instances of release {release}, switches the URL to them
          once they are ready and then stops the current ones.
        </ActionDialog>
      )}
      {confirming === 'stop' && (
        <ActionDialog
          title={`Stop ${environment}`}
          confirmLabel="Stop"
          destructive
          request={() => api.changeDeployment(entityRef, environment, 'stop')}
          success={`Stopping ${environment}`}
          onClose={close}
          onDone={onDone}
        >
          Stops every instance. The URL answers 503 until you start the
          deployment again; releases and configuration are kept.
        </ActionDialog>
      )}
      {confirming === 'delete' && (
        <ActionDialog
          title={`Delete the ${environment} deployment`}
          confirmLabel="Delete"
          destructive
          request={() => api.changeDeployment(entityRef, environment, 'delete')}
          success={`Deleting the ${environment} deployment`}
          onClose={close}
          onDone={onDone}
        >
          Stops every instance and removes the deployment; its URL stops
          answering. Deploy again to bring it back.
        </ActionDialog>
      )}
    </>
  );
}
