import {
  mockCredentials,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { WebSocket } from 'ws';
import { startHelloNodeBackend } from '../__testUtils__/coderunnerBackend';
import { STREAM_PROTOCOL } from '../stream/StreamServer';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

/**
 * Finding: rate limits lived in one replica's memory and covered mutations only. Two
 * replicas (two backends on one database) must share each limit, and previews, exports and
 * stream connections must be limited too, with the RateLimit-* headers.
 */
const databases = createTestDatabases();
const base = '/api/coderunner/entities/component/default/hello-node';
const LIMIT = 2;

async function startReplica(knex: Knex) {
  return startHelloNodeBackend(
    {
      environments: ['dev'],
      rateLimit: {
        mutationsPerMinute: LIMIT,
        previewsPerMinute: LIMIT,
        exportsPerMinute: LIMIT,
        streamConnectsPerMinute: LIMIT,
      },
    },
    [mockServices.database.factory({ knex })],
  );
}

/** Opens a stream socket; resolves with the HTTP status and headers of a refused upgrade. */
function connect(backend: TestBackend) {
  const url = `ws://localhost:${backend.server.port()}/api/coderunner/stream`;
  const ws = new WebSocket(url, [
    STREAM_PROTOCOL,
    mockCredentials.user.token(),
  ]);
  return new Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: string;
  }>((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, headers: {}, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', chunk => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
      );
    });
    ws.once('error', reject);
  });
}

describe('rate limits shared across replicas', () => {
  const backends: TestBackend[] = [];
  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.stop();
  });

  it.each(databases.eachSupportedId())(
    'counts mutations, previews, exports and stream connections of one user on every replica together on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const one = await startReplica(knex);
      backends.push(one);
      const two = await startReplica(knex);
      backends.push(two);
      const replicas = [one.server, two.server];

      let n = 0;
      const change = (server: any) =>
        request(server)
          .post(`${base}/config/changes`)
          .send({ changes: [{ scope: 'dev', name: `V${++n}`, value: '1' }] });
      const importPreview = (server: any) =>
        request(server)
          .post(`${base}/config/import/preview`)
          .send({ scope: 'dev', format: 'env', content: 'A=1' });
      const templatePreview = (server: any) =>
        request(server)
          .post(`${base}/config/templates/nodejs/preview`)
          .send({ scope: 'dev' });
      const configExport = (server: any) =>
        request(server).get(`${base}/config/export?scope=dev&format=env`);
      // Per bucket: a call on one replica, one on the other, and one more that is refused.
      const buckets: [string, ((server: any) => request.Test)[]][] = [
        ['mutations', [change, change, change]],
        ['previews', [importPreview, templatePreview, importPreview]],
        ['exports', [configExport, configExport, configExport]],
      ];
      for (const [bucket, [first, second, third]] of buckets) {
        const counted = await first(replicas[0]);
        expect(counted.status).toBeLessThan(300);
        expect(counted.headers['ratelimit-limit']).toBe(String(LIMIT));
        expect(counted.headers['ratelimit-remaining']).toBe('1');
        expect(Number(counted.headers['ratelimit-reset'])).toBeGreaterThan(0);

        // The other replica counts on from the first call.
        const countedElsewhere = await second(replicas[1]);
        expect(countedElsewhere.status).toBeLessThan(300);
        expect(countedElsewhere.headers['ratelimit-remaining']).toBe('0');

        const refused = await third(replicas[0]);
        expect([bucket, refused.status]).toEqual([bucket, 429]);
        expect(refused.body.error.name).toBe('TooManyRequests');
        expect(refused.headers['ratelimit-remaining']).toBe('0');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      }

      // The stream: the upgrade listener is hooked by the first request to each replica.
      for (const backend of [one, two]) {
        await request(backend.server).get('/api/coderunner/stream');
      }
      expect((await connect(one)).status).toBe(101);
      expect((await connect(two)).status).toBe(101);
      const refused = await connect(one);
      expect(refused.status).toBe(429);
      expect(refused.headers['ratelimit-limit']).toBe(String(LIMIT));
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).toContain('Too many stream connections');
      await knex.destroy();
    },
  );
});
