import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { coderunnerApiRef } from '../../api';
import {
  aDeployment,
  anInstance,
  aRelease,
  fakeCodeRunnerApi,
  setupWithManifest,
} from '../../__testUtils__';
import { GlobalPage } from './GlobalPage';

async function renderPage(deployments: ReturnType<typeof aDeployment>[]) {
  const api = fakeCodeRunnerApi(setupWithManifest);
  api.listAllDeployments.mockResolvedValue(deployments);
  await renderInTestApp(
    <TestApiProvider apis={[[coderunnerApiRef, api]]}>
      <GlobalPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

// Backstage's Table renders slowly the first time.
jest.setTimeout(30_000);

describe('GlobalPage', () => {
  it('lists every deployment with its entity, environment, status, URL, release, instances and deployer', async () => {
    await renderPage([
      aDeployment(),
      aDeployment({
        entityRef: 'component:default/crashy-node',
        environment: 'staging',
        status: 'degraded',
        url: 'http://crashy-node.staging.localhost:7080/',
        activeRelease: aRelease({ number: 7 }),
        desiredInstances: 2,
        instances: [anInstance(), anInstance({ id: 'b', state: 'crashed' })],
      }),
    ]);

    expect(
      await screen.findByText('Deployments (2)', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    const row = screen
      .getByRole('link', { name: /^crashy-node$/ })
      .closest('tr')!;
    expect(row).toHaveTextContent('staging');
    expect(row).toHaveTextContent('Degraded');
    expect(row).toHaveTextContent('7');
    expect(row).toHaveTextContent('1 ready / 2 desired');
    expect(row).toHaveTextContent('by guest');
    expect(
      within(row).getByRole('link', { name: /crashy-node\.staging/ }),
    ).toHaveAttribute('href', 'http://crashy-node.staging.localhost:7080/');
    expect(screen.getByRole('link', { name: /hello-node$/ })).toHaveAttribute(
      'href',
      '/catalog/default/component/hello-node',
    );
  });

  it('says what to do when nothing is deployed', async () => {
    await renderPage([]);

    expect(
      await screen.findByText('No deployments yet', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });
});
