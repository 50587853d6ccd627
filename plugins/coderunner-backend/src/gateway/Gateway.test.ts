import http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startTestGateway } from './__testUtils__/startTestGateway';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * An app instance: answers with its name, the method, body and headers it got, and sets two
 * cookies and a header its `Connection` header names. Its WebSockets echo, after a first message
 * with the headers of the upgrade request.
 */
async function startInstance(
  name: string,
  behaviour: 'answer' | 'die' | 'busy' | 'gone' | 'blip' = 'answer',
) {
  const seen: { method: string; body: string }[] = [];
  // 'blip' answers 502 once to its health path and once to anything else, then serves: the
  // runtime could not reach it for a moment.
  const blipped = new Set<string>();
  const server = http.createServer(async (req, res) => {
    const kind = req.url === '/healthz' ? 'health' : 'request';
    if (behaviour === 'blip' && !blipped.has(kind)) {
      blipped.add(kind);
      req.resume();
      res.writeHead(502).end(`${name} blips`);
      return;
    }
    if (behaviour === 'die') {
      req.socket.destroy();
      return;
    }
    // 'busy' answers 503 to everything but its health path; 'gone' answers 502 to everything,
    // as a runtime does for a sandbox that no longer exists.
    if (
      behaviour === 'gone' ||
      (behaviour === 'busy' && req.url !== '/healthz')
    ) {
      req.resume();
      res.writeHead(behaviour === 'gone' ? 502 : 503).end(`${name} refuses`);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method!, body });
    res.setHeader('content-type', 'application/json');
    res.setHeader('set-cookie', ['session=app; HttpOnly', 'theme=dark']);
    res.setHeader('connection', 'keep-alive, x-instance-only');
    res.setHeader('x-instance-only', 'for the gateway');
    res.end(
      JSON.stringify({
        instance: name,
        method: req.method,
        body,
        headers: req.headers,
      }),
    );
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (ws, req) => {
    ws.send(JSON.stringify(req.headers));
    ws.on('message', data => ws.send(`${name} echoes ${data}`));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    seen,
    close: async () => {
      sockets.close();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function send(
  port: number,
  host: string,
  method: string,
  body?: string,
  headers: http.OutgoingHttpHeaders = {},
) {
  return new Promise<{
    status: number;
    text: string;
    headers: http.IncomingHttpHeaders;
  }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: '/things/1',
        headers: { ...headers, host },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Gateway', () => {
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let fixture: Awaited<ReturnType<typeof startTestGateway>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>['gateway'];
  let deploy: Awaited<ReturnType<typeof startTestGateway>>['deploy'];
  const instances: Awaited<ReturnType<typeof startInstance>>[] = [];

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    fixture = await startTestGateway(knex);
    ({ gateway, deploy } = fixture);
  });
  afterEach(async () => {
    await fixture.stop();
    for (const instance of instances.splice(0)) await instance.close();
    await knex.destroy();
  });

  it('balances over ready instances and answers 404 for a host nothing is deployed at', async () => {
    instances.push(await startInstance('a'), await startInstance('b'));
    const host = await deploy(
      'shop',
      instances.map(i => i.url),
    );
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        JSON.parse((await send(gateway.port, host, 'GET')).text).instance,
      );
    expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);
    const unknown = await send(
      gateway.port,
      'nothing.development.localhost',
      'GET',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain(
      'Nothing is deployed at nothing.development.localhost',
    );
  });

  it('answers 503 with a page that says why when no instance is ready', async () => {
    const host = await deploy('idle', []);
    const answer = await send(gateway.port, host, 'GET');
    expect(answer.status).toBe(503);
    expect(answer.text).toContain(
      'component:default/idle in development has no ready instance',
    );
  });

  it('a refresh asked for while another runs waits for the routes as they are after the change', async () => {
    instances.push(await startInstance('late'));
    // The first load reads the deployments, then stalls until the change below has asked for its refresh.
    const listDeployments = fixture.store.listDeployments.bind(fixture.store);
    let readDone!: () => void;
    const read = new Promise<void>(resolve => (readDone = resolve));
    let releaseLoad!: () => void;
    const stalled = new Promise<void>(resolve => (releaseLoad = resolve));
    jest
      .spyOn(fixture.store, 'listDeployments')
      .mockImplementationOnce(async () => {
        const rows = await listDeployments();
        readDone();
        await stalled;
        return rows;
      });
    const first = gateway.refresh();
    await read;
    const refresh = gateway.refresh.bind(gateway);
    jest.spyOn(gateway, 'refresh').mockImplementation(() => {
      const asked = refresh();
      releaseLoad();
      return asked;
    });

    // deploy() writes the deployment and its ready instance, then awaits gateway.refresh().
    const host = await deploy('late', [instances[0].url]);
    await first;
    const answer = await send(gateway.port, host, 'GET');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).instance).toBe('late');
  });

  it('retries GET and PUT (with its body) on another instance when one dies, never POST', async () => {
    instances.push(
      await startInstance('dying', 'die'),
      await startInstance('alive'),
    );
    const host = await deploy(
      'api',
      instances.map(i => i.url),
    );
    const marked = new Promise(resolve => gateway.onInstanceUnhealthy(resolve));
    // POSTs until one meets the dying instance (round robin over two: within two).
    const posts: { status: number; text: string }[] = [];
    for (let i = 0; i < 4 && !posts.some(p => p.status === 502); i++)
      posts.push(await send(gateway.port, host, 'POST', `order ${i}`));
    const failed = posts.findIndex(p => p.status === 502);
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(posts[failed].text).toContain(
      'The POST request was not retried on another instance',
    );
    // The live instance got each POST that succeeded once, and never the failed one.
    expect(instances[1].seen.filter(r => r.method === 'POST')).toEqual(
      posts
        .map((p, i) => ({
          method: 'POST',
          body: `order ${i}`,
          status: p.status,
        }))
        .filter(p => p.status === 200)
        .map(({ method, body }) => ({ method, body })),
    );
    // The dying instance is marked unhealthy at once, for the reconciler to replace.
    expect(await marked).toBeDefined();
    const [row] = (
      await fixture.store.listInstances(
        (
          await fixture.store.listDeployments()
        )[0].id,
      )
    ).filter(i => i.url === instances[0].url);
    expect(row.state).toBe('unhealthy');
    expect(row.reason).toMatch(
      /^The gateway could not get an answer from instance/,
    );
    for (let i = 0; i < 4; i++) {
      const got = await send(gateway.port, host, 'GET');
      expect(got.status).toBe(200);
      const put = await send(gateway.port, host, 'PUT', `{"n":${i}}`);
      expect(put.status).toBe(200);
      expect(JSON.parse(put.text)).toMatchObject({
        instance: 'alive',
        method: 'PUT',
        body: `{"n":${i}}`,
      });
    }
  });

  it('retries an idempotent request answered 502 or 503 on another instance, and marks only an instance whose health check fails', async () => {
    instances.push(
      await startInstance('busy', 'busy'),
      await startInstance('gone', 'gone'),
      await startInstance('alive'),
    );
    const host = await deploy(
      'shaky',
      instances.map(i => i.url),
      { run: { health: { path: '/healthz' } } },
    );
    const marked = new Promise(resolve => gateway.onInstanceUnhealthy(resolve));
    for (let i = 0; i < 6; i++) {
      const got = await send(gateway.port, host, 'GET');
      expect(got.status).toBe(200);
      expect(JSON.parse(got.text).instance).toBe('alive');
    }
    await marked;
    const states = new Map(
      (
        await fixture.store.listInstances(
          (
            await fixture.store.listDeployments()
          )[0].id,
        )
      ).map(i => [i.url, i.state]),
    );
    // 'gone' failed its health check as well; 'busy' answers its health path, so it stays.
    expect(states.get(instances[1].url)).toBe('unhealthy');
    expect(states.get(instances[0].url)).toBe('ready');
  });

  it('spreads requests over the other instances while one answers 503, whatever their order', async () => {
    instances.push(
      await startInstance('a'),
      await startInstance('busy', 'busy'),
      await startInstance('b'),
    );
    // Every order of the three in the route: none may starve another of its turn.
    const orders = [
      [0, 1, 2],
      [1, 0, 2],
      [0, 2, 1],
    ];
    for (const [n, order] of orders.entries()) {
      const host = await deploy(
        `spread-${n}`,
        order.map(i => instances[i].url),
        { run: { health: { path: '/healthz' } } },
      );
      const served = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const got = await send(gateway.port, host, 'GET');
        expect(got.status).toBe(200);
        served.add(JSON.parse(got.text).instance);
      }
      expect([...served].sort()).toEqual(['a', 'b']);
    }
  });

  it('sends a GET again to the only instance when the runtime could not reach it for a moment and a second health check passes', async () => {
    instances.push(await startInstance('blip', 'blip'));
    const host = await deploy('blinking', [instances[0].url], {
      run: { health: { path: '/healthz' } },
    });
    const marked = jest.fn();
    gateway.onInstanceUnhealthy(marked);

    const got = await send(gateway.port, host, 'GET');

    expect(got.status).toBe(200);
    expect(JSON.parse(got.text).instance).toBe('blip');
    // One failed health check is not an instance down: it stays ready.
    const [deployment] = await fixture.store.listDeployments();
    const [instance] = await fixture.store.listInstances(deployment.id);
    expect(instance.state).toBe('ready');
    expect(marked).not.toHaveBeenCalled();
    // A POST is never sent twice: the app's 502 goes back as it came.
    instances.push(await startInstance('blip-post', 'blip'));
    const postHost = await deploy('blinking-post', [instances[1].url], {
      run: { health: { path: '/healthz' } },
    });
    const post = await send(gateway.port, postHost, 'POST', 'order');
    expect(post.status).toBe(502);
    expect(instances[1].seen.filter(r => r.method === 'POST')).toEqual([]);
  });

  it('passes a POST answered 503 by an instance that is up through, and never retries it', async () => {
    instances.push(await startInstance('busy', 'busy'));
    const host = await deploy(
      'busy-only',
      instances.map(i => i.url),
      { run: { health: { path: '/healthz' } } },
    );
    const got = await send(gateway.port, host, 'POST', 'order');
    expect(got.status).toBe(503);
    expect(got.text).toBe('busy refuses');
    // A GET with no other instance to try gets the app's answer too.
    expect((await send(gateway.port, host, 'GET')).status).toBe(503);
  });

  it('answers a POST that met an instance found down with its own 502, without retrying it', async () => {
    instances.push(
      await startInstance('gone', 'gone'),
      await startInstance('alive'),
    );
    const host = await deploy(
      'half-gone',
      instances.map(i => i.url),
      { run: { health: { path: '/healthz' } } },
    );
    const posts: { status: number; text: string }[] = [];
    for (let i = 0; i < 4 && !posts.some(p => p.status === 502); i++)
      posts.push(await send(gateway.port, host, 'POST', `order ${i}`));
    const failed = posts.find(p => p.status === 502);
    expect(failed?.text).toContain('is down (GET /healthz: 502)');
    expect(failed?.text).toContain('was not retried on another instance');
    expect(instances[1].seen.filter(r => r.method === 'POST')).toHaveLength(
      posts.length - 1,
    );
  });

  it('counts every request per deployment and every attempt per instance, with its latency', async () => {
    instances.push(
      await startInstance('dying', 'die'),
      await startInstance('alive'),
    );
    const host = await deploy(
      'metered',
      instances.map(i => i.url),
    );
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await send(gateway.port, host, 'GET')).status);
    for (let i = 0; i < 4; i++)
      statuses.push((await send(gateway.port, host, 'POST', 'x')).status);
    await send(gateway.port, 'nothing.development.localhost', 'GET');

    const [series, ...others] = [...gateway.requestMetrics.all()];
    expect(others).toEqual([]);
    expect(series).toMatchObject({
      entityRef: 'component:default/metered',
      environment: 'development',
    });
    const { counters } = series;
    expect(counters.requests).toBe(8);
    expect(counters.serverErrors).toBe(statuses.filter(s => s === 502).length);
    expect(counters.byStatusClass[1]).toBe(
      statuses.filter(s => s === 200).length,
    );
    expect(counters.inFlight).toBe(0);
    expect(counters.latency.count).toBe(8);
    expect(counters.latency.sum).toBeGreaterThan(0);

    const byUrl = new Map(
      (await fixture.store.listInstances(series.deploymentId)).map(i => [
        i.url,
        i.id,
      ]),
    );
    const dying = series.instances.get(byUrl.get(instances[0].url)!)!;
    const alive = series.instances.get(byUrl.get(instances[1].url)!)!;
    // Each GET that met the dying instance was retried on the live one; each POST was not.
    expect(dying.requests).toBe(0);
    expect(dying.connectionErrors).toBe(counters.connectionErrors);
    expect(dying.connectionErrors).toBeGreaterThanOrEqual(1);
    expect(alive.requests).toBe(statuses.filter(s => s === 200).length);
    expect(alive.connectionErrors).toBe(0);
  });

  it('counts a request that finds no ready instance as a server error, and forgets deleted deployments', async () => {
    const host = await deploy('idle', []);
    await send(gateway.port, host, 'GET');
    const [series] = [...gateway.requestMetrics.all()];
    expect(series.counters.serverErrors).toBe(1);
    expect(series.counters.connectionErrors).toBe(0);

    await fixture.store.deleteDeployment(series.deploymentId);
    await gateway.refresh();
    expect([...gateway.requestMetrics.all()]).toEqual([]);
  });

  it('proxies without counting anything while requests are not measured', async () => {
    const unmeasured = await startTestGateway(knex, { measureRequests: false });
    try {
      instances.push(
        await startInstance('dying', 'die'),
        await startInstance('quiet'),
      );
      const host = await unmeasured.deploy(
        'unmetered',
        instances.map(i => i.url),
      );
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await send(unmeasured.gateway.port, host, 'GET')).status,
        );
      // A dead instance still costs a retry, not an answer: every GET reaches the live one.
      expect(statuses).toEqual([200, 200, 200, 200]);
      expect([...unmeasured.gateway.requestMetrics.all()]).toEqual([]);
    } finally {
      await unmeasured.stop();
    }
  });

  it('passes WebSockets through to an instance', async () => {
    instances.push(await startInstance('ws'));
    const host = await deploy(
      'chat',
      instances.map(i => i.url),
    );
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/socket`, {
      headers: {
        host,
        cookie: 'portal-session=secret',
        'x-forwarded-for': '203.0.113.9',
      },
    });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', data => {
        messages.push(data.toString());
        if (messages.length === 1) ws.send('hello');
        else resolve();
      });
      ws.on('error', reject);
    });
    const upgradeHeaders = JSON.parse(messages[0]);
    expect(upgradeHeaders.cookie).toBeUndefined();
    expect(upgradeHeaders['x-forwarded-for']).toBe('127.0.0.1');
    expect(messages[1]).toBe('ws echoes hello');
    ws.close();
  });

  describe('headers', () => {
    const attempt = {
      'x-app-header': 'kept',
      connection: 'keep-alive, x-client-hop',
      'x-client-hop': 'for the gateway only',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      'proxy-authorization': 'Basic cG9ydGFsOg==',
      'proxy-connection': 'keep-alive',
      cookie: 'portal-session=secret',
      authorization: 'Bearer portal-token',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-host': 'portal.example.com',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '1',
      'x-forwarded-prefix': '/admin',
      forwarded: 'for=203.0.113.9;proto=https',
      'x-real-ip': '203.0.113.9',
    };

    it('passes end-to-end headers, drops hop-by-hop ones and credentials, and says who really asked', async () => {
      instances.push(await startInstance('h'));
      const host = await deploy(
        'headers',
        instances.map(i => i.url),
      );
      const got = JSON.parse(
        (await send(gateway.port, host, 'GET', undefined, attempt)).text,
      ).headers;
      expect(got).toEqual({
        host: new URL(instances[0].url).host,
        'x-app-header': 'kept',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-host': host,
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(gateway.port),
        // undici's own connection handling.
        connection: 'keep-alive',
      });
    });

    it('forwards Cookie and Authorization only to an app whose manifest sets run.forwardCredentials', async () => {
      instances.push(await startInstance('c'));
      const host = await deploy(
        'signs-in',
        instances.map(i => i.url),
        { run: { forwardCredentials: true } },
      );
      const got = JSON.parse(
        (await send(gateway.port, host, 'GET', undefined, attempt)).text,
      ).headers;
      expect(got).toMatchObject({
        cookie: 'portal-session=secret',
        authorization: 'Bearer portal-token',
      });
      expect(got['proxy-authorization']).toBeUndefined();
      expect(got['x-forwarded-for']).toBe('127.0.0.1');
    });

    it('describes the public scheme and port when a load balancer sits in front', async () => {
      const behindBalancer = await startTestGateway(knex, {
        publicScheme: 'https',
        publicPort: 443,
      });
      try {
        instances.push(await startInstance('lb'));
        const host = await behindBalancer.deploy(
          'balanced',
          instances.map(i => i.url),
        );
        const got = JSON.parse(
          (
            await send(
              behindBalancer.gateway.port,
              host,
              'GET',
              undefined,
              attempt,
            )
          ).text,
        ).headers;
        expect(got).toMatchObject({
          'x-forwarded-proto': 'https',
          'x-forwarded-port': '443',
        });
      } finally {
        await behindBalancer.stop();
      }
    });

    it("passes the app's cookies to the client and drops the headers its Connection header names", async () => {
      instances.push(await startInstance('r'));
      const host = await deploy(
        'cookies',
        instances.map(i => i.url),
      );
      const answer = await send(gateway.port, host, 'GET');
      expect(answer.headers['set-cookie']).toEqual([
        'session=app; HttpOnly',
        'theme=dark',
      ]);
      expect(answer.headers['x-instance-only']).toBeUndefined();
    });
  });
});
