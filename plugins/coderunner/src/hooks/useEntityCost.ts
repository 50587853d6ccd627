import { useApiHolder } from '@backstage/core-plugin-api';
import { EntityCost } from '@coderunner/plugin-coderunner-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { costApiRef } from '../api';

/** An entity's cost this month; `available` is false in an app without the cost API. */
export interface EntityCostState {
  available: boolean;
  cost?: EntityCost;
  error?: Error;
  refresh: () => void;
}

/** Loads the entity's cost for the current month; re-reads on `refresh` and `revision`. */
export function useEntityCost(
  entityRef: string,
  revision = 0,
): EntityCostState {
  const api = useApiHolder().get(costApiRef);
  const [refreshes, setRefreshes] = useState(0);
  const { value, error } = useAsync(
    async () => (api ? api.getEntityCost(entityRef) : undefined),
    [api, entityRef, revision, refreshes],
  );
  return {
    available: !!api,
    cost: value,
    error,
    refresh: () => setRefreshes(n => n + 1),
  };
}
