import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { coderunnerApiRef } from '../api';

/**
 * The state of the current entity's CodeRunner setup.
 *
 * @public
 */
export interface EntitySetupState {
  setup?: EntitySetup;
  loading: boolean;
  error?: Error;
  /** Asks the backend again, e.g. after the manifest was added. */
  retry: () => void;
}

/**
 * Loads what the backend knows about the current entity's CodeRunner setup.
 *
 * @public
 */
export function useEntitySetup(): EntitySetupState {
  const { entity } = useEntity();
  const api = useApi(coderunnerApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntitySetup(entityRef),
    [api, entityRef],
  );
  return { setup: value, loading, error, retry };
}
