import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DeploymentMetricName,
  DeploymentMetricsQuery,
  MetricSeries,
  MetricSeriesPoint,
} from '../../api';
import {
  aDeployment,
  aRelease,
  backendError,
  fakeCodeRunnerApi,
  renderDeployments,
  setupWithManifest,
} from '../../__testUtils__';
import { METRICS_REFRESH_MS } from '../../hooks/useDeploymentMetrics';
import { DeploymentsTab } from '../DeploymentsTab';
import { MetricsSection } from './MetricsSection';

const FROM = '2025-05-01T09:00:00.000Z';
const TO = '2025-05-01T10:00:00.000Z';

function point(minute: number, value: number, extra = {}): MetricSeriesPoint {
  return {
    at: new Date(Date.parse(FROM) + minute * 60_000).toISOString(),
    value,
    ...extra,
  };
}

/** An API whose metrics answer `points` per metric (none for the others). */
function apiAnswering(
  points: Partial<Record<DeploymentMetricName, MetricSeriesPoint[]>>,
) {
  const api = fakeCodeRunnerApi(setupWithManifest);
  api.readDeploymentMetrics.mockImplementation(
    async (_ref: string, _env: string, query: DeploymentMetricsQuery) =>
      ({
        metric: query.metric,
        from: FROM,
        to: TO,
        stepSeconds: 30,
        points: points[query.metric] ?? [],
      } satisfies MetricSeries),
  );
  return api;
}

const withTraffic = {
  requests: [point(0, 0), point(1, 2.5), point(2, 0.5)],
  latency_p95_ms: [point(1, 40, { min: 12, max: 80 }), point(2, 35)],
  error_ratio: [point(1, 0.02), point(2, 0)],
  cpu_percent: [point(0, 3.2), point(1, 7.5)],
  memory_mib: [point(0, 48), point(1, 52)],
  instances_ready: [point(0, 1), point(1, 2)],
};

function chart(metric: DeploymentMetricName) {
  return within(screen.getByTestId(`coderunner-metric-${metric}`));
}

function renderSection(api: ReturnType<typeof apiAnswering>, releases = []) {
  return renderDeployments(
    <MetricsSection
      entityRef="component:default/hello-node"
      deployment={aDeployment()}
      releases={releases}
    />,
    api,
  );
}

describe('MetricsSection', () => {
  it('shows every chart with its latest value and range as text', async () => {
    const api = apiAnswering(withTraffic);
    await renderSection(api);

    await screen.findByTestId('coderunner-metric-requests');
    expect(
      chart('requests').getByText(
        'Latest 0.5 req/s; lowest 0 req/s, highest 2.5 req/s in the last hour.',
      ),
    ).toBeInTheDocument();
    // The smallest and largest sample of a step count, not only its average.
    expect(
      chart('latency_p95_ms').getByText(
        'Latest 35 ms; lowest 12 ms, highest 80 ms in the last hour.',
      ),
    ).toBeInTheDocument();
    expect(
      chart('error_ratio').getByText(
        'Latest 0%; lowest 0%, highest 2% in the last hour.',
      ),
    ).toBeInTheDocument();
    expect(chart('cpu_percent').getByText(/Latest 7.5%/)).toBeInTheDocument();
    expect(
      chart('memory_mib').getByText(/Latest 52 MiB; lowest 48 MiB/),
    ).toBeInTheDocument();
    expect(
      chart('instances_ready').getByText(/Latest 2; lowest 1, highest 2/),
    ).toBeInTheDocument();
    // Each chart is a figure named by its title.
    expect(
      screen.getByRole('figure', { name: 'Requests (req/s)' }),
    ).toBeInTheDocument();
    for (const metric of [
      'requests',
      'latency_p95_ms',
      'error_ratio',
      'cpu_percent',
      'memory_mib',
      'instances_ready',
    ]) {
      expect(api.readDeploymentMetrics).toHaveBeenCalledWith(
        'component:default/hello-node',
        'development',
        { metric, window: '1h', step: undefined },
      );
    }
  });

  it('says what to do when nothing was measured yet', async () => {
    await renderSection(apiAnswering({ requests: [point(0, 0), point(1, 0)] }));

    expect(await screen.findByText('No traffic yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Open the app's URL \(above\) or send it requests/),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('coderunner-metric-requests'),
    ).not.toBeInTheDocument();
  });

  it('shows resource charts without traffic and tells how to get request charts', async () => {
    await renderSection(
      apiAnswering({ requests: [point(0, 0)], cpu_percent: [point(0, 2)] }),
    );

    await screen.findByTestId('coderunner-metric-cpu_percent');
    expect(chart('cpu_percent').getByText(/Latest 2%/)).toBeInTheDocument();
    expect(
      chart('requests').getByText(
        "No traffic in the last hour: open the app's URL to send it requests.",
      ),
    ).toBeInTheDocument();
  });

  it('reads the chosen window from labelled toggle buttons', async () => {
    const api = apiAnswering(withTraffic);
    await renderSection(api);
    await screen.findByTestId('coderunner-metric-requests');

    const group = screen.getByRole('group', { name: 'Time window' });
    expect(
      within(group).getByRole('button', { name: '1 h, last hour' }),
    ).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(
      within(group).getByRole('button', { name: '7 d, last 7 days' }),
    );

    await waitFor(() =>
      expect(api.readDeploymentMetrics).toHaveBeenCalledWith(
        'component:default/hello-node',
        'development',
        { metric: 'requests', window: '7d', step: undefined },
      ),
    );
    expect(
      await chart('requests').findByText(/in the last 7 days\.$/),
    ).toBeInTheDocument();
    expect(
      within(group).getByRole('button', { name: '7 d, last 7 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('names the releases that rolled out within the window and instance count changes', async () => {
    await renderSection(apiAnswering(withTraffic), [
      aRelease({ number: 3, builtAt: '2025-05-01T09:30:00.000Z' }),
      aRelease({ number: 2, builtAt: '2025-05-01T08:00:00.000Z' }),
      aRelease({ number: 4, status: 'failed', builtAt: undefined }),
    ] as never);

    const note = await screen.findByText(/Dashed lines mark releases/);
    expect(note).toHaveTextContent(/Release 3 \(#3\) at/);
    expect(note).not.toHaveTextContent(/Release 2|Release 4/);
    // withTraffic's ready instances go from 1 to 2 at minute 1.
    expect(
      screen.getByText(
        /Dotted lines mark changes in the number of ready instances: 2 ready \(×2\) at/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend’s error', async () => {
    const api = apiAnswering({});
    api.readDeploymentMetrics.mockRejectedValue(
      await backendError(
        404,
        'NotFoundError',
        'component:default/hello-node has no deployment in development',
      ),
    );
    await renderSection(api);

    expect(
      await screen.findByText(
        'Error: Request failed with 404 NotFoundError: component:default/hello-node has no deployment in development',
      ),
    ).toBeInTheDocument();
  });

  it('re-reads the series while shown', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask'] });
    try {
      const api = apiAnswering({ requests: [point(1, 1)] });
      await renderSection(api);
      await screen.findByText(/Latest 1 req\/s/);

      api.readDeploymentMetrics.mockImplementation(
        async (_ref: string, _env: string, query: DeploymentMetricsQuery) => ({
          metric: query.metric,
          from: FROM,
          to: TO,
          stepSeconds: 30,
          points: query.metric === 'requests' ? [point(1, 1), point(2, 4)] : [],
        }),
      );
      act(() => {
        jest.advanceTimersByTime(METRICS_REFRESH_MS);
      });

      expect(await screen.findByText(/Latest 4 req\/s/)).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('sits in each deployed environment’s card on the Deployments tab', async () => {
    const api = apiAnswering(withTraffic);
    api.listDeployments.mockResolvedValue([aDeployment()]);
    await renderDeployments(<DeploymentsTab />, api);

    const card = within(
      await screen.findByTestId('coderunner-environment-development'),
    );
    expect(
      await card.findByRole('heading', { name: 'Metrics' }),
    ).toBeInTheDocument();
    expect(
      await card.findByText(/highest 2.5 req\/s in the last hour/),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('coderunner-environment-staging')).queryByRole(
        'heading',
        { name: 'Metrics' },
      ),
    ).not.toBeInTheDocument();
  });
});
