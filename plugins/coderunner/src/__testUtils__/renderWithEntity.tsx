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
import {
  CodeRunnerApi,
  coderunnerApiRef,
  ConfigApi,
  configApiRef,
  LogsApi,
  logsApiRef,
} from '../api';
import { componentEntity } from './fakeCodeRunnerApi';

/**
 * The backend as it answers for a component that was never deployed, for the clients a test
 * does not replace (e.g. the plugin's own factories): 404 for everything.
 */
const neverDeployed = {
  fetch: async () =>
    new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message:
            'component:default/hello-node has not been deployed to development',
        },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ),
};

/**
 * The Config API as it answers for a component that was never configured: an empty
 * configuration and empty lists. Tests of the Config tab pass their own.
 */
const neverConfigured: Partial<ConfigApi> = {
  getConfig: async () => ({
    entityRef: 'component:default/hello-node',
    version: 0,
    scopes: {},
    overrideOrder: [],
  }),
  listVersions: async () => [],
  listAudit: async () => [],
  listTemplates: async () => [],
  encryptionStatus: async () => ({
    activeKeyId: 'k1',
    developmentKey: false,
    keys: [{ id: 'k1', active: true, values: 0 }],
    totalValues: 0,
    valuesOnActiveKey: 0,
    rotation: { running: false },
  }),
};

/** A log stream that never connects, for tests of other tabs that mount the Logs tab. */
const quietLogs: LogsApi = {
  follow: () => ({ close: () => {} }),
  search: async () => ({ seqs: [] }),
  download: async () => new Blob([]),
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
        [configApiRef, neverConfigured],
        [logsApiRef, quietLogs],
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
