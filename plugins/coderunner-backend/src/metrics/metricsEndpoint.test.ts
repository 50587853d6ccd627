import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { coderunnerPlugin } from '../plugin';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const TOKEN = 'a-scrape-token-of-32-characters!';

function startBackend(metrics?: JsonObject) {
  return startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({
        data: {
          coderunner: {
            gateway: { port: 0, listenHost: '127.0.0.1' },
            ...(metrics && { metrics }),
          },
        },
      }),
    ],
  });
}

describe('GET /api/coderunner/metrics', () => {
  it('by default wants a Backstage service credential: no credentials 401, a user 403', async () => {
    const { server } = await startBackend();
    const anonymous = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const user = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', mockCredentials.user.header());
    expect(user.status).toBe(403);

    const service = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
    expect(service.headers['content-type']).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    for (const name of [
      'coderunner_gateway_requests_total',
      'coderunner_gateway_request_duration_seconds',
      'coderunner_deployment_desired_instances',
      'coderunner_deployment_instances',
      'coderunner_deployment_releases',
      'coderunner_api_request_duration_seconds',
      'coderunner_agentsphere_calls_total',
      'coderunner_agentsphere_call_duration_seconds',
      'coderunner_agentsphere_circuit_open',
      'coderunner_log_stream_connections',
      'coderunner_log_stream_subscriptions',
      'coderunner_log_write_lag_seconds',
    ]) {
      expect(service.text).toContain(`# TYPE ${name} `);
    }
    // Only CodeRunner's own series: prom-client's global registry (shared by every plugin) is not used.
    expect(service.text).not.toMatch(/^process_|^nodejs_/m);
  });

  it('leaves the gateway series out when coderunner.metrics.gateway.enabled is false', async () => {
    const { server } = await startBackend({ gateway: { enabled: false } });
    const scrape = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', mockCredentials.service.header());
    expect(scrape.status).toBe(200);
    expect(scrape.text).not.toContain('coderunner_gateway_');
    expect(scrape.text).toContain('# TYPE coderunner_deployment_instances ');
  });

  it('with a token, answers only requests that carry it', async () => {
    const { server } = await startBackend({ token: TOKEN });
    for (const authorization of [
      '',
      'Bearer wrong-token-of-some-length',
      mockCredentials.service.header(),
      TOKEN,
    ]) {
      const refused = await request(server)
        .get('/api/coderunner/metrics')
        .set('authorization', authorization);
      expect({ authorization, status: refused.status }).toEqual({
        authorization,
        status: 401,
      });
      expect(refused.body.error.message).toContain('coderunner.metrics.token');
    }
    const scraped = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', `Bearer ${TOKEN}`);
    expect(scraped.status).toBe(200);
  });

  it('unauthenticated only when configured so', async () => {
    const { server } = await startBackend({ auth: 'unauthenticated' });
    const scraped = await request(server)
      .get('/api/coderunner/metrics')
      .set('authorization', mockCredentials.none.header());
    expect(scraped.status).toBe(200);
  });

  it('refuses to start with a token policy and no usable token, or an unknown policy', async () => {
    await expect(startBackend({ auth: 'token' })).rejects.toThrow(
      /set coderunner\.metrics\.token/,
    );
    await expect(
      startBackend({ auth: 'token', token: 'short' }),
    ).rejects.toThrow(/at least 16 characters/);
    await expect(startBackend({ flushIntervalSeconds: 1 })).rejects.toThrow(
      /coderunner\.metrics\.flushIntervalSeconds must be between 5 and 300; got 1/,
    );
    await expect(startBackend({ auth: 'open' })).rejects.toThrow(
      /coderunner\.metrics\.auth must be one of backstage, token, unauthenticated; got 'open'/,
    );
  });

  it('times API calls by route pattern, never by the path a client sent', async () => {
    const { server } = await startBackend({ auth: 'unauthenticated' });
    await request(server).get(
      '/api/coderunner/entities/component/default/some-secret-name/setup',
    );
    await request(server).get('/api/coderunner/no/such/path/with-user-input');
    const scraped = await request(server).get('/api/coderunner/metrics');
    expect(scraped.text).toMatch(
      /coderunner_api_request_duration_seconds_count\{method="GET",route="\/entities\/:kind\/:namespace\/:name\/setup",code="4xx"\} 1/,
    );
    expect(scraped.text).toMatch(
      /coderunner_api_request_duration_seconds_count\{method="GET",route="unmatched",code="4xx"\} 1/,
    );
    expect(scraped.text).not.toContain('some-secret-name');
    expect(scraped.text).not.toContain('with-user-input');
  });
});
