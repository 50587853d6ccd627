import { useApi } from '@backstage/core-plugin-api';
import { Deployment } from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../api';
import { useDeploymentChanges } from './useDeploymentChanges';

/**
 * While a rollout runs, re-read this often in case a signal is lost (signals
 * keep no history); settled deployments are re-read on signals only.
 */
export const ROLLOUT_REFRESH_MS = 10_000;

const isSettling = (d: Deployment) =>
  d.status === 'deploying' || d.status === 'pending' || !!d.targetRelease;

/** The deployments of one entity, kept current. */
export interface DeploymentsState {
  /** Keeps the last answer while a re-read runs. */
  deployments?: Deployment[];
  loading: boolean;
  error?: Error;
  /** Re-reads now, e.g. after an action. */
  refresh: () => void;
  /** Grows on every re-read; a dependency for data that changes with the deployments. */
  revision: number;
}

/**
 * Loads an entity's deployments (one per environment deployed so far) and
 * re-reads them whenever the backend signals a change.
 */
export function useDeployments(entityRef: string): DeploymentsState {
  const api = useApi(coderunnerApiRef);
  const changes = useDeploymentChanges([entityRef]);
  const [refreshes, setRefreshes] = useState(0);
  const revision = changes + refreshes;
  const [last, setLast] = useState<Deployment[]>();
  const { loading, error } = useAsync(async () => {
    const deployments = await api.listDeployments(entityRef);
    setLast(deployments);
    return deployments;
  }, [api, entityRef, revision]);
  const settling = !loading && !!last?.some(isSettling);
  useEffect(() => {
    if (!settling) return undefined;
    const timer = setTimeout(
      () => setRefreshes(count => count + 1),
      ROLLOUT_REFRESH_MS,
    );
    return () => clearTimeout(timer);
  }, [settling, revision]);
  return {
    deployments: last,
    loading,
    error,
    refresh: () => setRefreshes(count => count + 1),
    revision,
  };
}
