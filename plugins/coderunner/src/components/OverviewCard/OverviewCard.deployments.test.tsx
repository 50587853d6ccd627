import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  aDeployment,
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
} from '../../__testUtils__';
import { OverviewCard } from './OverviewCard';

describe('OverviewCard with deployments', () => {
  it("shows each environment's status and URL and links to the Deployments tab", async () => {
    const api = fakeCodeRunnerApi(setupWithManifest);
    api.listDeployments.mockResolvedValue([
      aDeployment({ status: 'ready' }),
      aDeployment({ environment: 'production', status: 'failed' }),
    ]);
    await renderWithEntity(<OverviewCard />, api, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    const development = (await screen.findByText('development')).closest('tr')!;
    expect(development).toHaveTextContent('Ready');
    expect(development).toHaveTextContent('Release 1');
    expect(development).toHaveTextContent(
      'http://hello-node.development.localhost:7080/',
    );
    expect(screen.getByText('staging').closest('tr')).toHaveTextContent(
      'Not deployed',
    );
    expect(screen.getByText('production').closest('tr')).toHaveTextContent(
      'Failed',
    );
    expect(
      screen.getByRole('link', { name: 'Open the Deployments tab' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/hello-node/deployments',
    );
  });
});
