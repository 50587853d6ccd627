import { ResponseError } from '@backstage/errors';
import { CodeRunnerClient } from './CodeRunnerClient';
import { sentRequests } from '../__testUtils__/sentRequests';

describe('CodeRunnerClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(
      async (pluginId: string) => `http://backend/api/${pluginId}`,
    ),
  };

  function clientAnswering(response: Response) {
    const fetchApi = {
      fetch: jest.fn(async (_input: RequestInfo | URL) => response),
    };
    return {
      fetchApi,
      client: new CodeRunnerClient({ discoveryApi, fetchApi }),
    };
  }

  it('gets an entity setup from the coderunner backend', async () => {
    const setup = {
      entityRef: 'component:default/hello-node',
      manifestPath: 'coderunner.yaml',
      manifestFound: true,
      environments: ['development'],
    };
    const { client, fetchApi } = clientAnswering(
      new Response(JSON.stringify(setup), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    );

    await expect(
      client.getEntitySetup('Component:Default/hello-node'),
    ).resolves.toEqual(setup);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('coderunner');
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
    expect(sentRequests(fetchApi.fetch)[0].url).toBe(
      'http://backend/api/coderunner/entities/component/default/hello-node/setup',
    );
  });

  it('encodes entity names that are not URL-safe', async () => {
    const { client, fetchApi } = clientAnswering(
      new Response('{}', { status: 200 }),
    );

    await client.getEntitySetup('component:team a/svc#1');

    expect(sentRequests(fetchApi.fetch)[0].url).toBe(
      'http://backend/api/coderunner/entities/component/team%20a/svc%231/setup',
    );
  });

  it('turns a non-2xx answer into a ResponseError carrying the backend message', async () => {
    const { client } = clientAnswering(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No entity hello-node' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      ),
    );

    const error = await client
      .getEntitySetup('component:default/hello-node')
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('No entity hello-node');
  });
});
