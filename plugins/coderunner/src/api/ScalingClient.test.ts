import { ScalingStatus } from '@coderunner/plugin-coderunner-common';
import { ScalingClient } from './ScalingClient';
import { sentRequests } from '../__testUtils__/sentRequests';

/** Stands in for the browser's WebSocket; the test plays the server. */
class FakeSocket {
  static waiting?: (socket: FakeSocket) => void;
  readonly sent: any[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
  closed = false;
  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.waiting?.(this);
  }
  static next() {
    return new Promise<FakeSocket>(resolve => {
      FakeSocket.waiting = resolve;
    });
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
}

const status = {
  environment: 'development',
  desiredInstances: 3,
} as ScalingStatus;

function client(fetch: jest.Mock = jest.fn()) {
  return new ScalingClient({
    discoveryApi: {
      getBaseUrl: async () => 'http://localhost:7007/api/coderunner',
    },
    fetchApi: { fetch },
    identityApi: {
      getCredentials: async () => ({ token: 'user-token' }),
    } as any,
  });
}

function answering(body: unknown, statusCode = 200) {
  return jest.fn(
    async (_request: Request) =>
      new Response(JSON.stringify(body), {
        status: statusCode,
        headers: { 'content-type': 'application/json' },
      }),
  );
}

const DEPLOYMENT =
  'http://localhost:7007/api/coderunner/entities/component/default/hello-node/deployments/development';

describe('ScalingClient', () => {
  it('calls each scaling route with its method and body', async () => {
    const fetch = answering(status);
    const api = client(fetch);
    const ref = 'Component:default/hello-node';

    await api.getStatus(ref, 'development');
    await api.savePolicy(ref, 'development', { maxInstances: 8 });
    await api.resetPolicy(ref, 'development');
    await api.hold(ref, 'development', { instances: 4, reason: 'launch' });
    await api.releaseHold(ref, 'development');
    await api.pause(ref, 'development', 'incident');
    await api.resume(ref, 'development');

    const calls = await Promise.all(
      sentRequests(fetch).map(async request => [
        request.method,
        request.url.slice(DEPLOYMENT.length),
        await request.text(),
      ]),
    );
    expect(calls).toEqual([
      ['GET', '/scaling', ''],
      ['PUT', '/scaling/policy', '{"maxInstances":8}'],
      ['DELETE', '/scaling/policy', ''],
      ['POST', '/scale', '{"instances":4,"reason":"launch"}'],
      ['DELETE', '/scale', ''],
      ['POST', '/scaling/pause', '{"reason":"incident"}'],
      // The spec gives resume no body.
      ['POST', '/scaling/resume', ''],
    ]);
  });

  it('pages decisions with before and changedOnly, and throws the backend’s error', async () => {
    const fetch = answering({ items: [] });
    await client(fetch).listDecisions(
      'component:default/hello-node',
      'development',
      { limit: 50, before: '2025-05-01T10:00:00.000Z', changedOnly: true },
    );
    expect(sentRequests(fetch)[0].url).toBe(
      `${DEPLOYMENT}/scaling/decisions?limit=50&before=2025-05-01T10%3A00%3A00.000Z&changedOnly=true`,
    );

    const refusing = answering(
      {
        error: {
          name: 'InputError',
          message: 'targets.cpuPercent must be at most 100',
        },
        response: { statusCode: 400 },
      },
      400,
    );
    await expect(
      client(refusing).savePolicy(
        'component:default/hello-node',
        'development',
        {
          targets: { cpuPercent: 200 },
        },
      ),
    ).rejects.toMatchObject({
      cause: { message: 'targets.cpuPercent must be at most 100' },
    });
  });

  it('follows the scaling topic of the stream and stops when asked', async () => {
    (global as any).WebSocket = FakeSocket;
    const onStatus = jest.fn();
    const onConnection = jest.fn();
    const next = FakeSocket.next();
    const stop = client().watch('component:default/hello-node', 'development', {
      onStatus,
      onError: jest.fn(),
      onConnection,
    });
    const socket = await next;
    expect(socket.url).toBe('ws://localhost:7007/api/coderunner/stream');
    socket.onopen!();
    expect(socket.sent).toEqual([
      {
        type: 'subscribe',
        id: 'scaling',
        topic: 'scaling',
        entityRef: 'component:default/hello-node',
        environment: 'development',
      },
    ]);
    const decision = { id: 'd1', from: 2, to: 3 };
    socket.onmessage!({
      data: JSON.stringify({
        type: 'scaling',
        id: 'scaling',
        status,
        decision,
      }),
    });
    expect(onStatus).toHaveBeenCalledWith(status, decision);
    expect(onConnection).toHaveBeenLastCalledWith('live');

    stop();
    expect(socket.closed).toBe(true);
  });
});
