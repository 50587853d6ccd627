import { TestApiProvider, mockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scalingApiRef } from '../../api';
import {
  aScalingDecision,
  aScalingStatus,
  backendError,
  fakeCodeRunnerApi,
  fakeScalingApi,
  renderDeployments,
  setupWithManifest,
  setupWithoutManifest,
} from '../../__testUtils__';
import { AutoscalingTab } from './AutoscalingTab';

const ENTITY = 'component:default/hello-node';

async function renderTab(
  scaling: ReturnType<typeof fakeScalingApi>,
  options: { setup?: typeof setupWithManifest; deny?: boolean } = {},
) {
  return renderDeployments(
    <TestApiProvider apis={[[scalingApiRef, scaling.api]]}>
      <AutoscalingTab />
    </TestApiProvider>,
    fakeCodeRunnerApi(options.setup ?? setupWithManifest),
    options.deny
      ? mockApis.permission({ authorize: AuthorizeResult.DENY })
      : undefined,
  );
}

function figure(name: string) {
  return screen.getByTestId(`coderunner-scaling-${name}`);
}

describe('AutoscalingTab', () => {
  it('says how to add a manifest when there is none', async () => {
    await renderTab(fakeScalingApi(), { setup: setupWithoutManifest });

    expect(
      await screen.findByText('This component has no coderunner.yaml'),
    ).toBeInTheDocument();
  });

  it('says the environment is not deployed and where to deploy it', async () => {
    const scaling = fakeScalingApi(
      await backendError(
        404,
        'NotFoundError',
        'component:default/hello-node has not been deployed to development',
      ),
    );
    await renderTab(scaling);

    expect(
      await screen.findByText('Not deployed to development'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/deploy development from the Deployments tab/),
    ).toBeInTheDocument();
  });

  it('shows the backend’s error when the status cannot be read', async () => {
    await renderTab(
      fakeScalingApi(
        await backendError(500, 'Error', 'the scaling store is unavailable'),
      ),
    );

    expect(
      await screen.findByText(
        'Error: Request failed with 500 Error: the scaling store is unavailable',
      ),
    ).toBeInTheDocument();
  });

  it('shows counts, the policy with where each value comes from, and the history as sentences', async () => {
    const status = aScalingStatus({
      desiredInstances: 4,
      policy: {
        ...aScalingStatus().policy,
        maxInstances: 5,
        budgetMaxInstances: 4,
        targets: { cpuPercent: 50, p95LatencyMs: 200 },
        sources: {
          manifest: { template: 'web-app', minInstances: 1, maxInstances: 3 },
          override: {
            version: 3,
            by: 'user:default/alice',
            at: new Date().toISOString(),
            values: {
              maxInstances: 5,
              targets: { cpuPercent: 50, p95LatencyMs: 200 },
            },
          },
        },
      },
    });
    const at = new Date();
    at.setHours(14, 2, 0, 0);
    const scaling = fakeScalingApi(status);
    scaling.api.listDecisions.mockResolvedValue([
      aScalingDecision({ at: at.toISOString() }),
    ]);
    await renderTab(scaling);

    await screen.findByTestId('coderunner-scaling-counts');
    expect(figure('current')).toHaveTextContent(/Current.*2/);
    expect(figure('desired')).toHaveTextContent(/Desired.*4/);
    expect(figure('ready')).toHaveTextContent(/Ready.*2/);
    expect(
      screen.getByText('Scaling up: 2 more to start.'),
    ).toBeInTheDocument();

    const table = within(
      screen.getByRole('table', { name: 'Effective scaling policy' }),
    );
    for (const row of [
      'Template web-app coderunner.yaml',
      'Minimum instances 1 coderunner.yaml',
      'Maximum instances 4 (5 configured) Budget cap',
      'Target: CPU 50% Override v3 by alice',
      'Target: p95 latency 200 ms Override v3 by alice',
      'Scale-down window 5 min Template web-app',
    ]) {
      expect(table.getByRole('row', { name: row })).toBeInTheDocument();
    }

    const history = within(screen.getByTestId('coderunner-scaling-history'));
    const time = at.toLocaleString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(
      await history.findByText(
        `2 → 4 at ${time}: p95 latency 480 ms over the 200 ms target; CPU 55% within target`,
      ),
    ).toBeInTheDocument();
    expect(history.getByText('Autoscaler')).toBeInTheDocument();
    expect(scaling.api.listDecisions).toHaveBeenCalledWith(
      ENTITY,
      'development',
      { limit: 50, before: undefined, changedOnly: true },
    );
  });

  it('follows the stream: a new status and its decision show without a reload', async () => {
    const scaling = fakeScalingApi();
    scaling.api.listDecisions.mockResolvedValue([]);
    await renderTab(scaling);
    await screen.findByText('No scaling changes yet');
    expect(screen.getByText('Connecting…')).toBeInTheDocument();

    scaling.serve(
      aScalingStatus({
        currentInstances: 3,
        desiredInstances: 3,
        readyInstances: 2,
      }),
      aScalingDecision({
        id: 'decision-7',
        from: 2,
        to: 3,
        explanation: '2 → 3: CPU 91% over the 60% target',
      }),
    );

    expect(screen.getByText('Live')).toBeInTheDocument();
    expect(figure('desired')).toHaveTextContent(/Desired.*3/);
    expect(screen.getByText('1 starting.')).toBeInTheDocument();
    expect(
      screen.getByText(/^2 → 3 at .*: CPU 91% over the 60% target$/),
    ).toBeInTheDocument();
    expect(scaling.api.watch).toHaveBeenCalledWith(
      ENTITY,
      'development',
      expect.anything(),
    );
    // Each environment has its own subscription.
    expect(scaling.api.getStatus).toHaveBeenCalledTimes(1);
  });

  it("lists a person's hold at an unchanged count by default, but not the autoscaler's ticks that held", async () => {
    const scaling = fakeScalingApi();
    scaling.api.listDecisions.mockResolvedValue([]);
    await renderTab(scaling);
    await screen.findByText('No scaling changes yet');

    scaling.serve(
      aScalingStatus({ currentInstances: 2, desiredInstances: 2 }),
      aScalingDecision({
        id: 'tick',
        from: 2,
        to: 2,
        direction: 'none',
        explanation: 'holding at 2: CPU 40% within target',
      }),
    );
    scaling.serve(
      aScalingStatus({ currentInstances: 2, desiredInstances: 2 }),
      aScalingDecision({
        id: 'hold',
        from: 2,
        to: 2,
        direction: 'none',
        cause: 'manual',
        by: 'user:default/guest',
        explanation: 'holding at 2: held by guest: incident 42',
      }),
    );

    const history = within(screen.getByTestId('coderunner-scaling-history'));
    expect(
      await history.findByText(/held by guest: incident 42$/),
    ).toBeInTheDocument();
    expect(history.queryByText(/CPU 40% within target$/)).toBeNull();
  });

  it('filters the history: every decision on request, and by cause', async () => {
    const scaling = fakeScalingApi();
    await renderTab(scaling);
    const history = within(
      await screen.findByTestId('coderunner-scaling-history'),
    );
    await history.findByText(/^2 → 4 at/);

    scaling.api.listDecisions.mockResolvedValue([
      aScalingDecision({
        id: 'held',
        from: 2,
        to: 2,
        direction: 'none',
        explanation: 'holding at 2: CPU 40% within target',
      }),
      aScalingDecision({
        id: 'manual',
        from: 4,
        to: 1,
        direction: 'down',
        cause: 'manual',
        by: 'user:default/guest',
        explanation: '4 → 1: held by guest: quiet night',
      }),
    ]);
    await userEvent.click(
      history.getByRole('button', { name: 'All decisions' }),
    );
    await waitFor(() =>
      expect(scaling.api.listDecisions).toHaveBeenLastCalledWith(
        ENTITY,
        'development',
        { limit: 50, before: undefined, changedOnly: undefined },
      ),
    );
    expect(
      await history.findByText(/^Held at 2 at .*: CPU 40% within target$/),
    ).toBeInTheDocument();
    expect(history.getByText(/^4 → 1 at/)).toBeInTheDocument();

    await userEvent.click(history.getByRole('button', { name: /Cause/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Manual hold' }),
    );
    await waitFor(() =>
      expect(history.queryByText(/^Held at 2/)).not.toBeInTheDocument(),
    );
    expect(history.getByText(/^4 → 1 at/)).toBeInTheDocument();
    expect(history.getByText('Manual hold · by guest')).toBeInTheDocument();
  });

  it('holds a count with a reason and an expiry, then releases it', async () => {
    const scaling = fakeScalingApi();
    // The backend answers with the hold it stored, expiring when the request said: however long
    // the typing below takes, the answer is an hour from when it was sent.
    scaling.api.hold.mockImplementation(async (_ref, _env, request) =>
      aScalingStatus({
        desiredInstances: 4,
        hold: {
          instances: request.instances,
          reason: request.reason,
          by: 'user:default/guest',
          at: new Date().toISOString(),
          expiresAt: request.expiresAt,
        },
      }),
    );
    const { alertApi } = await renderTab(scaling);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Set instances' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    const instances = dialog.getByRole('spinbutton', { name: 'Instances' });
    await userEvent.clear(instances);
    await userEvent.type(instances, '4');
    // A hold needs a reason.
    expect(
      dialog.getByRole('button', { name: 'Hold this count' }),
    ).toBeDisabled();
    await userEvent.type(
      dialog.getByRole('textbox', { name: /Reason/ }),
      'launch at 14:00',
    );
    const before = Date.now();
    await userEvent.click(
      dialog.getByRole('button', { name: 'Hold this count' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(scaling.api.hold).toHaveBeenCalledWith(ENTITY, 'development', {
      instances: 4,
      reason: 'launch at 14:00',
      expiresAt: expect.any(String),
    });
    const expiresAt = Date.parse(scaling.api.hold.mock.calls[0][2].expiresAt!);
    // The default expiry is an hour from when it was sent.
    expect(expiresAt - before).toBeGreaterThanOrEqual(3600_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Holding development at 4 instances',
      }),
    );
    expect(screen.getByTestId('coderunner-scaling-hold')).toHaveTextContent(
      /Held at 4 instances by guest .*“launch at 14:00”.*The policy takes over again in (60 minutes|1 hour)\./,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Release hold' }));
    const confirm = within(await screen.findByRole('dialog'));
    await userEvent.click(
      confirm.getByRole('button', { name: 'Release hold' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByTestId('coderunner-scaling-hold'),
      ).not.toBeInTheDocument(),
    );
    expect(scaling.api.releaseHold).toHaveBeenCalledWith(ENTITY, 'development');
  });

  it('pauses with a reason and resumes', async () => {
    const scaling = fakeScalingApi();
    scaling.api.pause.mockResolvedValue(
      aScalingStatus({
        paused: {
          by: 'user:default/guest',
          at: new Date().toISOString(),
          reason: 'incident 42',
        },
      }),
    );
    await renderTab(scaling);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Pause autoscaling' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(
      dialog.getByRole('textbox', { name: 'Reason (optional)' }),
      'incident 42',
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Pause autoscaling' }),
    );
    expect(
      await screen.findByTestId('coderunner-scaling-paused'),
    ).toHaveTextContent(/paused by guest .*“incident 42”/);
    expect(scaling.api.pause).toHaveBeenCalledWith(
      ENTITY,
      'development',
      'incident 42',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Resume autoscaling' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByTestId('coderunner-scaling-paused'),
      ).not.toBeInTheDocument(),
    );
    expect(scaling.api.resume).toHaveBeenCalledWith(ENTITY, 'development');
  });

  it('edits the policy: checks fields before saving and marks the field the backend refused', async () => {
    const scaling = fakeScalingApi();
    scaling.api.savePolicy.mockRejectedValueOnce(
      await backendError(
        400,
        'InputError',
        'targets.p95LatencyMs must be at least 10 ms, got 5',
      ),
    );
    await renderTab(scaling);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit policy' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    const min = dialog.getByRole('spinbutton', { name: 'Minimum instances' });
    await userEvent.clear(min);
    await userEvent.type(min, '9');
    expect(dialog.getByText('Must not exceed the maximum')).toBeInTheDocument();
    expect(dialog.getByRole('button', { name: 'Save policy' })).toBeDisabled();

    await userEvent.clear(min);
    await userEvent.type(min, '1');
    const max = dialog.getByRole('spinbutton', { name: 'Maximum instances' });
    await userEvent.clear(max);
    await userEvent.type(max, '8');
    const latency = dialog.getByRole('spinbutton', {
      name: 'p95 latency target (ms)',
    });
    await userEvent.clear(latency);
    await userEvent.type(latency, '5');
    await userEvent.click(dialog.getByRole('button', { name: 'Save policy' }));

    expect(
      await dialog.findByText('The backend refused this value (below)'),
    ).toBeInTheDocument();
    expect(latency).toHaveAttribute('aria-invalid', 'true');
    expect(max).toHaveAttribute('aria-invalid', 'false');
    expect(dialog.getByRole('alert')).toHaveTextContent(
      'targets.p95LatencyMs must be at least 10 ms, got 5',
    );
    expect(scaling.api.savePolicy).toHaveBeenCalledWith(ENTITY, 'development', {
      maxInstances: 8,
      targets: { cpuPercent: 60, p95LatencyMs: 5 },
    });

    await userEvent.clear(latency);
    await userEvent.type(latency, '250');
    const errorRate = dialog.getByRole('spinbutton', {
      name: 'Error rate target (%)',
    });
    await userEvent.type(errorRate, '2');
    await userEvent.click(dialog.getByRole('button', { name: 'Save policy' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(scaling.api.savePolicy).toHaveBeenLastCalledWith(
      ENTITY,
      'development',
      {
        maxInstances: 8,
        targets: { cpuPercent: 60, p95LatencyMs: 250, errorRate: 0.02 },
      },
    );
  });

  it('resets the policy to coderunner.yaml', async () => {
    const overridden = aScalingStatus();
    overridden.policy.sources.override = {
      version: 2,
      by: 'user:default/guest',
      at: new Date().toISOString(),
      values: { minInstances: 2 },
    };
    const scaling = fakeScalingApi(overridden);
    await renderTab(scaling);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reset to coderunner.yaml' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(/saved override \(v2\) stops applying/),
    ).toBeInTheDocument();
    await userEvent.click(
      dialog.getByRole('button', { name: 'Reset to coderunner.yaml' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Reset to coderunner.yaml' }),
      ).not.toBeInTheDocument(),
    );
    expect(scaling.api.resetPolicy).toHaveBeenCalledWith(ENTITY, 'development');
  });

  it('shows the snippet to add when coderunner.yaml has no scaling section, and still allows a hold', async () => {
    await renderTab(
      fakeScalingApi(
        aScalingStatus({
          autoscaling: false,
          policy: {
            ...aScalingStatus().policy,
            template: undefined,
            sources: { manifest: { minInstances: 1, maxInstances: 1 } },
          },
        }),
      ),
    );

    expect(await screen.findByText('Autoscaling is off')).toBeInTheDocument();
    expect(screen.getByTestId('coderunner-autoscaling-tab')).toHaveTextContent(
      /scaling:\s*template: web-app/,
    );
    expect(screen.getByRole('button', { name: 'Set instances' })).toBeEnabled();
    expect(
      screen.queryByRole('button', { name: 'Pause autoscaling' }),
    ).not.toBeInTheDocument();
  });

  it('charts each targeted metric against its target', async () => {
    const scaling = fakeScalingApi();
    await renderTab(scaling);

    const cpu = await screen.findByTestId(
      'coderunner-scaling-metric-cpuPercent',
    );
    expect(cpu).toHaveTextContent(/Target 60%\.$/);
    expect(
      screen.getByTestId('coderunner-scaling-metric-p95LatencyMs'),
    ).toHaveTextContent(/Target 200 ms\.$/);
    expect(
      screen.getByTestId('coderunner-scaling-metric-instances'),
    ).toBeInTheDocument();
  });

  it('re-reads the charts when the stream delivers a decision', async () => {
    const scaling = fakeScalingApi();
    const codeRunner = fakeCodeRunnerApi(setupWithManifest);
    await renderDeployments(
      <TestApiProvider apis={[[scalingApiRef, scaling.api]]}>
        <AutoscalingTab />
      </TestApiProvider>,
      codeRunner,
    );
    await screen.findByTestId('coderunner-scaling-metric-cpuPercent');
    const reads = () => codeRunner.readDeploymentMetrics.mock.calls.length;
    await waitFor(() => expect(reads()).toBeGreaterThan(0));

    const before = reads();
    scaling.serve(
      aScalingStatus(),
      aScalingDecision({ id: 'tick-1', from: 2, to: 2, direction: 'none' }),
    );
    await waitFor(() => expect(reads()).toBeGreaterThan(before));
    const afterFirst = reads();
    scaling.serve(
      aScalingStatus(),
      aScalingDecision({ id: 'tick-2', from: 2, to: 2, direction: 'none' }),
    );
    await waitFor(() => expect(reads()).toBeGreaterThan(afterFirst));
  });

  it('disables every change for a user without coderunner.scaling.write, and says why', async () => {
    const scaling = fakeScalingApi();
    await renderTab(scaling, { deny: true });

    const names = ['Set instances', 'Pause autoscaling', 'Edit policy'];
    for (const name of names) {
      await waitFor(() =>
        expect(screen.getByRole('button', { name })).toBeDisabled(),
      );
    }
    await userEvent.hover(
      screen.getByRole('button', { name: 'Edit policy' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'may change its scaling',
    );
  });

  it('switches environment with its own subscription', async () => {
    const scaling = fakeScalingApi();
    await renderTab(scaling);
    await screen.findByTestId('coderunner-scaling-counts');

    await userEvent.click(screen.getByRole('button', { name: /Environment/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'staging' }),
    );

    await waitFor(() =>
      expect(scaling.api.watch).toHaveBeenLastCalledWith(
        ENTITY,
        'staging',
        expect.anything(),
      ),
    );
    expect(scaling.api.getStatus).toHaveBeenLastCalledWith(ENTITY, 'staging');
  });
});
