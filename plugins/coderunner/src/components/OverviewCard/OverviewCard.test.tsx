import { screen } from '@testing-library/react';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { OverviewCard } from './OverviewCard';

describe('OverviewCard', () => {
  it('says the component is ready to deploy', async () => {
    await renderWithEntity(
      <OverviewCard />,
      fakeCodeRunnerApi(setupWithManifest),
    );

    expect(screen.getByText('CodeRunner')).toBeInTheDocument();
    expect(
      await screen.findByText(
        /ready to deploy to development, staging or production/,
      ),
    ).toBeInTheDocument();
  });

  it('says where the manifest is missing', async () => {
    await renderWithEntity(
      <OverviewCard />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );

    expect(
      await screen.findByText(/no coderunner.yaml at deploy\/coderunner.yaml/),
    ).toBeInTheDocument();
  });
});
