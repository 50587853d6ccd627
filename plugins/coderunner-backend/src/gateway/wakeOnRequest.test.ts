import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import path from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { DatabaseScalingStore } from '../scaling/DatabaseScalingStore';
import { ScalingController } from '../scaling/ScalingController';
import { GatewayOptions } from './Gateway';
import { DeploymentWaker } from './WakeOnRequest';

jest.setTimeout(180_000);

const helloNode = path.resolve(__dirname, '../../../../examples/hello-node');
const databases = createTestDatabases();

type Answer = {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
};

/** Sends a request to hello-node in development through the gateway. */
function send(
  harness: OrchestratorHarness,
  options: { method?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: harness.gateway.port,
        method: options.method ?? 'GET',
        path: '/',
        headers: { host: `hello-node.development.localhost` },
        signal: options.signal,
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
) {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(databases.eachSupportedId())(
  'Wake on request at the gateway, on the AgentSphere emulator, on %p',
  databaseId => {
    let env: Awaited<ReturnType<typeof startTestEmulator>>;
    let harness: OrchestratorHarness | undefined;

    beforeAll(async () => {
      env = await startTestEmulator();
    });
    afterEach(async () => {
      await harness?.crash();
      harness = undefined;
      await removeAllSandboxes(env.emulator);
    });
    afterAll(async () => {
      await env.stop();
    });

    /**
     * hello-node deployed, ready, then scaled to zero: no instance left. `wake` is the waker the
     * gateway calls, given the harness.
     */
    async function scaledToZero(
      gateway: Partial<GatewayOptions>,
      wake: (h: OrchestratorHarness, deploymentId: string) => Promise<void>,
    ) {
      const woken: string[] = [];
      const waker: DeploymentWaker = {
        async wake(deploymentId) {
          woken.push(deploymentId);
          await wake(harness!, deploymentId);
        },
      };
      harness = await OrchestratorHarness.startMigrated(
        await databases.init(databaseId),
        env.emulator,
        { ...gateway, waker },
      );
      const { deployment } = await harness.deploy(
        localComponent('hello-node', helloNode),
        helloNode,
      );
      await harness.waitFor(deployment.id, d => d.status === 'ready', 120_000);
      await harness.store.updateDeployment(deployment.id, {
        desiredInstances: 0,
      });
      harness.reconciler.trigger(deployment.id);
      await until(
        'the instance to stop',
        async () =>
          (await harness!.store.listInstances(deployment.id)).length === 0,
      );
      await harness.gateway.refresh();
      return { deployment, woken };
    }

    it('holds requests to a deployment scaled to zero, wakes it once, answers with the app, and refuses requests beyond the bound', async () => {
      let openGate!: () => void;
      const gate = new Promise<void>(resolve => (openGate = resolve));
      const { deployment, woken } = await scaledToZero(
        { maxHeldRequests: 2, wakeTimeoutSeconds: 120 },
        async (h, deploymentId) => {
          await gate;
          await h.store.updateDeployment(deploymentId, { desiredInstances: 1 });
          h.reconciler.trigger(deploymentId);
        },
      );
      const gateway = harness!.gateway;

      // A client that gives up while held frees its place.
      const abandon = new AbortController();
      const abandoned = send(harness!, { signal: abandon.signal }).catch(
        error => error,
      );
      await until('one held request', () => gateway.wakes.heldRequests === 1);
      abandon.abort();
      expect(await abandoned).toMatchObject({ name: 'AbortError' });
      await until('no held request', () => gateway.wakes.heldRequests === 0);

      const first = send(harness!);
      const second = send(harness!, { method: 'HEAD' });
      await until('two held requests', () => gateway.wakes.heldRequests === 2);
      const third = await send(harness!);
      expect(third.status).toBe(503);
      expect(third.headers['retry-after']).toBeDefined();
      expect(third.text).toContain('too many requests are already waiting');
      expect(woken).toEqual([deployment.id]);

      openGate();
      const answers = await Promise.all([first, second]);
      expect(answers.map(a => a.status)).toEqual([200, 200]);
      expect(JSON.parse(answers[0].text)).toMatchObject({ release: '1' });
      expect(woken).toEqual([deployment.id]);
      expect(
        (await harness!.store.getDeployment(deployment.id))?.desiredInstances,
      ).toBe(1);
      // Awake: the next request goes straight through.
      expect((await send(harness!)).status).toBe(200);
      expect(gateway.wakes.heldRequests).toBe(0);
    });

    it('wakes through the scaling controller, which records a wake decision', async () => {
      // The controller needs the harness, which scaledToZero starts.
      const scaling: { controller?: ScalingController } = {};
      const { deployment } = await scaledToZero(
        { wakeTimeoutSeconds: 120 },
        async (_h, deploymentId) => scaling.controller!.wake(deploymentId),
      );
      const knex = harness!.knex;
      scaling.controller = new ScalingController({
        deployments: harness!.store,
        store: DatabaseScalingStore.create({ knex }),
        metrics: DatabaseMetricsStore.create({
          knex,
          rawRetentionMs: 3600_000,
        }),
        reconciler: harness!.reconciler,
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
        stepSeconds: 15,
        tickSeconds: 15,
      });

      const answer = await send(harness!);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ release: '1' });
      const [latest] = await DatabaseScalingStore.create({
        knex,
      }).listDecisions(deployment.id, { limit: 1 });
      expect(latest).toMatchObject({ from: 0, to: 1, cause: 'wake' });
    });

    it('answers a 503 page saying the app is starting when no instance is ready in time, and never reads a held request body', async () => {
      // The waker is told, but the count stays at zero (as under a manual hold of zero).
      const { deployment, woken } = await scaledToZero(
        { wakeTimeoutSeconds: 2 },
        async () => undefined,
      );

      const page = await send(harness!);
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['retry-after']).toBeDefined();
      expect(page.text).toContain('<h1>The app is starting</h1>');
      expect(page.text).toContain('was not ready within 2 s');
      expect(woken).toContain(deployment.id);

      // A client streams a 256 MiB body into a held request as fast as the gateway takes it.
      const total = 256 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let accepted = 0;
      const flushed = () => {
        accepted += chunk.length;
      };
      const held = await new Promise<{ status: number; accepted: number }>(
        (resolve, reject) => {
          let answered: { status: number; accepted: number } | undefined;
          const req = http.request({
            host: '127.0.0.1',
            port: harness!.gateway.port,
            method: 'PUT',
            path: '/upload',
            headers: {
              host: 'hello-node.development.localhost',
              'content-length': total,
            },
          });
          req.on('response', res => {
            answered = { status: res.statusCode ?? 0, accepted };
            res.resume();
            res.on('end', () => resolve(answered!));
          });
          req.on('error', error =>
            answered ? resolve(answered) : reject(error),
          );
          let written = 0;
          const pump = () => {
            while (written < total && !answered) {
              written += chunk.length;
              const more = req.write(chunk, flushed);
              if (!more) {
                req.once('drain', pump);
                return;
              }
            }
          };
          pump();
        },
      );
      expect(held.status).toBe(503);
      // Only socket buffers filled up: the gateway did not read the body while holding it.
      expect(held.accepted).toBeLessThan(32 * 1024 * 1024);
      expect(harness!.gateway.wakes.heldRequests).toBe(0);
    });
  },
);
