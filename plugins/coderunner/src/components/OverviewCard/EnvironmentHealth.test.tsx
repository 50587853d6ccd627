import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { DeploymentMetricsQuery } from '../../api';
import {
  aDeployment,
  anInstance,
  fakeCodeRunnerApi,
  renderWithEntity,
  setupWithManifest,
} from '../../__testUtils__';
import { OverviewCard } from './OverviewCard';

const AT = '2025-05-01T10:00:00.000Z';

describe('OverviewCard health', () => {
  function render(points: Record<string, number>) {
    const api = fakeCodeRunnerApi(setupWithManifest);
    api.listDeployments.mockResolvedValue([
      aDeployment({
        desiredInstances: 2,
        instances: [
          anInstance(),
          anInstance({ id: 'instance-b', state: 'starting' }),
        ],
      }),
    ]);
    api.readDeploymentMetrics.mockImplementation(
      async (_ref: string, _env: string, query: DeploymentMetricsQuery) => ({
        metric: query.metric,
        from: AT,
        to: AT,
        stepSeconds: 60,
        points:
          points[query.metric] === undefined
            ? []
            : [{ at: AT, value: points[query.metric] }],
      }),
    );
    return {
      api,
      rendered: renderWithEntity(<OverviewCard />, api, {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      }),
    };
  }

  it("shows each environment's ready instances, recent error rate and p95", async () => {
    const { api, rendered } = render({
      requests: 2,
      server_errors: 0.1,
      latency_p95_ms: 48,
    });
    await rendered;

    expect(
      await screen.findByText('5% errors, p95 48 ms (last 5 min)', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('coderunner-environment-health'),
    ).toHaveTextContent(/^1 of 2 ready · 5% errors/);
    expect(api.readDeploymentMetrics).toHaveBeenCalledWith(
      'component:default/hello-node',
      'development',
      { metric: 'requests', window: '5m', step: 60 },
    );
  });

  it('says when there was no traffic', async () => {
    await render({ requests: 0 }).rendered;

    expect(
      await screen.findByText('no traffic in the last 5 min', { exact: false }),
    ).toBeInTheDocument();
  });
});
