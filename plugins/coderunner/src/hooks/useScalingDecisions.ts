import { useApi } from '@backstage/core-plugin-api';
import { ScalingDecisionRecord } from '@coderunner/plugin-coderunner-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { scalingApiRef } from '../api';

/** Decisions one read of the history returns. */
export const DECISIONS_PAGE = 50;

/** The decision history of an environment: stored pages plus what the stream added. */
export interface ScalingDecisionsState {
  /** Newest first, without duplicates. */
  decisions: ScalingDecisionRecord[];
  loading: boolean;
  error?: Error;
  /** The last page was full: older decisions may exist. */
  hasOlder: boolean;
  loadOlder: () => Promise<void>;
}

/** A change of the count, or anything a person or an event did (a hold at the same count included). */
function isNotable(decision: ScalingDecisionRecord) {
  return decision.from !== decision.to || decision.cause !== 'autoscaler';
}

/**
 * Reads the newest decisions (with `changedOnly`, only those that changed the
 * count or that a person or an event made), pages back on request, and puts `live` ones (from the
 * stream) in front.
 */
export function useScalingDecisions(
  entityRef: string,
  environment: string,
  changedOnly: boolean,
  live: ScalingDecisionRecord[],
): ScalingDecisionsState {
  const api = useApi(scalingApiRef);
  const [stored, setStored] = useState<ScalingDecisionRecord[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [hasOlder, setHasOlder] = useState(false);

  const read = useCallback(
    (before?: string) =>
      api.listDecisions(entityRef, environment, {
        limit: DECISIONS_PAGE,
        before,
        changedOnly: changedOnly || undefined,
      }),
    [api, entityRef, environment, changedOnly],
  );

  useEffect(() => {
    let active = true;
    setLoading(true);
    setError(undefined);
    setStored([]);
    read().then(
      items => {
        if (!active) return;
        setStored(items);
        setHasOlder(items.length === DECISIONS_PAGE);
        setLoading(false);
      },
      (e: Error) => {
        if (!active) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      active = false;
    };
  }, [read]);

  const loadOlder = useCallback(async () => {
    const oldest = stored[stored.length - 1];
    if (!oldest) return;
    setLoading(true);
    try {
      const items = await read(oldest.at);
      setStored(current => [...current, ...items]);
      setHasOlder(items.length === DECISIONS_PAGE);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  }, [read, stored]);

  const decisions = useMemo(() => {
    const seen = new Set<string>();
    const merged: ScalingDecisionRecord[] = [];
    for (const decision of [...live, ...stored]) {
      if (seen.has(decision.id)) continue;
      if (changedOnly && !isNotable(decision)) continue;
      seen.add(decision.id);
      merged.push(decision);
    }
    return merged.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  }, [live, stored, changedOnly]);

  return { decisions, loading, error, hasOlder, loadOlder };
}
