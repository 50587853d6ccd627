import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';

// Finding: the health check URL was the manifest's run.health.path resolved against the
// instance's URL, so a path such as `//127.0.0.1:5432/` (which passes the manifest's "starts
// with /" rule) sent the backend's readiness checks, and then its liveness probes every
// intervalSeconds, to any host the backend can reach, with the answer's status in the
// deployment's logs. Now the path is appended to the instance's origin: it stays a path.
jest.setTimeout(180_000);

const databases = createTestDatabases();

describe('a manifest health path cannot point the backend at another host', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let internal: net.Server;
  let connections = 0;
  let dir: string;
  const harnesses: OrchestratorHarness[] = [];

  beforeAll(async () => {
    env = await startTestEmulator();
    // Stands for a service on the backend's network that apps must not reach.
    internal = net.createServer(socket => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>(resolve =>
      internal.listen(0, '127.0.0.1', resolve),
    );
    const port = (internal.address() as net.AddressInfo).port;
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'health-ssrf-'));
    await fs.writeFile(
      path.join(dir, 'coderunner.yaml'),
      [
        'apiVersion: coderunner.io/v1',
        'run:',
        '  command: node server.js',
        '  port: 3000',
        `  health: { path: '//127.0.0.1:${port}/healthz', intervalSeconds: 1 }`,
      ].join('\n'),
    );
    await fs.writeFile(
      path.join(dir, 'package.json'),
      '{ "name": "health-ssrf" }',
    );
    await fs.writeFile(
      path.join(dir, 'server.js'),
      [
        "require('node:http')",
        '  .createServer((req, res) => {',
        '    console.log(`probe ${req.url}`);',
        '    res.end("ok");',
        '  })',
        '  .listen(Number(process.env.PORT));',
      ].join('\n'),
    );
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.crash();
    await removeAllSandboxes(env.emulator);
  });
  afterAll(async () => {
    await env.stop();
    await new Promise(resolve => internal.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'readiness checks and liveness probes go to the instance with the path as written, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const harness = await OrchestratorHarness.startMigrated(
        knex,
        env.emulator,
      );
      harnesses.push(harness);
      connections = 0;

      const { deployment } = await harness.deploy(
        localComponent('health-ssrf', dir),
        dir,
      );
      // Three probes reached the instance (a readiness check and two liveness probes), or the
      // backend connected to the other host: whichever comes first.
      let probes: string[] = [];
      while (probes.length < 3 && connections === 0) {
        await new Promise(resolve => setTimeout(resolve, 100));
        probes = (
          await harness.logs.read(deployment.id, { streams: ['stdout'] })
        ).items
          .map(line => line.line)
          .filter(line => line.startsWith('probe '));
      }
      expect(connections).toBe(0);
      const port = (internal.address() as net.AddressInfo).port;
      expect(probes.slice(0, 3)).toEqual(
        Array(3).fill(`probe //127.0.0.1:${port}/healthz`),
      );
    },
  );
});
