import { screen } from '@testing-library/react';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { ConfigTab } from './ConfigTab';

describe('ConfigTab', () => {
  it('says what the tab will show once the component has a manifest', async () => {
    await renderWithEntity(<ConfigTab />, fakeCodeRunnerApi(setupWithManifest));

    const tab = await screen.findByTestId('coderunner-config-tab');
    expect(
      await screen.findByText(
        /secrets for development, staging and production/,
      ),
    ).toBeInTheDocument();
    expect(tab).not.toHaveTextContent('has no coderunner.yaml');
  });

  it('says how to add a manifest when there is none', async () => {
    await renderWithEntity(
      <ConfigTab />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });
});
