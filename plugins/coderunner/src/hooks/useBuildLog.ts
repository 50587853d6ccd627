import { useApi } from '@backstage/core-plugin-api';
import { LogLine } from '@coderunner/plugin-coderunner-common';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef } from '../api';

/** The most build and system lines one release's build log shows. */
export const BUILD_LOG_LIMIT = 5000;

/** The stored build and system lines of one release. */
export function useBuildLog(
  entityRef: string,
  environment: string,
  releaseId: string,
): { lines?: LogLine[]; loading: boolean; error?: Error } {
  const api = useApi(coderunnerApiRef);
  const { value, loading, error } = useAsync(
    async () =>
      (
        await api.readDeploymentLogs(entityRef, environment, {
          releaseId,
          streams: ['build', 'system'],
          limit: BUILD_LOG_LIMIT,
        })
      ).items,
    [api, entityRef, environment, releaseId],
  );
  return { lines: value, loading, error };
}
