import { screen } from '@testing-library/react';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { AutoscalingTab } from './AutoscalingTab';

describe('AutoscalingTab', () => {
  it('says what the tab will show once the component has a manifest', async () => {
    await renderWithEntity(
      <AutoscalingTab />,
      fakeCodeRunnerApi(setupWithManifest),
    );

    const tab = await screen.findByTestId('coderunner-autoscaling-tab');
    expect(
      await screen.findByText(/min and max of the scaling section/),
    ).toBeInTheDocument();
    expect(tab).not.toHaveTextContent('has no coderunner.yaml');
  });

  it('says how to add a manifest when there is none', async () => {
    await renderWithEntity(
      <AutoscalingTab />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });
});
