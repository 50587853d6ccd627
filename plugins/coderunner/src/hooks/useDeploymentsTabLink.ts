import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';

/**
 * The path of the current entity's Deployments tab, or `undefined` where the
 * app has no entity page to link to.
 */
export function useDeploymentsTabLink(): string | undefined {
  const { entity } = useEntity();
  try {
    // useRouteRef calls all of its hooks before it throws for an unbound ref.
    const entityRoute = useRouteRef(entityRouteRef);
    return `${entityRoute(entityRouteParams(entity))}/deployments`;
  } catch {
    return undefined;
  }
}
