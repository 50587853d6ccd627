import { ResponseError } from '@backstage/errors';
import { CodeRunnerClient } from './CodeRunnerClient';
import { LogsClient } from './LogsClient';
import { sentRequests } from '../__testUtils__/sentRequests';

describe('LogsClient', () => {
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
  };
  const identityApi = {
    getCredentials: async () => ({ token: 'user-token' }),
  } as any;

  function answering(response: Response) {
    const fetchApi = {
      fetch: jest.fn(async (_input: RequestInfo | URL) => response),
    };
    return {
      fetchApi,
      client: new LogsClient({ discoveryApi, fetchApi, identityApi }),
    };
  }

  it('searches the stored history of one environment with the filters and the time range', async () => {
    const { client, fetchApi } = answering(
      new Response(JSON.stringify({ seqs: [42, 142], next: 143 })),
    );
    await expect(
      client.search('component:default/hello-node', 'development', 'tick', {
        filter: { streams: ['stderr'], levels: ['warn', 'error'] },
        since: '2026-12-01T10:00:00.000Z',
        limit: 10_000,
      }),
    ).resolves.toEqual({ seqs: [42, 142], next: 143 });
    const url = new URL(sentRequests(fetchApi.fetch)[0].url);
    expect(url.pathname).toBe(
      '/api/coderunner/entities/component/default/hello-node/deployments/development/logs/search',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'tick',
      limit: '10000',
      stream: 'stderr',
      level: 'warn,error',
      since: '2026-12-01T10:00:00.000Z',
    });
  });

  it('downloads the history as a file in the format asked for', async () => {
    const { client, fetchApi } = answering(
      new Response('line 1\nline 2\n', { status: 200 }),
    );
    const blob = await client.download(
      'component:default/hello-node',
      'dev env',
      'ndjson',
      { filter: { releaseId: 'r1', instanceId: 'i1', text: 'boom' } },
    );
    expect(await blob.text()).toBe('line 1\nline 2\n');
    const url = new URL(sentRequests(fetchApi.fetch)[0].url);
    expect(url.pathname).toBe(
      '/api/coderunner/entities/component/default/hello-node/deployments/dev%20env/logs/download',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'ndjson',
      releaseId: 'r1',
      instanceId: 'i1',
      q: 'boom',
    });
  });

  it("turns a refused request into a ResponseError with the backend's message", async () => {
    const { client } = answering(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'not an owner' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    const error = await client
      .download('component:default/hello-node', 'development', 'text')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe('not an owner');
  });
});

describe('CodeRunnerClient.readDeploymentLogs', () => {
  it('reads the lines written at or after a time', async () => {
    const fetchApi = {
      fetch: jest.fn(
        async (_input: RequestInfo | URL) =>
          new Response(JSON.stringify({ items: [], lastSeq: 0 })),
      ),
    };
    const client = new CodeRunnerClient({
      discoveryApi: {
        getBaseUrl: async (pluginId: string) =>
          `http://backend/api/${pluginId}`,
      },
      fetchApi,
    });
    await client.readDeploymentLogs(
      'component:default/hello-node',
      'development',
      { limit: 1, since: '2026-12-01T10:00:00.000Z', levels: ['error'] },
    );
    const url = new URL(sentRequests(fetchApi.fetch)[0].url);
    expect(url.pathname).toBe(
      '/api/coderunner/entities/component/default/hello-node/deployments/development/logs',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '1',
      level: 'error',
      since: '2026-12-01T10:00:00.000Z',
    });
  });
});
