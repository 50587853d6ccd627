import { TERMINAL_LIMITS } from '@coderunner/plugin-coderunner-common';
import { waitFor } from '@testing-library/react';
import { TerminalClient } from './TerminalClient';
import { TerminalHandlers } from './TerminalApi';
import { sentRequests } from '../__testUtils__/sentRequests';

/** Stands in for the browser's WebSocket; the test plays the server. */
class FakeSocket {
  static readonly OPEN = 1;
  static waiting?: (socket: FakeSocket) => void;
  readonly sent: Array<string | Uint8Array> = [];
  readyState = 0;
  binaryType = 'blob';
  onopen?: () => void;
  onmessage?: (event: { data: string | ArrayBuffer }) => void;
  onclose?: (event: { code: number; reason: string }) => void;
  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.waiting?.(this);
  }
  static next() {
    return new Promise<FakeSocket>(resolve => {
      FakeSocket.waiting = resolve;
    });
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  send(data: string | Uint8Array) {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data));
  }
  close() {}
}

const BASE = 'http://localhost:7007/api/coderunner';

function client(fetch: jest.Mock = jest.fn()) {
  return new TerminalClient({
    discoveryApi: { getBaseUrl: async () => BASE },
    fetchApi: { fetch },
    identityApi: { getCredentials: async () => ({ token: 'token-1' }) } as any,
  });
}

function handlers() {
  const ends: Array<Parameters<TerminalHandlers['onEnd']>[0]> = [];
  return {
    ends,
    onReady: jest.fn(),
    onOutput: jest.fn(),
    onEnd: jest.fn((end: Parameters<TerminalHandlers['onEnd']>[0]) => {
      ends.push(end);
    }),
  };
}

const request = {
  entityRef: 'component:default/hello-node',
  environment: 'production',
  instanceId: 'instance-1',
  cols: 80,
  rows: 24,
};

describe('TerminalClient', () => {
  beforeEach(() => {
    (global as any).WebSocket = FakeSocket;
  });

  it('connects with its token as a subprotocol, passes output, splits long input and sends resizes', async () => {
    const next = FakeSocket.next();
    const heard = handlers();
    const connection = client().open(request, heard);
    const socket = await next;
    expect(socket.url).toBe(
      'ws://localhost:7007/api/coderunner/terminal?entity=component%3Adefault%2Fhello-node&environment=production&instance=instance-1&cols=80&rows=24',
    );
    expect(socket.protocols).toEqual(['coderunner.terminal.v1', 'token-1']);
    socket.open();
    socket.onmessage!({
      data: JSON.stringify({
        type: 'ready',
        instanceId: 'instance-1',
        idleTimeoutSeconds: 900,
        maxSessionSeconds: 3600,
      }),
    });
    expect(heard.onReady).toHaveBeenCalledWith(
      expect.objectContaining({ idleTimeoutSeconds: 900 }),
    );
    socket.onmessage!({ data: new TextEncoder().encode('hi\r\n').buffer });
    expect(new TextDecoder().decode(heard.onOutput.mock.calls[0][0])).toBe(
      'hi\r\n',
    );

    connection.write('x'.repeat(TERMINAL_LIMITS.maxInputBytes + 10));
    expect(socket.sent.map(frame => frame.length)).toEqual([
      TERMINAL_LIMITS.maxInputBytes,
      10,
    ]);
    connection.resize(100, 30);
    expect(socket.sent[2]).toBe('{"type":"resize","cols":100,"rows":30}');

    socket.onmessage!({
      data: JSON.stringify({
        type: 'ended',
        reason: 'idle-timeout',
        message: 'Closed after 900 s without input; open the terminal again',
      }),
    });
    socket.onclose!({ code: 4408, reason: 'Closed after 900 s' });
    expect(heard.ends).toEqual([
      {
        reason: 'idle-timeout',
        message: 'Closed after 900 s without input; open the terminal again',
      },
    ]);
  });

  it('asks the backend why when the upgrade is refused, and says 403 as forbidden', async () => {
    const fetch = jest.fn(
      async (_request: Request) =>
        new Response(
          JSON.stringify({
            error: {
              name: 'NotAllowedError',
              message:
                'You are not allowed coderunner.instance.exec on component:default/hello-node',
            },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
    );
    const next = FakeSocket.next();
    const heard = handlers();
    client(fetch).open(request, heard);
    const socket = await next;
    socket.onclose!({ code: 1006, reason: '' });
    await waitFor(() => expect(heard.onEnd).toHaveBeenCalled());
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sentRequests(fetch)[0].url).toBe(
      `${BASE}/terminal?entity=component%3Adefault%2Fhello-node&environment=production&instance=instance-1&cols=80&rows=24`,
    );
    expect(heard.ends).toEqual([
      {
        reason: 'forbidden',
        message:
          'You are not allowed coderunner.instance.exec on component:default/hello-node',
      },
    ]);
  });

  it('says when the connection is lost without an end message, and is silent after close()', async () => {
    const next = FakeSocket.next();
    const heard = handlers();
    client().open(request, heard);
    const socket = await next;
    socket.open();
    socket.onclose!({ code: 1006, reason: '' });
    expect(heard.ends).toEqual([
      {
        reason: 'error',
        message: 'The connection to the terminal was lost',
        problem: { kind: 'lost' },
      },
    ]);

    const second = FakeSocket.next();
    const quiet = handlers();
    const closed = client().open(request, quiet);
    const other = await second;
    other.open();
    closed.close();
    other.onclose!({ code: 1000, reason: '' });
    expect(quiet.onEnd).not.toHaveBeenCalled();
  });
});
