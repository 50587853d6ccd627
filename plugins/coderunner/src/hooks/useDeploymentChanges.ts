import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  deploymentListSignalChannel,
  deploymentSignalChannel,
} from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';

/** How often deployments are re-read when the app has no signals plugin. */
export const FALLBACK_REFRESH_MS = 30_000;

/**
 * The least time between two re-reads for signals: the first signal after a quiet moment
 * counts at once, the ones that follow within this time count once, at its end (a rollout
 * announces several changes in a row, and the list's channel every deployment's).
 */
export const SIGNAL_COALESCE_MS = 1_000;

/**
 * A number that grows whenever the backend announces, on one of `channels` (Backstage
 * signals), that deployments changed. Use it as a dependency to re-read. Without the signals
 * plugin it grows every 30 s instead.
 */
function useChannelChanges(channels: string[]): number {
  const signals = useApiHolder().get(signalApiRef);
  const [changes, setChanges] = useState(0);
  const key = [...new Set(channels)].sort().join('\n');

  useEffect(() => {
    const bump = () => setChanges(count => count + 1);
    if (!signals) {
      const timer = setInterval(bump, FALLBACK_REFRESH_MS);
      return () => clearInterval(timer);
    }
    let last = -Infinity;
    let pending: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      if (pending) return;
      const wait = last + SIGNAL_COALESCE_MS - performance.now();
      const count = () => {
        pending = undefined;
        last = performance.now();
        bump();
      };
      if (wait <= 0) count();
      else pending = setTimeout(count, wait);
    };
    const subscriptions = key
      .split('\n')
      .filter(Boolean)
      .map(channel => signals.subscribe(channel, changed));
    return () => {
      clearTimeout(pending);
      subscriptions.forEach(s => s.unsubscribe());
    };
  }, [signals, key]);

  return changes;
}

/** {@link useChannelChanges} for changes to the deployments of `entityRefs`. */
export function useDeploymentChanges(entityRefs: string[]): number {
  return useChannelChanges(entityRefs.map(deploymentSignalChannel));
}

/** {@link useChannelChanges} for a change to any deployment, a new one included. */
export function useDeploymentListChanges(): number {
  return useChannelChanges([deploymentListSignalChannel]);
}
