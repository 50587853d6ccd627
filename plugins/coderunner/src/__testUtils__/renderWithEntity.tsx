import { EntityProvider } from '@backstage/plugin-catalog-react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { CodeRunnerApi, coderunnerApiRef } from '../api';
import { componentEntity } from './fakeCodeRunnerApi';

/**
 * The backend as it answers for a component that was never deployed and never configured,
 * for the tabs that call it through their own clients (Logs and Config, built on the
 * discovery and fetch APIs): an empty configuration and empty lists, 404 for deployments.
 */
const neverDeployed = {
  fetch: async (input: RequestInfo | URL) => {
    const path = new URL(String(input)).pathname;
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    if (path.endsWith('/config')) {
      return json(200, {
        entityRef: 'component:default/hello-node',
        version: 0,
        scopes: {},
        overrideOrder: [],
      });
    }
    if (/\/config\/(versions|audit|templates)$/.test(path)) {
      return json(200, { items: [] });
    }
    return json(404, {
      error: {
        name: 'NotFoundError',
        message:
          'component:default/hello-node has not been deployed to development',
      },
    });
  },
};

/**
 * Renders `element` on the entity page of {@link componentEntity}, backed by `api`. The user
 * may do everything unless `permissionApi` (e.g. `mockApis.permission(...)`) says otherwise.
 */
export function renderWithEntity(
  element: ReactElement,
  api: CodeRunnerApi,
  options?: Parameters<typeof renderInTestApp>[1],
  permissionApi: PermissionApi = mockApis.permission(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [coderunnerApiRef, api],
        [permissionApiRef, permissionApi],
        [
          discoveryApiRef,
          mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        ],
        [fetchApiRef, neverDeployed],
      ]}
    >
      {/* usePermission caches decisions in SWR; a cache per render keeps tests apart. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={componentEntity}>{element}</EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
    options,
  );
}
