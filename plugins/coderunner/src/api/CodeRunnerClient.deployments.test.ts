import { createFetchApi, FetchMiddlewares } from '@backstage/core-app-api';
import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/test-utils';
import { CodeRunnerClient } from './CodeRunnerClient';
import { sentRequests } from '../__testUtils__/sentRequests';

/** Method, URL and body of each request the client sent. */
function sent(fetch: jest.Mock) {
  return Promise.all(
    sentRequests(fetch).map(async request => [
      request.method,
      request.url,
      await request.text(),
    ]),
  );
}

describe('CodeRunnerClient deployments', () => {
  const base = 'http://backend/api/coderunner';
  const entity = `${base}/entities/component/default/hello-node/deployments`;

  function clientAnswering(status: number, body: unknown) {
    const fetchApi = {
      fetch: jest.fn(
        async (_input: RequestInfo | URL) =>
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

  it('lists every deployment and an entity’s deployments', async () => {
    const { client, fetchApi } = clientAnswering(200, { items: [{ id: 'd' }] });

    await expect(client.listDeploymentPage()).resolves.toEqual({
      items: [{ id: 'd' }],
    });
    await expect(
      client.listDeployments('component:default/hello-node'),
    ).resolves.toEqual([{ id: 'd' }]);
    expect(sentRequests(fetchApi.fetch).map(request => request.url)).toEqual([
      `${base}/deployments`,
      entity,
    ]);
  });

  it('asks for a page of the global list with its cursor and filters', async () => {
    const page = { items: [], nextCursor: 'abc', environments: ['staging'] };
    const { client, fetchApi } = clientAnswering(200, page);

    await expect(
      client.listDeploymentPage({
        limit: 25,
        cursor: 'eyJyIjoiYSJ9',
        environments: ['staging', 'production'],
        statuses: ['ready', 'degraded'],
        text: 'hello node',
      }),
    ).resolves.toEqual(page);
    const url = new URL(sentRequests(fetchApi.fetch)[0].url);
    expect(url.pathname).toBe('/api/coderunner/deployments');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '25',
      cursor: 'eyJyIjoiYSJ9',
      environment: 'staging,production',
      status: 'ready,degraded',
      q: 'hello node',
    });
  });

  it('posts deploy and rollback bodies as JSON', async () => {
    const { client, fetchApi } = clientAnswering(202, { deployment: {} });

    await client.deploy('component:default/hello-node', 'staging', {
      instances: 2,
    });
    await client.rollback('component:default/hello-node', 'staging', {
      releaseNumber: 1,
    });

    expect(await sent(fetchApi.fetch)).toEqual([
      ['POST', `${entity}/staging/deploy`, '{"instances":2}'],
      ['POST', `${entity}/staging/rollback`, '{"releaseNumber":1}'],
    ]);
  });

  it.each([
    ['restart', 'POST', `${entity}/development/restart`],
    ['stop', 'POST', `${entity}/development/stop`],
    ['start', 'POST', `${entity}/development/start`],
    ['delete', 'DELETE', `${entity}/development`],
  ] as const)('sends %s as %s %s', async (action, method, url) => {
    const { client, fetchApi } = clientAnswering(202, { deployment: {} });

    await client.changeDeployment(
      'component:default/hello-node',
      'development',
      action,
    );

    expect(await sent(fetchApi.fetch)).toEqual([[method, url, '']]);
  });

  it.each([
    ['a signed-in user', 'user-token', 'Bearer user-token'],
    ['no token (the middleware passes the request on untouched)', '', null],
  ])(
    'posts a body through Backstage’s own fetch API with %s',
    async (_who, token, authorization) => {
      const received: Request[] = [];
      const fetchApi = createFetchApi({
        baseImplementation: async (input, init) => {
          received.push(new Request(input, init));
          return new Response(JSON.stringify({ deployment: { id: 'd' } }), {
            status: 202,
            headers: { 'Content-Type': 'application/json' },
          });
        },
        middleware: FetchMiddlewares.injectIdentityAuth({
          identityApi: mockApis.identity({ token: token || undefined }),
          config: mockApis.config({
            data: { backend: { baseUrl: 'http://backend' } },
          }),
        }),
      });
      const client = new CodeRunnerClient({
        discoveryApi: { getBaseUrl: async () => base },
        fetchApi,
      });

      await expect(
        client.deploy('component:default/hello-node', 'production', {
          instances: 2,
        }),
      ).resolves.toEqual({ deployment: { id: 'd' } });
      expect(received).toHaveLength(1);
      expect(received[0].method).toBe('POST');
      expect(received[0].url).toBe(`${entity}/production/deploy`);
      expect(received[0].headers.get('authorization')).toBe(authorization);
      expect(received[0].headers.get('content-type')).toBe('application/json');
      expect(await received[0].json()).toEqual({ instances: 2 });
    },
  );

  it('reads releases and a release’s build log lines', async () => {
    const { client, fetchApi } = clientAnswering(200, { items: [] });

    await client.listReleases('component:default/hello-node', 'development');
    await client.readDeploymentLogs(
      'component:default/hello-node',
      'development',
      { streams: ['build', 'system'], releaseId: 'r1', limit: 500 },
    );

    expect(sentRequests(fetchApi.fetch).map(request => request.url)).toEqual([
      `${entity}/development/releases`,
      `${entity}/development/logs?limit=500&stream=build,system&releaseId=r1`,
    ]);
  });

  it('turns a 409 into a ResponseError with the backend message', async () => {
    const { client } = clientAnswering(409, {
      error: { name: 'ConflictError', message: 'A rollout is in progress' },
      response: { statusCode: 409 },
    });

    const error = await client
      .deploy('component:default/hello-node', 'development')
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('A rollout is in progress');
  });

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
    expect(sentRequests(fetchApi.fetch)[0].url).toBe(
      `${entity}/staging/metrics?metric=requests&window=1h&step=30`,
    );
  });

  it('leaves window and step to the backend when not given', async () => {
    const { client, fetchApi } = clientAnswering(200, { points: [] });

    await client.readDeploymentMetrics(
      'component:default/hello-node',
      'staging',
      { metric: 'cpu_percent' },
    );
    expect(sentRequests(fetchApi.fetch)[0].url).toBe(
      `${entity}/staging/metrics?metric=cpu_percent`,
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
