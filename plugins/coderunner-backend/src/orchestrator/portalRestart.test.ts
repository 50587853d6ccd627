import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  localComponent,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { coderunnerPlugin } from '../plugin';

jest.setTimeout(240_000);

const examples = path.resolve(__dirname, '../../../../examples');
const base = '/api/coderunner/entities/component/default/hello-node';
const SECRET = 'restart-survivor-secret';

/** Polls until `check` returns a value. */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

function getThroughGateway(
  url: string,
): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get(
        {
          host: '127.0.0.1',
          port,
          path: pathname,
          headers: { host: `${hostname}:${port}` },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      )
      .on('error', reject);
  });
}

/**
 * The local portal keeps its SQLite database in a folder (app-config.yaml's
 * `backend.database.connection.directory`). A restart stops the backend and, with it, the
 * embedded emulator and every sandbox; the next backend on the same folder, with a new emulator,
 * brings the deployment back with its configuration (encrypted with the generated development
 * key, kept in that database) and its logs.
 */
describe('the local portal after a restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coderunner-restart-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function startPortal(emulator: { apiKey: string; domain: string }) {
    return startTestBackend({
      features: [
        coderunnerPlugin,
        // Scheduled tasks wait for the test; the reconciler runs on its own.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => mockServices.scheduler(),
        }),
        catalogServiceMock.factory({
          entities: [
            localComponent('hello-node', path.join(examples, 'hello-node')),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'better-sqlite3',
                connection: { directory: dir },
              },
            },
            coderunner: {
              environments: ['development'],
              gateway: { port: 0, listenHost: '127.0.0.1' },
              source: { localRoots: [examples] },
              agentsphere: { apiKey: emulator.apiKey, domain: emulator.domain },
            },
          },
        }),
      ],
    });
  }

  async function readyDeployment(server: http.Server) {
    return eventually(async () => {
      const [deployment] = (await request(server).get(`${base}/deployments`))
        .body.items;
      return deployment?.status === 'ready' ? deployment : undefined;
    });
  }

  it('brings the deployment back with its config and logs', async () => {
    const firstEmulator = await startTestEmulator();
    const first = await startPortal(firstEmulator.emulator);
    const saved = await request(first.server)
      .post(`${base}/config/changes`)
      .send({
        changes: [
          { scope: 'shared', name: 'API_TOKEN', value: SECRET, secret: true },
        ],
      });
    expect(saved.status).toBe(202);
    expect(
      (
        await request(first.server)
          .post(`${base}/deployments/development/deploy`)
          .send({})
      ).status,
    ).toBe(202);
    const before = await readyDeployment(first.server);
    expect(
      JSON.parse((await getThroughGateway(`${before.url}env`)).text).set
        .API_TOKEN,
    ).toBe(true);
    const logsBefore = (
      await request(first.server).get(`${base}/deployments/development/logs`)
    ).body.items;
    expect(logsBefore.length).toBeGreaterThan(0);

    // The restart: the backend stops, and the emulator in it takes every sandbox along.
    await first.stop();
    await firstEmulator.stop();
    expect(await fs.readdir(dir)).toContain('coderunner.sqlite');

    const secondEmulator = await startTestEmulator();
    try {
      const second = await startPortal(secondEmulator.emulator);
      try {
        const after = await eventually(async () => {
          const deployment = await readyDeployment(second.server);
          return secondEmulator.emulator.sandboxIds().length > 0
            ? deployment
            : undefined;
        });
        expect(after.id).toBe(before.id);
        const answer = await getThroughGateway(`${after.url}env`);
        expect(answer.status).toBe(200);
        // The secret was decrypted with the development key kept in the database.
        expect(JSON.parse(answer.text).set.API_TOKEN).toBe(true);
        const config = (await request(second.server).get(`${base}/config`))
          .body;
        expect(JSON.stringify(config)).toContain('API_TOKEN');
        const revealed = await request(second.server)
          .post(`${base}/config/reveal`)
          .send({ scope: 'shared', name: 'API_TOKEN' });
        expect(revealed.body.value).toBe(SECRET);
        const logsAfter = (
          await request(second.server).get(
            `${base}/deployments/development/logs`,
          )
        ).body.items;
        expect(logsAfter.map((l: { line: string }) => l.line)).toEqual(
          expect.arrayContaining(
            logsBefore.map((l: { line: string }) => l.line),
          ),
        );
      } finally {
        await second.stop();
      }
    } finally {
      await secondEmulator.stop();
    }
  });
});
