import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import { coderunnerApiRef } from '../../api';
import { useDeploymentAction } from '../../hooks/useDeploymentAction';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { coderunnerTranslationRef } from '../../translation';
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
  const { t } = useTranslationRef(coderunnerTranslationRef);
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
          {t('deploymentsTab.actions.deploy')}
        </PermittedButton>
        <PermittedButton
          permit={permit}
          variant="outlined"
          onClick={props.onRollback}
          disabled={!props.canRollBack}
        >
          {t('deploymentsTab.actions.rollback')}
        </PermittedButton>
        <PermittedButton
          permit={permit}
          variant="outlined"
          onClick={() => setConfirming('restart')}
          disabled={!running || release === undefined}
        >
          {t('deploymentsTab.actions.restart')}
        </PermittedButton>
        {running ? (
          <PermittedButton
            permit={permit}
            variant="outlined"
            onClick={() => setConfirming('stop')}
          >
            {t('deploymentsTab.actions.stop')}
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
                  t('deploymentsTab.actions.startSuccess', { environment }),
                )
                .then(ok => ok && onDone())
            }
          >
            {start.running
              ? t('deploymentsTab.actions.starting')
              : t('deploymentsTab.actions.start')}
          </PermittedButton>
        )}
        <PermittedButton
          permit={permit}
          variant="outlined"
          color="secondary"
          onClick={() => setConfirming('delete')}
        >
          {t('deploymentsTab.actions.delete')}
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
          title={t('deploymentsTab.actions.restartTitle', { environment })}
          confirmLabel={t('deploymentsTab.actions.restart')}
          destructive
          request={() =>
            api.changeDeployment(entityRef, environment, 'restart')
          }
          success={t('deploymentsTab.actions.restartSuccess', { environment })}
          onClose={close}
          onDone={onDone}
        >
          {t('deploymentsTab.actions.restartDescription', {
            release: String(release),
          })}
        </ActionDialog>
      )}
      {confirming === 'stop' && (
        <ActionDialog
          title={t('deploymentsTab.actions.stopTitle', { environment })}
          confirmLabel={t('deploymentsTab.actions.stop')}
          destructive
          request={() => api.changeDeployment(entityRef, environment, 'stop')}
          success={t('deploymentsTab.actions.stopSuccess', { environment })}
          onClose={close}
          onDone={onDone}
        >
          {t('deploymentsTab.actions.stopDescription')}
        </ActionDialog>
      )}
      {confirming === 'delete' && (
        <ActionDialog
          title={t('deploymentsTab.actions.deleteTitle', { environment })}
          confirmLabel={t('deploymentsTab.actions.delete')}
          destructive
          request={() => api.changeDeployment(entityRef, environment, 'delete')}
          success={t('deploymentsTab.actions.deleteSuccess', { environment })}
          onClose={close}
          onDone={onDone}
        >
          {t('deploymentsTab.actions.deleteDescription')}
        </ActionDialog>
      )}
    </>
  );
}
