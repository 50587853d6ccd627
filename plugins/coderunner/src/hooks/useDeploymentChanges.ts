import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { deploymentSignalChannel } from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';

/** How often deployments are re-read when the app has no signals plugin. */
export const FALLBACK_REFRESH_MS = 30_000;

/**
 * A number that grows whenever the backend announces, on a Backstage signal,
 * that one of the entities' deployments changed. Use it as a dependency to
 * re-read. Without the signals plugin it grows every 30 s instead.
 */
export function useDeploymentChanges(entityRefs: string[]): number {
  const signals = useApiHolder().get(signalApiRef);
  const [changes, setChanges] = useState(0);
  const channels = [...new Set(entityRefs)].sort().join('\n');

  useEffect(() => {
    const changed = () => setChanges(count => count + 1);
    if (!signals) {
      const timer = setInterval(changed, FALLBACK_REFRESH_MS);
      return () => clearInterval(timer);
    }
    const subscriptions = channels
      .split('\n')
      .filter(Boolean)
      .map(ref => signals.subscribe(deploymentSignalChannel(ref), changed));
    return () => subscriptions.forEach(s => s.unsubscribe());
  }, [signals, channels]);

  return changes;
}
