import { useApi } from '@backstage/core-plugin-api';
import { Instance, Release } from '@coderunner/plugin-coderunner-common';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../api';

/**
 * What the Logs tab's instance and release filters offer for one environment: its deployment's
 * instances and its releases. Read again whenever `connection` changes (a reconnect may follow
 * a new release), and the releases whenever the deployment does.
 */
export function useLogSources(
  entityRef: string,
  environment: string,
  connection: string,
): { instances: Instance[]; releases: Release[] } {
  const api = useApi(coderunnerApiRef);
  const deployment = useAsync(async () => {
    const deployments = await api.listDeployments(entityRef);
    return deployments.find(d => d.environment === environment);
  }, [api, entityRef, environment, connection]);
  const releases = useAsync(
    async () =>
      deployment.value ? api.listReleases(entityRef, environment) : [],
    [api, entityRef, environment, deployment.value?.id],
  );
  return {
    instances: deployment.value?.instances ?? [],
    releases: releases.value ?? [],
  };
}
