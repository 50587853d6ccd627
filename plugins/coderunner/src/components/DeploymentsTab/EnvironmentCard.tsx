import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { lazy, Suspense, useState } from 'react';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { useReleases } from '../../hooks/useReleases';
import { coderunnerTranslationRef } from '../../translation';
import { DeploymentStatusLabel } from '../StatusLabel';
import { BuildLogDialog } from './BuildLogDialog';
import { DeploymentActions } from './DeploymentActions';
import { DeploymentSummary } from './DeploymentSummary';
import { EnvironmentCost } from './EnvironmentCost';
import { MetricsSection } from '../MetricsSection';
import { InstanceTable } from './InstanceTable';
import { NotDeployedState } from './NotDeployedState';
import { ReleaseHistory } from './ReleaseHistory';
import { RollbackDialog } from './RollbackDialog';
import { rollbackCandidates } from './rollbackCandidates';

// xterm.js loads when a terminal is first opened, not with the tab.
const TerminalDialog = lazy(() =>
  import('./TerminalDialog').then(m => ({ default: m.TerminalDialog })),
);

/** One environment of the component: its deployment, or how to make the first one. */
export function EnvironmentCard(props: {
  entityRef: string;
  environment: string;
  deployment?: Deployment;
  /** From {@link useDeployments}: re-reads the releases when it changes. */
  revision: number;
  onChanged: () => void;
}) {
  const { entityRef, environment, deployment, onChanged } = props;
  return (
    <div data-testid={`coderunner-environment-${environment}`}>
      <InfoCard
        title={
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            <span>{environment}</span>
            {deployment && (
              <Typography
                variant="body1"
                component="span"
                data-testid="coderunner-deployment-status"
              >
                <DeploymentStatusLabel status={deployment.status} />
              </Typography>
            )}
          </Box>
        }
      >
        {deployment ? (
          <DeployedEnvironment
            entityRef={entityRef}
            deployment={deployment}
            revision={props.revision}
            onChanged={onChanged}
          />
        ) : (
          <NotDeployedState
            entityRef={entityRef}
            environment={environment}
            onDone={onChanged}
          />
        )}
      </InfoCard>
    </div>
  );
}

function DeployedEnvironment(props: {
  entityRef: string;
  deployment: Deployment;
  revision: number;
  onChanged: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, deployment, onChanged } = props;
  const { environment } = deployment;
  const { releases } = useReleases(entityRef, environment, props.revision);
  const candidates = rollbackCandidates(releases, deployment);
  const [rollback, setRollback] = useState<{ number?: number }>();
  const [buildLog, setBuildLog] = useState<Release>();
  const rollbackPermit = useEntityPermission('deploy', entityRef);
  // Without the permission there is no terminal button at all.
  const execPermit = useEntityPermission('exec', entityRef);
  const [terminal, setTerminal] = useState<string>();

  return (
    <>
      <DeploymentSummary deployment={deployment} />
      <EnvironmentCost
        entityRef={entityRef}
        environment={environment}
        revision={props.revision}
      />
      <Box my={2}>
        <DeploymentActions
          entityRef={entityRef}
          deployment={deployment}
          canRollBack={candidates.length > 0}
          onRollback={() => setRollback({})}
          onDone={onChanged}
        />
      </Box>
      <Typography variant="subtitle2" gutterBottom>
        {t('deploymentsTab.instancesHeading')}
      </Typography>
      <InstanceTable
        instances={deployment.instances}
        onOpenTerminal={
          execPermit.allowed ? instance => setTerminal(instance.id) : undefined
        }
      />
      <Box mt={2}>
        <MetricsSection
          entityRef={entityRef}
          deployment={deployment}
          releases={releases ?? []}
        />
      </Box>
      <Box mt={2}>
        <ReleaseHistory
          deployment={deployment}
          releases={releases ?? []}
          rollbackPermit={rollbackPermit}
          onRollback={release => setRollback({ number: release.number })}
          onShowBuildLog={setBuildLog}
        />
      </Box>
      {rollback && (
        <RollbackDialog
          entityRef={entityRef}
          environment={environment}
          candidates={candidates}
          initialNumber={rollback.number}
          onClose={() => setRollback(undefined)}
          onDone={onChanged}
        />
      )}
      {terminal && (
        <Suspense fallback={null}>
          <TerminalDialog
            entityRef={entityRef}
            environment={environment}
            instanceId={terminal}
            onClose={() => setTerminal(undefined)}
          />
        </Suspense>
      )}
      {buildLog && (
        <BuildLogDialog
          entityRef={entityRef}
          environment={environment}
          release={buildLog}
          onClose={() => setBuildLog(undefined)}
        />
      )}
    </>
  );
}
