import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { Gateway } from './Gateway';

const databases = createTestDatabases();

/** An app instance: answers with its name, the method and the body it got. */
async function startInstance(name: string, behaviour: 'answer' | 'die' = 'answer') {
  const seen: { method: string; body: string }[] = [];
  const server = http.createServer(async (req, res) => {
    if (behaviour === 'die') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method!, body });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ instance: name, method: req.method, body }));
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', ws => ws.on('message', data => ws.send(`${name} echoes ${data}`)));
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

function send(port: number, host: string, method: string, body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/things/1', headers: { host } }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Gateway', () => {
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let store: DeploymentStore;
  let gateway: Gateway;
  const instances: Awaited<ReturnType<typeof startInstance>>[] = [];

  async function deploy(name: string, urls: string[]) {
    const deployment = await store.ensureDeployment({
      entityRef: `component:default/${name}`,
      environment: 'development',
      createdBy: 'user:default/test',
    });
    const release = await store.createRelease({
      deploymentId: deployment.id,
      manifest: {},
      source: Buffer.from(''),
      desiredInstances: urls.length,
      createdBy: 'user:default/test',
    });
    await store.updateDeployment(deployment.id, { activeReleaseId: release.id, status: 'ready' });
    for (const url of urls) {
      const instance = await store.createInstance({ deploymentId: deployment.id, releaseId: release.id });
      await store.updateInstance(instance.id, { state: 'ready', url });
    }
    await gateway.refresh();
    return gateway.hostFor(`component:default/${name}`, 'development');
  }

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    store = await DeploymentStore.create({ database: mockServices.database({ knex, migrations: { skip: false } }) });
    gateway = new Gateway(
      store,
      { port: 0, baseDomain: 'localhost', publicScheme: 'http', listenHost: '127.0.0.1' },
      mockServices.logger.mock(),
    );
    await gateway.start();
  });
  afterEach(async () => {
    await gateway.stop();
    for (const instance of instances.splice(0)) await instance.close();
    await knex.destroy();
  });

  it('balances over ready instances and answers 404 for a host nothing is deployed at', async () => {
    instances.push(await startInstance('a'), await startInstance('b'));
    const host = await deploy('shop', instances.map(i => i.url));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(JSON.parse((await send(gateway.port, host, 'GET')).text).instance);
    expect(answers.sort()).toEqual(['a', 'a', 'b', 'b']);
    const unknown = await send(gateway.port, 'nothing.development.localhost', 'GET');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Nothing is deployed at nothing.development.localhost');
  });

  it('answers 503 with a page that says why when no instance is ready', async () => {
    const host = await deploy('idle', []);
    const answer = await send(gateway.port, host, 'GET');
    expect(answer.status).toBe(503);
    expect(answer.text).toContain('component:default/idle in development has no ready instance');
  });

  it('retries GET and PUT (with its body) on another instance when one dies, never POST', async () => {
    instances.push(await startInstance('dying', 'die'), await startInstance('alive'));
    const host = await deploy('api', instances.map(i => i.url));
    for (let i = 0; i < 4; i++) {
      const got = await send(gateway.port, host, 'GET');
      expect(got.status).toBe(200);
      const put = await send(gateway.port, host, 'PUT', `{"n":${i}}`);
      expect(put.status).toBe(200);
      expect(JSON.parse(put.text)).toEqual({ instance: 'alive', method: 'PUT', body: `{"n":${i}}` });
    }
    const posts = [];
    for (let i = 0; i < 4; i++) posts.push((await send(gateway.port, host, 'POST', `order ${i}`)).status);
    expect(posts.filter(s => s === 502)).toHaveLength(2);
    expect(posts.filter(s => s === 200)).toHaveLength(2);
    // The live instance got each POST that succeeded once, and none of the failed ones again.
    expect(instances[1].seen.filter(r => r.method === 'POST')).toHaveLength(2);
  });

  it('passes WebSockets through to an instance', async () => {
    instances.push(await startInstance('ws'));
    const host = await deploy('chat', instances.map(i => i.url));
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/socket`, { headers: { host } });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'));
      ws.on('message', data => resolve(data.toString()));
      ws.on('error', reject);
    });
    expect(reply).toBe('ws echoes hello');
    ws.close();
  });
});
