import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { scalingApiRef } from '../../api';
import { useDeploymentsTabLink } from '../../hooks/useDeploymentsTabLink';
import { useEntityPermission } from '../../hooks/useEntityPermission';
import { useScaling } from '../../hooks/useScaling';
import { useScalingDecisions } from '../../hooks/useScalingDecisions';
import { errorTitle } from '../../lib/errorTitle';
import { formatWhen } from '../../lib/formatWhen';
import { coderunnerTranslationRef } from '../../translation';
import { ActionDialog } from '../DeploymentsTab/ActionDialog';
import { ConnectionIndicator } from '../LogsTab/ConnectionIndicator';
import { PermittedButton } from '../PermittedButton';
import { DecisionTimeline, TimelineFilter } from './DecisionTimeline';
import { InstanceCounts } from './InstanceCounts';
import { PolicyDialog } from './PolicyDialog';
import { PolicyTable } from './PolicyTable';
import { ScalingCharts } from './ScalingCharts';
import { ScalingControls } from './ScalingControls';
import { ScalingMissingState } from './ScalingMissingState';
import { ScalingNotices } from './ScalingNotices';

/**
 * The autoscaling of one environment: instance counts, notices, manual
 * controls, the effective policy, the charts and the decision history, all
 * kept current by the stream.
 */
export function EnvironmentScaling(props: {
  entityRef: string;
  environment: string;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environment } = props;
  const api = useApi(scalingApiRef);
  const scaling = useScaling(entityRef, environment);
  const permit = useEntityPermission('scalingWrite', entityRef);
  const deploymentsTab = useDeploymentsTabLink();
  const [filter, setFilter] = useState<TimelineFilter>({
    changedOnly: true,
    cause: 'all',
  });
  const decisions = useScalingDecisions(
    entityRef,
    environment,
    filter.changedOnly,
    scaling.liveDecisions,
  );
  const [dialog, setDialog] = useState<'policy' | 'reset'>();
  const { status } = scaling;

  if (scaling.loading) return <Progress />;
  if (scaling.notDeployed) {
    return (
      <EmptyState
        missing="content"
        title={t('autoscalingTab.notDeployed.title', { environment })}
        description={t('autoscalingTab.notDeployed.description', {
          environment,
        })}
        action={
          deploymentsTab ? (
            <Button variant="contained" color="primary" href={deploymentsTab}>
              {t('autoscalingTab.notDeployed.openDeploymentsTab')}
            </Button>
          ) : undefined
        }
      />
    );
  }
  if (!status) {
    return scaling.error ? (
      <ResponseErrorPanel
        error={scaling.error}
        title={errorTitle(scaling.error, t)}
      />
    ) : null;
  }
  const override = status.policy.sources.override;

  return (
    <Grid container spacing={3} data-testid="coderunner-scaling-environment">
      {scaling.error && (
        <Grid item xs={12}>
          <ResponseErrorPanel
            error={scaling.error}
            title={errorTitle(scaling.error, t)}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title={t('autoscalingTab.instancesTitle')}
          action={
            <Box p={1}>
              <ConnectionIndicator state={scaling.connection} />
            </Box>
          }
        >
          <InstanceCounts status={status} />
          <Box my={2}>
            <ScalingNotices status={status} />
          </Box>
          <ScalingControls
            entityRef={entityRef}
            environment={environment}
            status={status}
            permit={permit}
            onStatus={scaling.setStatus}
          />
        </InfoCard>
      </Grid>
      {!status.autoscaling && (
        <Grid item xs={12}>
          <ScalingMissingState />
        </Grid>
      )}
      <Grid item xs={12} md={status.autoscaling ? 5 : 12}>
        <InfoCard
          title={t('autoscalingTab.policy.title')}
          subheader={
            override
              ? t('autoscalingTab.policy.override', {
                  version: String(override.version),
                  when: formatWhen(override.at, t),
                })
              : t('autoscalingTab.policy.fromManifest')
          }
        >
          <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2}>
            <PermittedButton
              permit={permit}
              variant="outlined"
              color="primary"
              onClick={() => setDialog('policy')}
            >
              {t('autoscalingTab.policy.edit')}
            </PermittedButton>
            {override && Object.keys(override.values).length > 0 && (
              <PermittedButton
                permit={permit}
                variant="outlined"
                onClick={() => setDialog('reset')}
              >
                {t('autoscalingTab.policy.reset')}
              </PermittedButton>
            )}
          </Box>
          <Box style={{ overflowX: 'auto' }}>
            <PolicyTable policy={status.policy} />
          </Box>
        </InfoCard>
      </Grid>
      {status.autoscaling && (
        <Grid item xs={12} md={7}>
          <InfoCard>
            <DecisionTimeline
              state={decisions}
              filter={filter}
              onFilter={setFilter}
            />
          </InfoCard>
        </Grid>
      )}
      {status.autoscaling && (
        <Grid item xs={12}>
          <InfoCard>
            <ScalingCharts
              entityRef={entityRef}
              environment={environment}
              targets={status.policy.targets}
              decisions={decisions.decisions}
              refreshOn={
                scaling.connection === 'live'
                  ? scaling.liveDecisions[0]?.id ?? 'live'
                  : undefined
              }
            />
          </InfoCard>
        </Grid>
      )}
      {dialog === 'policy' && (
        <PolicyDialog
          entityRef={entityRef}
          environment={environment}
          policy={status.policy}
          onSaved={scaling.setStatus}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'reset' && (
        <ActionDialog
          title={t('autoscalingTab.policy.resetTitle', { environment })}
          confirmLabel={t('autoscalingTab.policy.reset')}
          destructive
          request={async () =>
            scaling.setStatus(await api.resetPolicy(entityRef, environment))
          }
          success={t('autoscalingTab.policy.resetSuccess', { environment })}
          onClose={() => setDialog(undefined)}
          onDone={() => {}}
        >
          <Typography variant="body2">
            {t('autoscalingTab.policy.resetDescription', {
              version: String(override?.version),
            })}
          </Typography>
        </ActionDialog>
      )}
    </Grid>
  );
}
