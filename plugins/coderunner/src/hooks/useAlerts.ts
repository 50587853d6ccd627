import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  Alert,
  ALERTS_SIGNAL_CHANNEL,
  alertSignalChannel,
} from '@coderunner/plugin-coderunner-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { alertsApiRef } from '../api';
import { FALLBACK_REFRESH_MS } from './useDeploymentChanges';

/** Alerts as a page shows them; `available` is false in an app without the alerts API. */
export interface AlertsState {
  available: boolean;
  alerts?: Alert[];
  error?: Error;
}

/**
 * An entity's alerts (open and resolved), or, without `entityRef`, the open alerts of all the
 * user may read; re-read whenever the backend signals that alerts changed (every 30 s without
 * the signals plugin).
 */
export function useAlerts(entityRef?: string): AlertsState {
  const api = useApiHolder().get(alertsApiRef);
  const signals = useApiHolder().get(signalApiRef);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (!api) return undefined;
    const changed = () => setChanges(count => count + 1);
    if (!signals) {
      const timer = setInterval(changed, FALLBACK_REFRESH_MS);
      return () => clearInterval(timer);
    }
    const subscription = signals.subscribe(
      entityRef ? alertSignalChannel(entityRef) : ALERTS_SIGNAL_CHANNEL,
      changed,
    );
    return () => subscription.unsubscribe();
  }, [api, signals, entityRef]);
  const { value, error } = useAsync(async () => {
    if (!api) return undefined;
    return entityRef
      ? api.getEntityAlerts(entityRef, { limit: 50 })
      : api.getOpenAlerts({ limit: 100 });
  }, [api, entityRef, changes]);
  return { available: !!api, alerts: value, error };
}
