import { ApiRef } from '@backstage/core-plugin-api';
import { translationApiRef } from '@backstage/core-plugin-api/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { DeploymentStatus } from '@coderunner/plugin-coderunner-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aDeployment,
  anInstance,
  aRelease,
  backendError,
  fakeCodeRunnerApi,
  keyTranslationApi,
  renderDeployments,
  setupWithManifest,
  setupWithoutManifest,
  provideXtermBrowserApis,
} from '../../__testUtils__';
import { TerminalApi, terminalApiRef, TerminalRequest } from '../../api';
import { DeploymentsTab } from './DeploymentsTab';

function apiWith(...deployments: ReturnType<typeof aDeployment>[]) {
  const api = fakeCodeRunnerApi(setupWithManifest);
  api.listDeployments.mockResolvedValue(deployments);
  return api;
}

async function environmentCard(environment: string) {
  return within(
    await screen.findByTestId(`coderunner-environment-${environment}`),
  );
}

describe('DeploymentsTab', () => {
  it('shows a card per environment and offers the first deploy where there is none', async () => {
    const api = apiWith(aDeployment());
    await renderDeployments(<DeploymentsTab />, api);

    const staging = await environmentCard('staging');
    expect(
      staging.getByText('Not deployed to staging yet'),
    ).toBeInTheDocument();
    expect(staging.getByRole('button', { name: 'Deploy' })).toBeEnabled();
    expect(
      (await environmentCard('production')).getByText(
        'Not deployed to production yet',
      ),
    ).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith(
      'component:default/hello-node',
    );
  });

  it.each([
    ['ready', 'Ready', 'ok'],
    ['deploying', 'Deploying', 'pending'],
    ['pending', 'Pending', 'pending'],
    ['degraded', 'Degraded', 'warning'],
    ['failed', 'Failed', 'error'],
    ['stopped', 'Stopped', 'aborted'],
  ] as const)(
    'shows the %s status as %s with the %s icon and its reason',
    async (status: DeploymentStatus, label, kind) => {
      await renderDeployments(
        <DeploymentsTab />,
        apiWith(aDeployment({ status, statusReason: `because ${status}` })),
      );

      const card = await environmentCard('development');
      const badge = card.getByTestId('coderunner-deployment-status');
      expect(badge).toHaveTextContent(label);
      expect(badge.querySelector(`[data-status="${kind}"]`)).not.toBeNull();
      expect(card.getByText(`because ${status}`)).toBeInTheDocument();
    },
  );

  it('shows the URL, active release, who deployed, instances and a crash reason', async () => {
    await renderDeployments(
      <DeploymentsTab />,
      apiWith(
        aDeployment({
          status: 'degraded',
          desiredInstances: 2,
          instances: [
            anInstance(),
            anInstance({
              id: 'instance-crashed1',
              state: 'crashed',
              restarts: 4,
              lastExitCode: 1,
              reason: 'Error: listen EADDRINUSE :::3000',
            }),
          ],
        }),
      ),
    );

    const card = await environmentCard('development');
    const url = card.getByRole('link', {
      name: /http:\/\/hello-node\.development\.localhost:7080\//,
    });
    expect(url).toHaveAttribute('target', '_blank');
    expect(card.getByTestId('coderunner-active-release')).toHaveTextContent(
      'Release 1',
    );
    expect(card.getByText(/by guest/)).toBeInTheDocument();
    expect(card.getByText('1 of 2 ready')).toBeInTheDocument();
    const rows = card.getAllByTestId('coderunner-instance');
    expect(rows[1]).toHaveTextContent('Crashed');
    expect(rows[1]).toHaveTextContent('4');
    expect(rows[1]).toHaveTextContent(
      'Error: listen EADDRINUSE :::3000 (exit code 1)',
    );
  });

  it('shows a rollout in progress with its target release', async () => {
    await renderDeployments(
      <DeploymentsTab />,
      apiWith(
        aDeployment({
          status: 'deploying',
          targetRelease: aRelease({ number: 2, status: 'building' }),
        }),
      ),
    );

    expect(
      (await environmentCard('development')).getByTestId('coderunner-rollout'),
    ).toHaveTextContent('Rollout in progress: release 2 (building)');
  });

  it('says when saved configuration is not applied yet', async () => {
    await renderDeployments(
      <DeploymentsTab />,
      apiWith(aDeployment({ pendingConfigVersion: 4 })),
    );

    expect(
      (await environmentCard('development')).getByTestId(
        'coderunner-pending-config',
      ),
    ).toHaveTextContent(
      'Configuration version 4 is saved but not applied here yet',
    );
  });

  it('deploys after the user confirms, with the instance count, and says so', async () => {
    const api = apiWith();
    api.deploy.mockResolvedValue({
      deployment: aDeployment({ environment: 'staging', status: 'deploying' }),
    });
    const { alertApi } = await renderDeployments(<DeploymentsTab />, api);

    const staging = await environmentCard('staging');
    await userEvent.click(staging.getByRole('button', { name: 'Deploy' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText('Deploy hello-node to staging'),
    ).toBeInTheDocument();
    expect(api.deploy).not.toHaveBeenCalled();
    await userEvent.type(dialog.getByLabelText('Instances'), '2');
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.deploy).toHaveBeenCalledWith(
      'component:default/hello-node',
      'staging',
      { instances: 2 },
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Deploying hello-node to staging',
        severity: 'success',
      }),
    );
    await waitFor(() => expect(api.listDeployments).toHaveBeenCalledTimes(2));
  });

  it("shows the backend's 409 inline and keeps the dialog open", async () => {
    const api = apiWith(aDeployment({ status: 'deploying' }));
    api.deploy.mockRejectedValue(
      await backendError(
        409,
        'ConflictError',
        'A rollout of release 2 is in progress; wait for it to finish.',
      ),
    );
    const { alertApi } = await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    await userEvent.click(card.getByRole('button', { name: 'Deploy' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));

    const error = await dialog.findByTestId('coderunner-action-error');
    expect(error).toHaveTextContent('Request failed with 409');
    expect(error).toHaveTextContent(
      'A rollout of release 2 is in progress; wait for it to finish.',
    );
    expect(alertApi.post).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('keeps a manifest error readable, with its line and column', async () => {
    const api = apiWith();
    api.deploy.mockRejectedValue(
      await backendError(
        400,
        'InputError',
        'coderunner.yaml:12:9 run.port: must be a number from 1 to 65535',
      ),
    );
    await renderDeployments(<DeploymentsTab />, api);

    await userEvent.click(
      (
        await environmentCard('production')
      ).getByRole('button', {
        name: 'Deploy',
      }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));

    expect(
      await dialog.findByText(
        'coderunner.yaml:12:9 run.port: must be a number from 1 to 65535',
      ),
    ).toBeInTheDocument();
  });

  it('rolls back to the release the user picks', async () => {
    const api = apiWith(
      aDeployment({ activeRelease: aRelease({ number: 3 }) }),
    );
    api.listReleases.mockResolvedValue([
      aRelease({ number: 4, status: 'failed', failureReason: 'npm ci failed' }),
      aRelease({ number: 3 }),
      aRelease({ number: 2 }),
      aRelease({ number: 1 }),
    ]);
    api.rollback.mockResolvedValue({ deployment: aDeployment() });
    const { alertApi } = await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    expect(await card.findByText('npm ci failed')).toBeInTheDocument();
    expect(
      card.queryByRole('button', { name: 'Rollback to release 3' }),
    ).not.toBeInTheDocument();
    expect(
      card.queryByRole('button', { name: 'Rollback to release 4' }),
    ).not.toBeInTheDocument();

    await userEvent.click(card.getByRole('button', { name: 'Rollback' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: /Release 2/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: /Release 1/ }),
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Roll back' }));

    await waitFor(() =>
      expect(api.rollback).toHaveBeenCalledWith(
        'component:default/hello-node',
        'development',
        { releaseNumber: 1 },
      ),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Rolling development back to release 1',
      }),
    );
  });

  it('offers no rollback to a release whose artifact was pruned, and says why', async () => {
    const api = apiWith(
      aDeployment({ activeRelease: aRelease({ number: 3 }) }),
    );
    api.listReleases.mockResolvedValue([
      aRelease({ number: 3 }),
      aRelease({ number: 2 }),
      aRelease({ number: 1, artifactPrunedAt: new Date().toISOString() }),
    ]);
    await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    expect(
      await card.findByRole('button', { name: 'Rollback to release 2' }),
    ).toBeInTheDocument();
    expect(
      card.queryByRole('button', { name: 'Rollback to release 1' }),
    ).not.toBeInTheDocument();
    expect(
      card.getByText('Artifact pruned').closest('[title]'),
    ).toHaveAttribute(
      'title',
      expect.stringContaining('cannot be rolled back to'),
    );
  });

  it('rolls back from a row of the release history', async () => {
    const api = apiWith(
      aDeployment({ activeRelease: aRelease({ number: 2 }) }),
    );
    api.listReleases.mockResolvedValue([
      aRelease({ number: 2 }),
      aRelease({ number: 1 }),
    ]);
    api.rollback.mockResolvedValue({ deployment: aDeployment() });
    await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    await userEvent.click(
      await card.findByRole('button', { name: 'Rollback to release 1' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Roll back',
      }),
    );

    await waitFor(() =>
      expect(api.rollback).toHaveBeenCalledWith(
        'component:default/hello-node',
        'development',
        { releaseNumber: 1 },
      ),
    );
  });

  it("shows a release's build log", async () => {
    const api = apiWith(aDeployment());
    api.listReleases.mockResolvedValue([aRelease({ number: 1 })]);
    api.readDeploymentLogs.mockResolvedValue({
      items: [
        { seq: 1, stream: 'build', line: '$ npm run build', createdAt: '' },
        { seq: 2, stream: 'system', line: 'Build finished', createdAt: '' },
      ],
      lastSeq: 2,
    });
    await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    await userEvent.click(
      await card.findByRole('button', { name: 'Build log of release 1' }),
    );

    expect(await screen.findByTestId('coderunner-build-log')).toHaveTextContent(
      '$ npm run build Build finished',
    );
    expect(api.readDeploymentLogs).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      expect.objectContaining({
        releaseId: 'release-1',
        streams: ['build', 'system'],
      }),
    );
  });

  it('stops only after the user confirms, and starts a stopped deployment', async () => {
    const api = apiWith(aDeployment());
    api.changeDeployment.mockResolvedValue({ deployment: aDeployment() });
    await renderDeployments(<DeploymentsTab />, api);

    const card = await environmentCard('development');
    await userEvent.click(card.getByRole('button', { name: 'Stop' }));
    expect(api.changeDeployment).not.toHaveBeenCalled();
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Stop',
      }),
    );
    await waitFor(() =>
      expect(api.changeDeployment).toHaveBeenCalledWith(
        'component:default/hello-node',
        'development',
        'stop',
      ),
    );
  });

  it('asks the permission backend about deploy on this entity before it offers the actions', async () => {
    const api = apiWith(
      aDeployment({ activeRelease: aRelease({ number: 2 }) }),
    );
    api.listReleases.mockResolvedValue([
      aRelease({ number: 2 }),
      aRelease({ number: 1 }),
    ]);
    const asked: string[] = [];
    await renderDeployments(
      <DeploymentsTab />,
      api,
      mockApis.permission({
        authorize: request => {
          asked.push(`${request.permission.name} ${request.resourceRef}`);
          return request.permission.name === 'coderunner.deployment.deploy' &&
            request.resourceRef === 'component:default/hello-node'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        },
      }),
    );

    const card = await environmentCard('development');
    for (const name of ['Deploy', 'Rollback', 'Restart', 'Stop', 'Delete']) {
      await waitFor(() =>
        expect(card.getByRole('button', { name })).toBeEnabled(),
      );
    }
    expect(
      card.getByRole('button', { name: 'Rollback to release 1' }),
    ).toBeEnabled();
    expect(asked).toContain(
      'coderunner.deployment.deploy component:default/hello-node',
    );
  });

  it('disables every action for a user who may not deploy, and says why', async () => {
    const api = apiWith(
      aDeployment({ activeRelease: aRelease({ number: 2 }) }),
    );
    api.listReleases.mockResolvedValue([
      aRelease({ number: 2 }),
      aRelease({ number: 1 }),
    ]);
    await renderDeployments(
      <DeploymentsTab />,
      api,
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );

    const card = await environmentCard('development');
    await card.findByRole('button', { name: 'Rollback to release 1' });
    for (const name of [
      'Deploy',
      'Rollback',
      'Restart',
      'Stop',
      'Delete',
      'Rollback to release 1',
    ]) {
      expect(card.getByRole('button', { name })).toBeDisabled();
    }
    const staging = await environmentCard('staging');
    const deploy = staging.getByRole('button', { name: 'Deploy' });
    expect(deploy).toBeDisabled();

    await userEvent.hover(deploy.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Only the owners of this component (and CodeRunner operators) may deploy, roll back, restart, stop or delete it',
    );
    expect(api.deploy).not.toHaveBeenCalled();
  });

  it('offers a terminal on running instances only to users who may exec, and says why a session ended', async () => {
    const deployment = aDeployment({
      instances: [
        anInstance({ id: 'instance-ready01' }),
        anInstance({ id: 'instance-crashed1', state: 'crashed' }),
      ],
    });
    const withExec = (allowed: boolean) =>
      mockApis.permission({
        authorize: request =>
          allowed && request.permission.name === 'coderunner.instance.exec'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      });
    const opened: TerminalRequest[] = [];
    const terminalApi: TerminalApi = {
      open(request, handlers) {
        opened.push(request);
        setTimeout(() =>
          handlers.onEnd({
            reason: 'idle-timeout',
            message:
              'Closed after 900 s without input; open the terminal again',
          }),
        );
        return { write: jest.fn(), resize: jest.fn(), close: jest.fn() };
      },
    };
    provideXtermBrowserApis();

    const denied = await renderDeployments(
      <DeploymentsTab />,
      apiWith(deployment),
      withExec(false),
    );
    await (
      await environmentCard('development')
    ).findAllByTestId('coderunner-instance');
    expect(screen.queryByRole('button', { name: /^Terminal/ })).toBeNull();
    denied.unmount();

    await renderDeployments(
      <TestApiProvider apis={[[terminalApiRef, terminalApi]]}>
        <DeploymentsTab />
      </TestApiProvider>,
      apiWith(deployment),
      withExec(true),
    );
    const card = await environmentCard('development');
    const button = await card.findByRole('button', {
      name: 'Terminal in instance instance',
    });
    expect(card.getAllByRole('button', { name: /^Terminal/ })).toHaveLength(1);
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('group', {
        name: 'Terminal of instance instance',
      }),
    ).toBeInTheDocument();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Closed after 900 s without input',
    );
    expect(opened).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/hello-node',
        environment: 'development',
        instanceId: 'instance-ready01',
      }),
    ]);
  });

  it('says how to add a manifest when there is none', async () => {
    await renderDeployments(
      <DeploymentsTab />,
      fakeCodeRunnerApi(setupWithoutManifest),
    );

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });

  it("shows the app's wording of its text, from coderunnerTranslationRef", async () => {
    // An app's translation: every message by its key, with its values.
    const translationApi = keyTranslationApi();
    // Only the parts of the translation API that useTranslationRef calls.
    const apis: [ApiRef<object>, object][] = [
      [translationApiRef, translationApi],
    ];
    await renderDeployments(
      <TestApiProvider apis={apis}>
        <DeploymentsTab />
      </TestApiProvider>,
      apiWith(aDeployment()),
    );

    const staging = await environmentCard('staging');
    expect(
      staging.getByText(
        '«deploymentsTab.notDeployed.title {"environment":"staging"}»',
      ),
    ).toBeInTheDocument();
    expect(
      staging.getByRole('button', {
        name: '«deploymentsTab.notDeployed.deploy»',
      }),
    ).toBeEnabled();
    const development = await environmentCard('development');
    expect(
      development.getByRole('button', {
        name: '«deploymentsTab.actions.stop»',
      }),
    ).toBeInTheDocument();
    expect(
      development.getByText('«statusLabel.deployment.ready»'),
    ).toBeInTheDocument();
  });
});
