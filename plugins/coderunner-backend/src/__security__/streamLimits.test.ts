import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import {
  startTestBackend,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { STREAM_CLOSE_CODES } from '@coderunner/plugin-coderunner-common';
import express from 'express';
import { generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import { WebSocket } from 'ws';
import { coderunnerPlugin } from '../plugin';
import { STREAM_PROTOCOL } from '../stream/StreamServer';

jest.setTimeout(60_000);

/**
 * Finding: stream tokens were checked only at the upgrade (an open socket outlived its
 * token), and one user could open any number of sockets (300 × 20 subscriptions slowed
 * /health to 3.4 s). The backend runs Backstage's real auth service, which verifies user
 * tokens against the auth plugin's JWKS; the test plays that plugin and signs short-lived
 * user tokens itself.
 */
const MAX_SOCKETS = 2;
const { privateKey, publicKey } = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
});
const jwk = {
  ...publicKey.export({ format: 'jwk' }),
  kid: 'test-key',
  alg: 'ES256',
  use: 'sig',
};

/** A Backstage user token (as the auth backend issues) that expires in `seconds`. */
function userToken(userEntityRef: string, seconds: number) {
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = encode({
    alg: 'ES256',
    kid: jwk.kid,
    typ: 'vnd.backstage.user',
  });
  const payload = encode({
    iss: 'test',
    sub: userEntityRef,
    ent: [userEntityRef],
    aud: 'backstage',
    iat: now,
    exp: now + seconds,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

const authPlugin = createBackendPlugin({
  pluginId: 'auth',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get('/.well-known/jwks.json', (_req, res) => {
          res.json({ keys: [jwk] });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: '/.well-known/jwks.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});

type Outcome = { opened: boolean; code: number; reason: string };

/** Connects and resolves once the socket is closed, saying whether it had opened first. */
function session(
  url: string,
  token: string,
  onOpen: (ws: WebSocket) => void = () => {},
) {
  const ws = new WebSocket(url, [STREAM_PROTOCOL, token]);
  let opened = false;
  const closed = new Promise<Outcome>((resolve, reject) => {
    ws.once('open', () => {
      opened = true;
      onOpen(ws);
    });
    ws.once('close', (code, reason) =>
      resolve({ opened, code, reason: reason.toString() }),
    );
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`refused with ${res.statusCode}`)),
    );
  });
  return { ws, closed };
}

/** Opens a socket and waits for its first answer: an open socket answers a ping. */
async function openSocket(url: string, token: string) {
  const { ws, closed } = session(url, token, socket =>
    socket.send(JSON.stringify({ type: 'ping' })),
  );
  const answered = new Promise<true>(resolve =>
    ws.once('message', () => resolve(true)),
  );
  const first = await Promise.race([answered, closed]);
  return { ws, closed, first };
}

describe('stream limits', () => {
  let backend: TestBackend;
  let url: string;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        coderunnerPlugin,
        authPlugin,
        authServiceFactory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            coderunner: {
              gateway: { enabled: false },
              stream: { maxSocketsPerUser: MAX_SOCKETS },
              rateLimit: { streamConnectsPerMinute: 1000 },
            },
          },
        }),
      ],
    });
    // The first request that reaches the plugin hooks its upgrade listener.
    await request(backend.server).get('/api/coderunner/stream');
    url = `ws://localhost:${backend.server.port()}/api/coderunner/stream`;
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('refuses the socket after the last one a user may hold, and takes one again once another closed', async () => {
    const token = userToken('user:default/alice', 3600);
    const held = [await openSocket(url, token), await openSocket(url, token)];
    for (const socket of held) expect(socket.first).toBe(true);

    const refused = await openSocket(url, token);
    expect(refused.first).toEqual({
      opened: true,
      code: STREAM_CLOSE_CODES.tooManySockets,
      reason: `Too many open streams: at most ${MAX_SOCKETS} per user; close other tabs`,
    });

    // Another user is not affected.
    const bob = await openSocket(url, userToken('user:default/bob', 3600));
    expect(bob.first).toBe(true);

    // Once one of alice's sockets is gone (the server may hear of it a moment after the
    // client), she may open one again.
    held[0].ws.close();
    await held[0].closed;
    let again = await openSocket(url, token);
    for (let attempt = 0; again.first !== true && attempt < 100; attempt++) {
      again = await openSocket(url, token);
    }
    expect(again.first).toBe(true);
    for (const socket of [held[1], bob, again]) socket.ws.close();
  });

  it('closes an open socket with 4401 when its token expires, and a fresh token connects again', async () => {
    const socket = await openSocket(url, userToken('user:default/carol', 3));
    expect(socket.first).toBe(true);
    expect(await socket.closed).toEqual({
      opened: true,
      code: STREAM_CLOSE_CODES.tokenExpired,
      reason: 'token expired; reconnect with a fresh token',
    });

    const fresh = await openSocket(url, userToken('user:default/carol', 3600));
    expect(fresh.first).toBe(true);
    fresh.ws.close();
  });

  it('answers malformed subscriptions, logs and scaling alike, as invalid, and the socket goes on', async () => {
    const { ws, first } = await openSocket(
      url,
      userToken('user:default/mallory', 60),
    );
    expect(first).toBe(true);
    const subscribe = (fields: object) => ({
      type: 'subscribe',
      topic: 'logs',
      entityRef: 'component:default/shop',
      environment: 'production',
      ...fields,
    });
    const tricks: Record<string, object> = {
      'streams not a list': subscribe({
        id: 'a',
        filter: { streams: 'stdout' },
      }),
      'levels not a list': subscribe({
        id: 'b',
        filter: { levels: { length: 1 } },
      }),
      'text not a string': subscribe({ id: 'c', filter: { text: 5 } }),
      'filter not an object': subscribe({ id: 'd', filter: 'stdout' }),
      'tail not a number': subscribe({ id: 'e', tail: '1e9' }),
      'after negative': subscribe({ id: 'f', after: -1 }),
      'unknown topic': subscribe({ id: 'g', topic: '__proto__' }),
      'entityRef not a ref': subscribe({
        id: 'h',
        topic: 'scaling',
        entityRef: 'component:',
      }),
      'entityRef empty': subscribe({
        id: 'i',
        topic: 'scaling',
        entityRef: '',
      }),
      'environment not a string': subscribe({
        id: 'j',
        topic: 'scaling',
        environment: ['production'],
      }),
      'id too long': subscribe({ id: 'x'.repeat(65), topic: 'scaling' }),
    };
    const answers: Record<string, string> = {};
    for (const [trick, message] of Object.entries(tricks)) {
      const reply = new Promise<{ type: string; code?: string }>(resolve =>
        ws.once('message', data => resolve(JSON.parse(data.toString()))),
      );
      ws.send(JSON.stringify(message));
      const { type, code } = await reply;
      answers[trick] = `${type}:${code}`;
    }
    expect(answers).toEqual(
      Object.fromEntries(Object.keys(tricks).map(t => [t, 'error:invalid'])),
    );
    // Still open and answering.
    const pong = new Promise(resolve =>
      ws.once('message', data => resolve(JSON.parse(data.toString()).type)),
    );
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toBe('pong');
    ws.close();
  });
});
