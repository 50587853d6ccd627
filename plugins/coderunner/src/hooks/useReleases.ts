import { useApi } from '@backstage/core-plugin-api';
import { Release } from '@coderunner/plugin-coderunner-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../api';

/**
 * The releases of one environment, newest first; re-read whenever `revision`
 * (from {@link useDeployments}) changes.
 */
export function useReleases(
  entityRef: string,
  environment: string,
  revision: number,
): { releases?: Release[]; loading: boolean; error?: Error } {
  const api = useApi(coderunnerApiRef);
  const [last, setLast] = useState<Release[]>();
  const { loading, error } = useAsync(async () => {
    const releases = await api.listReleases(entityRef, environment);
    setLast(releases);
    return releases;
  }, [api, entityRef, environment, revision]);
  return { releases: last, loading, error };
}
