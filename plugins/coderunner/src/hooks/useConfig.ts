import { useApi } from '@backstage/core-plugin-api';
import {
  ConfigAuditEntry,
  ConfigSnapshot,
  ConfigVersion,
} from '@coderunner/plugin-coderunner-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { configApiRef } from '../api';

/** The current configuration of an entity, its versions and its audit history. */
export function useConfig(entityRef: string): {
  snapshot?: ConfigSnapshot;
  versions?: ConfigVersion[];
  audit?: ConfigAuditEntry[];
  loading: boolean;
  error?: Error;
  reload: () => void;
} {
  const client = useApi(configApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [snapshot, versions, audit] = await Promise.all([
      client.getConfig(entityRef),
      client.listVersions(entityRef),
      client.listAudit(entityRef),
    ]);
    return { snapshot, versions, audit };
  }, [client, entityRef]);
  return { ...value, loading, error, reload: retry };
}
