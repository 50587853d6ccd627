import { STREAM_CLOSE_CODES } from '@coderunner/plugin-coderunner-common';
import { LogStreamClient } from './LogStreamClient';

/** Stands in for the browser's WebSocket; the test plays the server. */
class FakeSocket {
  static created: FakeSocket[] = [];
  static waiting?: (socket: FakeSocket) => void;
  readonly sent: any[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.created.push(this);
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
  close() {}
}

describe('LogStreamClient', () => {
  beforeEach(() => {
    (global as any).WebSocket = FakeSocket;
    // Backoff timers only run when a test advances them: a reconnect "at once" needs none.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reconnects at once with a fresh token when the server closes the socket because its token expired, and resumes', async () => {
    let issued = 0;
    const handlers = {
      onLines: jest.fn(),
      onGap: jest.fn(),
      onError: jest.fn(),
      onConnection: jest.fn(),
    };
    const first = FakeSocket.next();
    const client = new LogStreamClient(
      {
        discoveryApi: {
          getBaseUrl: async () => 'http://localhost:7007/api/coderunner',
        },
        identityApi: {
          getCredentials: async () => ({ token: `token-${++issued}` }),
        } as any,
      },
      {
        entityRef: 'component:default/hello-node',
        environment: 'development',
        tail: 100,
      },
      handlers,
    );
    const socket = await first;
    expect(socket.protocols).toEqual(['coderunner.v1', 'token-1']);
    socket.onopen!();
    socket.onmessage!({
      data: JSON.stringify({
        type: 'subscribed',
        id: 'logs',
        deploymentId: 'd1',
        lastSeq: 0,
      }),
    });
    socket.onmessage!({
      data: JSON.stringify({
        type: 'lines',
        id: 'logs',
        lastSeq: 3,
        items: [{ seq: 3, stream: 'stdout', line: 'x', createdAt: '' }],
      }),
    });

    const second = FakeSocket.next();
    socket.onclose!({
      code: STREAM_CLOSE_CODES.tokenExpired,
      reason: 'token expired; reconnect with a fresh token',
    });
    const again = await second;
    expect(again.protocols).toEqual(['coderunner.v1', 'token-2']);
    again.onopen!();
    expect(again.sent[0]).toMatchObject({ type: 'subscribe', after: 3 });
    expect(handlers.onError).not.toHaveBeenCalled();

    // Any other close (the network, a restart) waits for the backoff first.
    const third = FakeSocket.next();
    again.onclose!({ code: 1006, reason: '' });
    await Promise.resolve();
    expect(FakeSocket.created).toHaveLength(2);
    jest.advanceTimersByTime(10_000);
    expect((await third).protocols).toEqual(['coderunner.v1', 'token-3']);
    client.close();
  });
});
