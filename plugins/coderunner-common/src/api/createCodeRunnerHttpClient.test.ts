import { ResponseError } from '@backstage/errors';
import { createCodeRunnerHttpClient } from './createCodeRunnerHttpClient';
import { entityPathParams } from './paths';

const BASE = 'http://backend/api/coderunner';

function clientAnswering(response: () => Response) {
  const requests: Request[] = [];
  const baseUrl = jest.fn(async () => BASE);
  const client = createCodeRunnerHttpClient({
    baseUrl,
    fetch: async (url, init) => {
      requests.push(new Request(url, init));
      return response();
    },
  });
  return { client, requests, baseUrl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('createCodeRunnerHttpClient', () => {
  it('resolves the base URL for each call, encodes path parameters and returns the body', async () => {
    const setup = { entityRef: 'component:team a/svc#1', environments: [] };
    const { client, requests, baseUrl } = clientAnswering(() => json(setup));

    await expect(
      client.get('/entities/{kind}/{namespace}/{name}/setup', {
        params: { path: entityPathParams('Component:Team A/svc#1') },
      }),
    ).resolves.toEqual(setup);
    await client.get('/config/encryption');

    expect(baseUrl).toHaveBeenCalledTimes(2);
    expect(requests.map(r => [r.method, r.url])).toEqual([
      ['GET', `${BASE}/entities/component/team%20a/svc%231/setup`],
      ['GET', `${BASE}/config/encryption`],
    ]);
  });

  it('sends lists comma-separated, as the spec declares, and leaves out unset and empty ones', async () => {
    const { client, requests } = clientAnswering(() =>
      json({ items: [], environments: [] }),
    );

    await client.get('/deployments', {
      params: {
        query: {
          limit: 25,
          environment: ['staging', 'production'],
          status: [],
          cursor: undefined,
        },
      },
    });

    expect(requests[0].url).toBe(
      `${BASE}/deployments?limit=25&environment=staging,production`,
    );
  });

  it('sends a body as JSON and no body or content type without one', async () => {
    const { client, requests } = clientAnswering(() =>
      json({ deployment: {} }, 202),
    );
    const path = {
      ...entityPathParams('component:default/a'),
      environment: 'dev',
    };

    await client.post(
      '/entities/{kind}/{namespace}/{name}/deployments/{environment}/deploy',
      { params: { path }, body: { instances: 2 } },
    );
    await client.post(
      '/entities/{kind}/{namespace}/{name}/deployments/{environment}/stop',
      { params: { path } },
    );

    expect(requests[0].method).toBe('POST');
    expect(requests[0].headers.get('content-type')).toBe('application/json');
    expect(await requests[0].text()).toBe('{"instances":2}');
    expect(requests[1].headers.get('content-type')).toBeNull();
    expect(requests[1].body).toBeNull();
  });

  it('resolves a 204 to undefined', async () => {
    const { client } = clientAnswering(
      () => new Response(null, { status: 204 }),
    );

    await expect(
      client.delete('/cost/owner-budget', {
        params: { query: { ownerRef: 'group:default/team-a' } },
      }),
    ).resolves.toBeUndefined();
  });

  it('parses the body as asked, e.g. a download as a blob', async () => {
    const { client } = clientAnswering(
      () => new Response('line 1\n', { status: 200 }),
    );

    const blob = await client.get(
      '/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/download',
      {
        params: {
          path: {
            ...entityPathParams('component:default/a'),
            environment: 'dev',
          },
        },
        parseAs: 'blob',
      },
    );

    expect(await blob.text()).toBe('line 1\n');
  });

  it("turns an answer outside 2xx into a ResponseError carrying the backend's error body", async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: { name: 'NotFoundError', message: 'No entity a' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );

    const error = await client.get('/config/templates').catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('No entity a');
  });
});
