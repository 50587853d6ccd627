import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import {
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { EntitySetupGate } from './EntitySetupGate';

const gate = (
  <EntitySetupGate>
    {setup => <p>ready for {setup.environments.join(' ')}</p>}
  </EntitySetupGate>
);

describe('EntitySetupGate', () => {
  it('asks the backend about the current entity and renders its children once the manifest exists', async () => {
    const api = fakeCodeRunnerApi(setupWithManifest);
    await renderWithEntity(gate, api);

    expect(
      await screen.findByText('ready for development staging production'),
    ).toBeInTheDocument();
    expect(api.getEntitySetup).toHaveBeenCalledWith(
      'component:default/hello-node',
    );
  });

  it('shows progress while the backend answers', async () => {
    await renderWithEntity(gate, fakeCodeRunnerApi('pending'));

    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows where the manifest was looked for, an example and the docs when there is none', async () => {
    await renderWithEntity(gate, fakeCodeRunnerApi(setupWithoutManifest));

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/found no manifest at deploy\/coderunner\.yaml/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('apiVersion: coderunner.io/v1');
    expect(
      screen.getByRole('link', { name: 'Read docs/manifest.md' }),
    ).toHaveAttribute('href', expect.stringMatching(/docs\/manifest\.md$/));
    expect(screen.queryByText(/ready for/)).not.toBeInTheDocument();
  });

  it("shows the backend's explanation when the manifest could not be read", async () => {
    await renderWithEntity(
      gate,
      fakeCodeRunnerApi({
        ...setupWithoutManifest,
        problem: 'coderunner.yaml line 3: run.port must be a number',
      }),
    );

    expect(
      await screen.findByText(/line 3: run\.port must be a number/),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'Not allowed to read' },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    );
    await renderWithEntity(
      gate,
      fakeCodeRunnerApi(await ResponseError.fromResponse(response)),
    );

    expect(
      await screen.findByText(/Request failed with 403: Not allowed to read/),
    ).toBeInTheDocument();
  });
});
