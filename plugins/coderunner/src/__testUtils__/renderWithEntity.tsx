import { EntityProvider } from '@backstage/plugin-catalog-react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactElement } from 'react';
import { CodeRunnerApi, coderunnerApiRef } from '../api';
import { componentEntity } from './fakeCodeRunnerApi';

/**
 * The backend as a component that was never deployed sees it: every call answers 404 with
 * Backstage's error body. (The Logs and Config tabs call the backend through their own
 * clients, built on the discovery and fetch APIs.)
 */
const neverDeployed = {
  fetch: async () =>
    new Response(
      JSON.stringify({ error: { name: 'NotFoundError', message: 'component:default/hello-node has not been deployed to development' } }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ),
};

/** Renders `element` on the entity page of {@link componentEntity}, backed by `api`. */
export function renderWithEntity(
  element: ReactElement,
  api: CodeRunnerApi,
  options?: Parameters<typeof renderInTestApp>[1],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [coderunnerApiRef, api],
        [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://localhost:7007' })],
        [fetchApiRef, neverDeployed],
      ]}
    >
      <EntityProvider entity={componentEntity}>{element}</EntityProvider>
    </TestApiProvider>,
    options,
  );
}
