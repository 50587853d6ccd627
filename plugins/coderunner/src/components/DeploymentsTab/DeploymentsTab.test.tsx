import { screen } from '@testing-library/react';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { DeploymentsTab } from './DeploymentsTab';

describe('DeploymentsTab', () => {
  it('says what the tab will show once the component has a manifest', async () => {
    await renderWithEntity(
      <DeploymentsTab />,
      fakeCodeRunnerApi(setupWithManifest),
    );

    const tab = await screen.findByTestId('coderunner-deployments-tab');
    expect(
      await screen.findByText(
        /Deploy this component to development, staging or production/,
      ),
    ).toBeInTheDocument();
    expect(tab).not.toHaveTextContent('has no coderunner.yaml');
  });

  it('says how to add a manifest when there is none', async () => {
    await renderWithEntity(
      <DeploymentsTab />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });
});
