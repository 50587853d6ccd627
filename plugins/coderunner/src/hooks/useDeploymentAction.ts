import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback, useState } from 'react';

/** A deployment action's request: whether it runs and how it failed. */
export interface DeploymentActionState {
  running: boolean;
  /** The backend's answer when the request failed; shown inline, next to the action. */
  error?: Error;
  /**
   * Sends the request; resolves to whether it succeeded. Without `success` no alert is posted:
   * the caller reports the outcome itself.
   */
  run: (request: () => Promise<unknown>, success?: string) => Promise<boolean>;
  clearError: () => void;
}

/**
 * Runs one deployment action at a time: shows progress, confirms success with
 * `alertApi` and keeps the failure for inline display rather than a toast, so
 * that a message like "coderunner.yaml:12:9 run.port: …" stays readable.
 */
export function useDeploymentAction(): DeploymentActionState {
  const alertApi = useApi(alertApiRef);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const run = useCallback(
    async (request: () => Promise<unknown>, success?: string) => {
      setRunning(true);
      setError(undefined);
      try {
        await request();
        if (success !== undefined) {
          alertApi.post({
            message: success,
            severity: 'success',
            display: 'transient',
          });
        }
        return true;
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
        return false;
      } finally {
        setRunning(false);
      }
    },
    [alertApi],
  );

  return {
    running,
    error,
    run,
    clearError: useCallback(() => setError(undefined), []),
  };
}
