import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import { ConfigClient } from '../api/ConfigClient';

/** The Config API client, built from the app's discovery and fetch APIs. */
export function useConfigClient(): ConfigClient {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new ConfigClient({ discoveryApi, fetchApi }),
    [discoveryApi, fetchApi],
  );
}
