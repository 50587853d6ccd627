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
const entities = '/api/coderunner/entities/component/default';
const examples = path.resolve(__dirname, '../../../../examples');

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
function getApp(name: string, port: number): Promise<string> {
  return new Promise(resolve => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: '/',
          headers: { host: `${name}.development.localhost:${port}` },
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

/**
 * A portal on one database with one component, whose sandboxes run on the shared emulator,
 * and the means to watch its deployment in development.
 */
async function startPortal(
  env: Awaited<ReturnType<typeof startTestEmulator>>,
  databaseId: Parameters<typeof databases.init>[0],
  name: string,
  dir: string,
) {
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
      catalogServiceMock.factory({ entities: [localComponent(name, dir)] }),
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
  const base = `${entities}/${name}`;
  const deadline = Date.now() + 150_000;
  const portal = {
    server,
    base,
    deploy: () =>
      request(server).post(`${base}/deployments/development/deploy`).send({}),
    releases: async () =>
      (await request(server).get(`${base}/deployments/development/releases`))
        .body.items as Release[],
    /** Re-reads the deployment until `check` holds (a bound on a hung test, not a timing). */
    waitFor: async (what: string, check: (d: Deployment) => boolean) => {
      for (;;) {
        const deployment = (await request(server).get(`${base}/deployments`))
          .body.items[0] as Deployment | undefined;
        if (deployment && check(deployment)) return deployment;
        if (Date.now() > deadline) {
          throw new Error(
            `Timed out waiting for ${what}: ${JSON.stringify(deployment)}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
    sandboxesOf: async (releaseId: string) =>
      (
        await runtime.listSandboxes({
          metadata: { [RELEASE_ID_KEY]: releaseId },
        })
      ).map(sandbox => sandbox.sandboxId),
    /** Requests the app through the gateway, one after another, until the returned stop. */
    watch: (port: number) => {
      const answers: string[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) answers.push(await getApp(name, port));
      })();
      return async () => {
        watching = false;
        await watcher;
        return answers;
      };
    },
    async stop() {
      await backend.stop();
      await knex.destroy();
    },
  };
  return portal;
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
      const portal = await startPortal(env, databaseId, 'flaky', dir);

      // Release 1 serves.
      expect((await portal.deploy()).status).toBe(202);
      const live = await portal.waitFor(
        'release 1 to serve',
        d => d.status === 'ready' && d.activeRelease?.number === 1,
      );
      const stopWatching = portal.watch(Number(new URL(live.url!).port));

      // Release 2 crash-loops: its rollout never finishes.
      fs.writeFileSync(path.join(dir, 'server.js'), crashingServer);
      expect((await portal.deploy()).status).toBe(202);
      await portal.waitFor('release 2 to crash', d =>
        d.instances.some(i => i.releaseNumber === 2 && i.state === 'crashed'),
      );
      const release2 = (await portal.releases()).find(r => r.number === 2)!;

      // The fix is deployed at once: accepted, and release 2 is superseded.
      fs.writeFileSync(path.join(dir, 'server.js'), goodServer);
      const fixed = await portal.deploy();
      expect(fixed.status).toBe(202);
      expect(fixed.body.release).toMatchObject({ number: 3 });
      // Release 1 still serves while release 3 starts.
      expect(fixed.body.deployment).toMatchObject({
        activeRelease: { number: 1 },
      });
      expect(fixed.body.deployment.instances).toContainEqual(
        expect.objectContaining({ releaseNumber: 1, state: 'ready' }),
      );
      expect((await portal.releases()).map(r => [r.number, r.status])).toEqual([
        [3, expect.stringMatching(/pending|building|built/)],
        [2, 'superseded'],
        [1, 'built'],
      ]);

      await portal.waitFor(
        'release 3 to serve alone',
        d =>
          d.status === 'ready' &&
          d.activeRelease?.number === 3 &&
          d.instances.every(i => i.releaseNumber === 3),
      );
      const answers = await stopWatching();
      // Release 2's instances are gone, and so are their sandboxes.
      expect(await portal.sandboxesOf(release2.id)).toEqual([]);
      expect((await portal.releases()).find(r => r.number === 2)?.status).toBe(
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

      await portal.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );

  it.each(databases.eachSupportedId())(
    'applying a fixed config while crashy-node crash-loops on a broken one supersedes that rollout, on %p',
    async databaseId => {
      const portal = await startPortal(
        env,
        databaseId,
        'crashy-node',
        path.join(examples, 'crashy-node'),
      );
      const changeConfig = (change: object) =>
        request(portal.server)
          .post(`${portal.base}/config/changes`)
          .send({
            changes: [
              { scope: 'development', name: 'DATABASE_URL', ...change },
            ],
            apply: true,
          });

      // Release 1 runs with DATABASE_URL set.
      expect((await changeConfig({ value: 'postgres://db/app' })).status).toBe(
        202,
      );
      expect((await portal.deploy()).status).toBe(202);
      const live = await portal.waitFor(
        'release 1 to serve',
        d => d.status === 'ready' && d.activeRelease?.number === 1,
      );
      const stopWatching = portal.watch(Number(new URL(live.url!).port));

      // Removing it is applied as release 2, which crash-loops.
      const broken = await changeConfig({ delete: true });
      expect(broken.status).toBe(202);
      expect(broken.body.applied).toEqual([
        { environment: 'development', releaseNumber: 2 },
      ]);
      await portal.waitFor('release 2 to crash', d =>
        d.instances.some(i => i.releaseNumber === 2 && i.state === 'crashed'),
      );
      const release2 = (await portal.releases()).find(r => r.number === 2)!;

      // Setting it again is applied at once as release 3, superseding release 2.
      const fixed = await changeConfig({ value: 'postgres://db/app' });
      expect(fixed.status).toBe(202);
      expect(fixed.body.applied).toEqual([
        { environment: 'development', releaseNumber: 3 },
      ]);
      expect((await portal.releases()).find(r => r.number === 2)?.status).toBe(
        'superseded',
      );

      await portal.waitFor(
        'release 3 to serve alone',
        d =>
          d.status === 'ready' &&
          d.activeRelease?.number === 3 &&
          d.instances.every(i => i.releaseNumber === 3),
      );
      const answers = await stopWatching();
      expect(await portal.sandboxesOf(release2.id)).toEqual([]);
      // Release 1 answered until release 3 did: the app never stopped answering.
      expect(answers.length).toBeGreaterThan(0);
      for (const answer of answers) expect(answer).toBe('200 connected\n');

      await portal.stop();
    },
  );
});
