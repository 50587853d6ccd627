import { alertApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { TestApiProvider } from '@backstage/test-utils';
import { RenderResult } from '@testing-library/react';
import { PermissionApi } from '@backstage/plugin-permission-react';
import { ReactElement } from 'react';
import { CodeRunnerApi } from '../api';
import { renderWithEntity } from './renderWithEntity';

/**
 * Renders `element` on the entity page with `api` and an alert API to assert on; the user may
 * do everything unless `permissionApi` says otherwise.
 */
export async function renderDeployments(
  element: ReactElement,
  api: CodeRunnerApi,
  permissionApi?: PermissionApi,
): Promise<RenderResult & { alertApi: { post: jest.Mock } }> {
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const result = await renderWithEntity(
    <TestApiProvider apis={[[alertApiRef, alertApi]]}>
      {element}
    </TestApiProvider>,
    api,
    undefined,
    permissionApi,
  );
  return { ...result, alertApi };
}

/** A backend error answer as the client would throw it. */
export function backendError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: name,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}
