import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactElement } from 'react';
import { CodeRunnerApi, coderunnerApiRef } from '../api';
import { componentEntity } from './fakeCodeRunnerApi';

/** Renders `element` on the entity page of {@link componentEntity}, backed by `api`. */
export function renderWithEntity(
  element: ReactElement,
  api: CodeRunnerApi,
  options?: Parameters<typeof renderInTestApp>[1],
) {
  return renderInTestApp(
    <TestApiProvider apis={[[coderunnerApiRef, api]]}>
      <EntityProvider entity={componentEntity}>{element}</EntityProvider>
    </TestApiProvider>,
    options,
  );
}
