import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Deployment, Release } from '@coderunner/plugin-coderunner-common';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { emulatorRuntimeModule } from '../__testUtils__/emulatorRuntimeModule';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { RELEASE_ID_KEY } from '../orchestrator/sandboxMetadata';
import { coderunnerPlugin } from '../plugin';
import { AgentSphereRuntime } from '../runtime';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const deployments =
  '/api/coderunner/entities/component/default/flaky/deployments';
const base = `${deployments}/development`;

const manifest = `apiVersion: coderunner.io/v1
run:
  command: node server.js
  port: 3000
  health:
    path: /healthz
    timeoutSeconds: 60
`;
const goodServer = `require('node:http')
  .createServer((req, res) => res.end(JSON.stringify({ release: process.env.CODERUNNER_RELEASE })))
  .listen(Number(process.env.PORT));
`;
const crashingServer = `console.error('FATAL: DATABASE_URL is not set'); process.exit(1);\n`;

/** Whatever the gateway answers for the app, as "<status> <body>" or the connection error. */
function getApp(port: number): Promise<string> {
  return new Promise(resolve => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          headers: { host: `flaky.development.localhost:${port}` },
        },
        res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () => resolve(`${res.statusCode} ${body}`));
        },
      )
      .on('error', error => resolve(`error ${error.message}`));
  });
}

describe('superseding deploys', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env.stop();
  });

  it.each(databases.eachSupportedId())(
    'a deploy while a crash-looping rollout is in progress supersedes it, and the active release serves throughout, on %p',
    async databaseId => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-flaky-'));
      fs.writeFileSync(path.join(dir, 'coderunner.yaml'), manifest);
      fs.writeFileSync(path.join(dir, 'server.js'), goodServer);
      const runtime = AgentSphereRuntime.create({
        logger: mockServices.logger.mock(),
        apiKey: env.emulator.apiKey,
        domain: env.emulator.domain,
      });
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          coderunnerPlugin,
          emulatorRuntimeModule(env.emulator, runtime),
          catalogServiceMock.factory({
            entities: [localComponent('flaky', dir)],
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              coderunner: {
                environments: ['development'],
                gateway: { port: 0 },
                source: { localRoots: [dir] },
              },
            },
          }),
        ],
      });
      const { server } = backend;
      const current = async () =>
        (await request(server).get(deployments)).body.items[0] as Deployment;
      const releases = async () =>
        (await request(server).get(`${base}/releases`)).body.items as Release[];
      const deadline = Date.now() + 150_000;
      const waitFor = async (
        what: string,
        check: (d: Deployment) => boolean,
      ) => {
        for (;;) {
          const deployment = await current();
          if (deployment && check(deployment)) return deployment;
          if (Date.now() > deadline)
            throw new Error(
              `Timed out waiting for ${what}: ${JSON.stringify(deployment)}`,
            );
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      };
      const sandboxesOf = async (releaseId: string) =>
        (
          await runtime.listSandboxes({
            metadata: { [RELEASE_ID_KEY]: releaseId },
          })
        ).map(s => s.sandboxId);

      // Release 1 serves.
      expect(
        (await request(server).post(`${base}/deploy`).send({})).status,
      ).toBe(202);
      const live = await waitFor(
        'release 1 to serve',
        d => d.status === 'ready' && d.activeRelease?.number === 1,
      );
      const port = Number(new URL(live.url!).port);

      // Watch the app through the gateway from now until release 3 serves.
      const answers: string[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) answers.push(await getApp(port));
      })();

      // Release 2 crash-loops: its rollout never finishes.
      fs.writeFileSync(path.join(dir, 'server.js'), crashingServer);
      expect(
        (await request(server).post(`${base}/deploy`).send({})).status,
      ).toBe(202);
      await waitFor('release 2 to crash', d =>
        d.instances.some(i => i.releaseNumber === 2 && i.state === 'crashed'),
      );
      const release2 = (await releases()).find(r => r.number === 2)!;

      // The fix is deployed at once: accepted, and release 2 is superseded.
      fs.writeFileSync(path.join(dir, 'server.js'), goodServer);
      const fixed = await request(server).post(`${base}/deploy`).send({});
      expect(fixed.status).toBe(202);
      expect(fixed.body.release).toMatchObject({ number: 3 });
      // Release 1 still serves while release 3 starts.
      expect(fixed.body.deployment).toMatchObject({
        activeRelease: { number: 1 },
      });
      expect(fixed.body.deployment.instances).toContainEqual(
        expect.objectContaining({ releaseNumber: 1, state: 'ready' }),
      );
      expect((await releases()).map(r => [r.number, r.status])).toEqual([
        [3, expect.stringMatching(/pending|building|built/)],
        [2, 'superseded'],
        [1, 'built'],
      ]);

      await waitFor(
        'release 3 to serve alone',
        d =>
          d.status === 'ready' &&
          d.activeRelease?.number === 3 &&
          d.instances.every(i => i.releaseNumber === 3),
      );
      watching = false;
      await watcher;
      // Release 2's instances are gone, and so are their sandboxes.
      expect(await sandboxesOf(release2.id)).toEqual([]);
      expect((await releases()).find(r => r.number === 2)?.status).toBe(
        'superseded',
      );

      // Every answer came from release 1, then from release 3: never an error, never release 2.
      const served = answers.map(answer => {
        expect(answer).toMatch(/^200 /);
        return JSON.parse(answer.slice(4)).release as string;
      });
      expect(served[0]).toBe('1');
      expect(served[served.length - 1]).toBe('3');
      expect(served.slice(served.indexOf('3')).every(r => r === '3')).toBe(
        true,
      );
      expect(served.every(r => r === '1' || r === '3')).toBe(true);

      await backend.stop();
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});
