import { useApi } from '@backstage/core-plugin-api';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../api';
import { useDeploymentChanges } from './useDeploymentChanges';

/**
 * Every deployment the user may see, re-read when the backend signals a
 * change to one of them.
 */
export function useAllDeployments(): {
  deployments?: Deployment[];
  loading: boolean;
  error?: Error;
} {
  const api = useApi(coderunnerApiRef);
  const [last, setLast] = useState<Deployment[]>();
  const changes = useDeploymentChanges(last?.map(d => d.entityRef) ?? []);
  const { loading, error } = useAsync(async () => {
    const deployments = await api.listAllDeployments();
    setLast(deployments);
    return deployments;
  }, [api, changes]);
  return { deployments: last, loading, error };
}
