import { ResponseError } from '@backstage/errors';
import { CodeRunnerClient } from './CodeRunnerClient';

describe('CodeRunnerClient metrics', () => {
  const base = 'http://backend/api/coderunner';
  const deployment = `${base}/entities/component/default/hello-node/deployments/staging`;

  function clientAnswering(status: number, body: unknown) {
    const fetchApi = {
      fetch: jest.fn(
        async (_input: RequestInfo | URL, _init?: RequestInit) =>
          new Response(JSON.stringify(body), {
            status,
            headers: { 'Content-Type': 'application/json' },
          }),
      ),
    };
    const discoveryApi = { getBaseUrl: async () => base };
    return {
      fetchApi,
      client: new CodeRunnerClient({ discoveryApi, fetchApi }),
    };
  }

  it('asks for a metric over a window and step and returns the series', async () => {
    const series = {
      metric: 'requests',
      from: '2025-05-01T09:00:00.000Z',
      to: '2025-05-01T10:00:00.000Z',
      stepSeconds: 30,
      points: [{ at: '2025-05-01T09:00:00.000Z', value: 2 }],
    };
    const { client, fetchApi } = clientAnswering(200, series);

    await expect(
      client.readDeploymentMetrics('component:default/hello-node', 'staging', {
        metric: 'requests',
        window: '1h',
        step: 30,
      }),
    ).resolves.toEqual(series);
    expect(fetchApi.fetch.mock.calls[0][0]).toBe(
      `${deployment}/metrics?metric=requests&window=1h&step=30`,
    );
  });

  it('leaves window and step to the backend when not given', async () => {
    const { client, fetchApi } = clientAnswering(200, { points: [] });

    await client.readDeploymentMetrics(
      'component:default/hello-node',
      'staging',
      { metric: 'cpu_percent' },
    );
    expect(fetchApi.fetch.mock.calls[0][0]).toBe(
      `${deployment}/metrics?metric=cpu_percent`,
    );
  });

  it('throws the backend’s error, e.g. a window past the retention', async () => {
    const { client } = clientAnswering(400, {
      error: {
        name: 'InputError',
        message: 'window 30d reaches past the 15 days that metrics are kept',
      },
      response: { statusCode: 400 },
    });

    const failure = await client
      .readDeploymentMetrics('component:default/hello-node', 'staging', {
        metric: 'requests',
        window: '30d',
      })
      .catch(error => error);
    expect(failure).toBeInstanceOf(ResponseError);
    expect((failure as ResponseError).body.error.message).toMatch(/15 days/);
  });
});
