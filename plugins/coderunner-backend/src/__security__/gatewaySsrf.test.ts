import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTestGateway } from '../gateway/__testUtils__/startTestGateway';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

/**
 * Finding: the gateway resolved the request target against the instance URL, so an absolute-form
 * target or a `//host` path made it fetch any address (the backend, the sandbox daemon) for an
 * anonymous caller. Every form is sent as raw bytes to a real gateway; a second server on
 * loopback stands for what must stay out of reach and must see no connection at all.
 */
const databases = createTestDatabases();

async function listen(server: http.Server) {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends `head` as it is on a new connection; resolves with all bytes the gateway answered. */
function sendRaw(port: number, head: string) {
  return new Promise<{ status?: number; text: string }>(resolve => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Node's parser answers a malformed request and resets the connection.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, text });
    });
  });
}

describe('gateway SSRF: the request target only ever names a path on the chosen instance', () => {
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let fixture: Awaited<ReturnType<typeof startTestGateway>>;
  let host: string;
  const secret = { server: http.createServer(), port: 0, connections: 0 };
  const app = http.createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, {
      'content-type': 'text/plain',
    });
    res.end(req.url === '/' ? 'app home' : `app: no page at ${req.url}`);
  });

  beforeAll(async () => {
    secret.server.on('connection', () => secret.connections++);
    secret.server.on('request', (_req, res) =>
      res.end('secret environment values'),
    );
    secret.port = await listen(secret.server);
    const appPort = await listen(app);
    knex = await databases.init('SQLITE_3');
    fixture = await startTestGateway(knex);
    host = await fixture.deploy('shop', [`http://127.0.0.1:${appPort}/`]);
  });
  beforeEach(() => {
    secret.connections = 0;
  });
  afterAll(async () => {
    await fixture.stop();
    for (const server of [secret.server, app]) {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
    await knex.destroy();
  });

  const request = (requestLine: string, headers = ['Connection: close']) =>
    sendRaw(
      fixture.gateway.port,
      [
        requestLine,
        `Host: ${host}:${fixture.gateway.port}`,
        ...headers,
        '',
        '',
      ].join('\r\n'),
    );

  it('serves the app for an ordinary path, and nothing for the secret address as Host', async () => {
    expect(await request('GET / HTTP/1.1')).toMatchObject({
      status: 200,
      text: expect.stringContaining('app home'),
    });
    const asSecret = await sendRaw(
      fixture.gateway.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${secret.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(asSecret.status).toBe(404);
    expect(secret.connections).toBe(0);
  });

  it.each([
    [
      'absolute-form',
      (p: number) => `GET http://127.0.0.1:${p}/api/coderunner/health HTTP/1.1`,
    ],
    [
      'absolute-form in capitals',
      (p: number) => `GET HTTP://127.0.0.1:${p}/ HTTP/1.1`,
    ],
    [
      'a scheme without slashes',
      (p: number) => `GET http:/127.0.0.1:${p}/ HTTP/1.1`,
    ],
    [
      'a scheme-relative path',
      (p: number) => `GET //127.0.0.1:${p}/process.Process/List HTTP/1.1`,
    ],
    ['backslashes', (p: number) => `GET \\\\127.0.0.1:${p}/ HTTP/1.1`],
    [
      'a slash then a backslash',
      (p: number) => `GET /\\127.0.0.1:${p}/ HTTP/1.1`,
    ],
    [
      'an authority without a slash',
      (p: number) => `GET @127.0.0.1:${p}/ HTTP/1.1`,
    ],
    ['a bare host', (p: number) => `GET 127.0.0.1:${p}/ HTTP/1.1`],
    ['the asterisk', () => 'OPTIONS * HTTP/1.1'],
    ['an empty target', () => 'GET  HTTP/1.1'],
    [
      'a carriage return',
      (p: number) => `GET /\rhttp://127.0.0.1:${p}/ HTTP/1.1`,
    ],
    ['a line feed', (p: number) => `GET /\nHost: 127.0.0.1:${p} HTTP/1.1`],
    ['a tab', (p: number) => `GET /\thttp://127.0.0.1:${p}/ HTTP/1.1`],
    ['CONNECT', (p: number) => `CONNECT 127.0.0.1:${p} HTTP/1.1`],
  ])('refuses %s with 400 and reaches nothing', async (_form, requestLine) => {
    const answer = await request(requestLine(secret.port));
    expect(answer.status).toBe(400);
    expect(secret.connections).toBe(0);
  });

  it('says what to send instead', async () => {
    const answer = await request(
      `GET http://127.0.0.1:${secret.port}/ HTTP/1.1`,
    );
    expect(answer.text).toContain(
      'The request target must be a path that starts with a single /',
    );
  });

  it.each([
    ['/%2F%2F127.0.0.1:SECRET/', '/%2F%2F127.0.0.1:SECRET/'],
    ['/%5C%5C127.0.0.1:SECRET/', '/%5C%5C127.0.0.1:SECRET/'],
    ['/..//127.0.0.1:SECRET/', '//127.0.0.1:SECRET/'],
    ['/%0D%0AHost:%20127.0.0.1:SECRET', '/%0D%0AHost:%20127.0.0.1:SECRET'],
    ['/?next=http://127.0.0.1:SECRET/', '/?next=http://127.0.0.1:SECRET/'],
  ])('passes the harmless path %s to the app (as %s)', async (sent, seen) => {
    const withPort = (form: string) =>
      form.replace('SECRET', String(secret.port));
    const answer = await request(`GET ${withPort(sent)} HTTP/1.1`);
    expect(answer.status).toBe(404);
    expect(answer.text).toContain(`app: no page at ${withPort(seen)}`);
    expect(secret.connections).toBe(0);
  });

  it.each([
    ['absolute-form', (p: number) => `http://127.0.0.1:${p}/socket`],
    ['a scheme-relative path', (p: number) => `//127.0.0.1:${p}/socket`],
  ])('refuses a WebSocket upgrade with %s', async (_form, target) => {
    const answer = await request(`GET ${target(secret.port)} HTTP/1.1`, [
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ]);
    expect(answer.status).toBe(400);
    expect(secret.connections).toBe(0);
  });
});
