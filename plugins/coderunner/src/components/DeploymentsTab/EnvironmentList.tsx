import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import Grid from '@material-ui/core/Grid';
import { useDeployments } from '../../hooks/useDeployments';
import { errorTitle } from '../../lib/errorTitle';
import { coderunnerTranslationRef } from '../../translation';
import { EnvironmentCard } from './EnvironmentCard';

/** A card per environment on offer, deployed or not, kept current by signals. */
export function EnvironmentList(props: { setup: EntitySetup }) {
  const { entityRef, environments } = props.setup;
  const { deployments, error, refresh, revision } = useDeployments(entityRef);
  const { t } = useTranslationRef(coderunnerTranslationRef);
  if (!deployments) {
    return error ? (
      <ResponseErrorPanel error={error} title={errorTitle(error, t)} />
    ) : (
      <Progress />
    );
  }
  const extra = deployments
    .map(d => d.environment)
    .filter(environment => !environments.includes(environment));
  return (
    <Grid container spacing={3}>
      {[...environments, ...extra].map(environment => (
        <Grid item xs={12} key={environment}>
          <EnvironmentCard
            entityRef={entityRef}
            environment={environment}
            deployment={deployments.find(d => d.environment === environment)}
            revision={revision}
            onChanged={refresh}
          />
        </Grid>
      ))}
    </Grid>
  );
}
