import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ScalingDecisionRecord,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { useCallback, useEffect, useState } from 'react';
import { scalingApiRef } from '../api';
import { LogConnectionState } from '../api/LogStreamClient';

/** Decisions heard on the stream kept for the timeline (the API pages the rest). */
const MAX_LIVE_DECISIONS = 200;

/** One environment's scaling, kept current by the stream. */
export interface ScalingState {
  status?: ScalingStatus;
  /** True until the first status (or error) arrived. */
  loading: boolean;
  /** The environment has no deployment yet. */
  notDeployed: boolean;
  error?: Error;
  connection: LogConnectionState;
  /** Decisions the stream announced since the view opened, newest first. */
  liveDecisions: ScalingDecisionRecord[];
  /** Shows the status a change answered, before the stream repeats it. */
  setStatus: (status: ScalingStatus) => void;
}

function isNotFound(error: unknown) {
  return error instanceof ResponseError && error.response.status === 404;
}

/**
 * Reads the scaling status of an environment, then follows it on the stream's
 * `scaling` topic: the server sends the whole status on every change, with the
 * decision that caused it.
 */
export function useScaling(
  entityRef: string,
  environment: string,
): ScalingState {
  const api = useApi(scalingApiRef);
  const [status, setStatus] = useState<ScalingStatus>();
  const [loading, setLoading] = useState(true);
  const [notDeployed, setNotDeployed] = useState(false);
  const [error, setError] = useState<Error>();
  const [connection, setConnection] =
    useState<LogConnectionState>('connecting');
  const [liveDecisions, setLiveDecisions] = useState<ScalingDecisionRecord[]>(
    [],
  );

  useEffect(() => {
    let active = true;
    setStatus(undefined);
    setLoading(true);
    setNotDeployed(false);
    setError(undefined);
    setLiveDecisions([]);
    api.getStatus(entityRef, environment).then(
      answer => {
        if (!active) return;
        // The stream may have answered first; its status is as new or newer.
        setStatus(current => current ?? answer);
        setLoading(false);
      },
      (e: Error) => {
        if (!active) return;
        if (isNotFound(e)) setNotDeployed(true);
        else setError(e);
        setLoading(false);
      },
    );
    const stop = api.watch(entityRef, environment, {
      onStatus: (next, decision) => {
        if (!active) return;
        setStatus(next);
        setNotDeployed(false);
        setError(undefined);
        setLoading(false);
        if (decision) {
          setLiveDecisions(current =>
            current.some(d => d.id === decision.id)
              ? current
              : [decision, ...current].slice(0, MAX_LIVE_DECISIONS),
          );
        }
      },
      onError: (code, message) => {
        if (!active) return;
        // Not deployed yet: the stream looks again by itself, and the status read says so.
        if (code === 'not-found') return;
        setError(new Error(message));
      },
      onConnection: state => {
        if (active) setConnection(state);
      },
    });
    return () => {
      active = false;
      stop();
    };
  }, [api, entityRef, environment]);

  return {
    status,
    loading,
    notDeployed,
    error,
    connection,
    liveDecisions,
    setStatus: useCallback((next: ScalingStatus) => setStatus(next), []),
  };
}
