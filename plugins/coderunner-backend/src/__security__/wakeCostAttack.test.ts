import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import http from 'node:http';
import net from 'node:net';
import {
  deploymentWithScalingRelease,
  scalingControllerWithoutReconciler,
} from '../__testUtils__/scalingFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { Gateway } from '../gateway/Gateway';
import { DatabaseScalingStore } from '../scaling/DatabaseScalingStore';
import { ScalingController } from '../scaling/ScalingController';

jest.setTimeout(120_000);

/**
 * Wake on request is open to anyone who can reach the gateway. An anonymous visitor must not be
 * able to start a deployment that its people keep at zero on purpose (a hold at zero, a pause,
 * a hard budget that pays for no instance), nor turn a flood of requests into a flood of wake
 * attempts. Before the fix, every request woke the deployment (0 → 1) whatever kept it at zero,
 * and every request after a failed wake asked the waker again.
 */
const databases = createTestDatabases();
const ENTITY = 'component:default/hello-node';
const HOST = 'hello-node.development.localhost';

function get(
  port: number,
  signal?: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/', headers: { host: HOST }, signal },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends `head` (the request line and headers) as it is; the status code of the answer. */
function raw(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`${head}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', chunk => (text += chunk));
    socket.on('end', () => resolve(Number(text.split(' ')[1])));
    socket.on('error', reject);
  });
}

/** Polls a condition of the system under test (no fixed sleeps): for state, not for time. */
async function until(what: string, condition: () => boolean) {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setImmediate(resolve));
  }
}

describe.each(databases.eachSupportedId())(
  'wake on request against people keeping a deployment at zero, on %p',
  databaseId => {
    let knex: Knex;
    let store: DeploymentStore;
    let gateway: Gateway;
    let controller: ScalingController;
    let deploymentId: string;
    let budget: number | undefined;
    const wakeCalls: string[] = [];
    /** What each call of the waker returned, to wait for the wake to be recorded. */
    const wakes: Promise<void>[] = [];

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const made = await deploymentWithScalingRelease(knex, ENTITY);
      store = made.store;
      deploymentId = made.deployment.id;
      await store.updateDeployment(deploymentId, { desiredState: 'running' });
      // No sandbox starts: the desired count is what is under attack.
      ({ controller } = scalingControllerWithoutReconciler(knex, store, {
        budgetCap: {
          maxInstances: async () => budget,
        },
      }));
      gateway = new Gateway(
        store,
        {
          port: 0,
          baseDomain: 'localhost',
          publicScheme: 'http',
          listenHost: '127.0.0.1',
          // Longer than any burst below takes on a busy machine.
          wakeTimeoutSeconds: 60,
        },
        mockServices.logger.mock(),
      );
      gateway.wakeWith({
        wake: id => {
          wakeCalls.push(id);
          const wake = controller.wake(id);
          wakes.push(wake.catch(() => undefined));
          return wake;
        },
      });
      await gateway.start();
    });

    afterAll(async () => {
      await gateway.stop();
      await knex.destroy();
    });

    const desired = async () =>
      (await store.getDeployment(deploymentId))!.desiredInstances;
    const wakeDecisions = async () =>
      (
        await DatabaseScalingStore.create({ knex }).listDecisions(
          deploymentId,
          { limit: 100 },
        )
      ).filter(d => d.cause === 'wake');

    /**
     * A burst of anonymous requests: what they got, what the visitor's page said, and what
     * the burst did to the deployment.
     */
    async function flood() {
      await gateway.refresh();
      // Each case starts afresh: the previous case's refusal is remembered for the wake timeout.
      gateway.wakes.stop();
      wakeCalls.length = 0;
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => get(gateway.port)),
      );
      return {
        statuses: [...new Set(answers.map(a => a.status))],
        page: answers[0].text,
        // The page tells an anonymous visitor nothing of who keeps it at zero, or why.
        tellsWhy: /jane|incident|budget|paused/i.test(answers[0].text),
        desiredInstances: await desired(),
        wakeDecisions: (await wakeDecisions()).length,
        askedTheWaker: wakeCalls.length,
        heldRequests: gateway.wakes.heldRequests,
      };
    }

    /** All refused at once, none woke it, and the waker was asked once for the whole burst. */
    const REFUSED = {
      statuses: [503],
      page: expect.stringContaining('The app could not be started'),
      tellsWhy: false,
      desiredInstances: 0,
      wakeDecisions: 0,
      askedTheWaker: 1,
      heldRequests: 0,
    };

    it('never wakes a deployment held at zero by a person', async () => {
      await controller.hold(
        ENTITY,
        'development',
        { instances: 0, reason: 'incident 7: keep it off' },
        'user:default/jane',
      );
      expect(await flood()).toEqual(REFUSED);
      await controller.releaseHold(ENTITY, 'development', 'user:default/jane');
    });

    it('never wakes a deployment whose autoscaling is paused at zero', async () => {
      await store.updateDeployment(deploymentId, { desiredInstances: 0 });
      await controller.pause(
        ENTITY,
        'development',
        'investigating',
        'user:default/jane',
      );
      expect(await flood()).toEqual(REFUSED);
      await controller.resume(ENTITY, 'development', 'user:default/jane');
    });

    it('never wakes a deployment whose hard budget pays for no instance', async () => {
      await store.updateDeployment(deploymentId, { desiredInstances: 0 });
      budget = 0;
      expect(await flood()).toEqual(REFUSED);
      budget = undefined;
    });

    it('wakes nothing for a request that names the deployment only through Host tricks', async () => {
      await store.updateDeployment(deploymentId, { desiredInstances: 0 });
      await gateway.refresh();
      gateway.wakes.stop();
      wakeCalls.length = 0;
      const other = 'other-app.development.localhost';
      const tricks = {
        'two Host headers, ours second': `GET / HTTP/1.1\r\nHost: ${other}\r\nHost: ${HOST}`,
        'two Host headers, ours first': `GET / HTTP/1.1\r\nHost: ${HOST}\r\nHost: ${other}`,
        'absolute-form target': `GET http://${HOST}/ HTTP/1.1\r\nHost: ${other}`,
        'trailing dot': `GET / HTTP/1.1\r\nHost: ${HOST}.`,
        'userinfo in Host': `GET / HTTP/1.1\r\nHost: evil@${HOST}`,
        'a longer name': `GET / HTTP/1.1\r\nHost: ${HOST}.evil.example`,
        'a subdomain': `GET / HTTP/1.1\r\nHost: x.${HOST}`,
        'no Host at all': 'GET / HTTP/1.0',
      };
      const statuses: Record<string, number> = {};
      for (const [trick, head] of Object.entries(tricks)) {
        statuses[trick] = await raw(gateway.port, head);
      }
      expect(statuses).toEqual({
        'two Host headers, ours second': 400,
        'two Host headers, ours first': 400,
        'absolute-form target': 400,
        'trailing dot': 404,
        'userinfo in Host': 404,
        'a longer name': 404,
        'a subdomain': 404,
        'no Host at all': 404,
      });
      expect(wakeCalls).toEqual([]);
      expect(await desired()).toBe(0);
    });

    it('still wakes a deployment that the autoscaler took to zero, once for a burst', async () => {
      await store.updateDeployment(deploymentId, { desiredInstances: 0 });
      await gateway.refresh();
      gateway.wakes.stop();
      wakeCalls.length = 0;
      // No sandbox starts here: the requests stay held until their clients give up.
      const clients = new AbortController();
      const answers = Array.from({ length: 20 }, () =>
        get(gateway.port, clients.signal).catch(error => error),
      );
      await until('20 held requests', () => gateway.wakes.heldRequests === 20);
      // The first held request asked the waker: wait until it recorded the wake.
      await Promise.all(wakes);
      clients.abort();
      await Promise.all(answers);
      await until('no held request', () => gateway.wakes.heldRequests === 0);
      expect(await desired()).toBe(1);
      expect(await wakeDecisions()).toHaveLength(1);
      expect(wakeCalls).toEqual([deploymentId]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'wake on request under a flood of another app, on %p',
  databaseId => {
    it('a flood that takes every place to wait keeps no other app from waking', async () => {
      const knex = await databases.init(databaseId);
      const flooded = await deploymentWithScalingRelease(
        knex,
        'component:default/flooded',
      );
      const quiet = await deploymentWithScalingRelease(
        knex,
        'component:default/quiet',
      );
      const { store } = flooded;
      for (const { deployment } of [flooded, quiet]) {
        await store.updateDeployment(deployment.id, {
          desiredState: 'running',
          desiredInstances: 0,
        });
      }
      const { controller } = scalingControllerWithoutReconciler(knex, store);
      // The flooded app never gets an instance while the flood lasts; the quiet one wakes.
      let endFlood!: () => void;
      const flooding = new Promise<void>(resolve => (endFlood = resolve));
      const quietWakes: Promise<void>[] = [];
      const gateway = new Gateway(
        store,
        {
          port: 0,
          baseDomain: 'localhost',
          publicScheme: 'http',
          listenHost: '127.0.0.1',
          wakeTimeoutSeconds: 60,
          maxHeldRequests: 4,
        },
        mockServices.logger.mock(),
      );
      gateway.wakeWith({
        wake: id => {
          if (id === flooded.deployment.id) return flooding;
          const wake = controller.wake(id);
          quietWakes.push(wake);
          return wake;
        },
      });
      await gateway.start();
      try {
        const send = (name: string, signal?: AbortSignal) =>
          new Promise<{ status: number; text: string }>((resolve, reject) => {
            const req = http.request(
              {
                host: '127.0.0.1',
                port: gateway.port,
                path: '/',
                headers: { host: `${name}.development.localhost` },
                signal,
              },
              res => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', chunk => (text += chunk));
                res.on('end', () =>
                  resolve({ status: res.statusCode ?? 0, text }),
                );
              },
            );
            req.on('error', reject);
            req.end();
          });
        const attacker = new AbortController();
        const flood = Array.from({ length: 4 }, () =>
          send('flooded', attacker.signal).catch(error => error),
        );
        await until(
          'every place taken',
          () => gateway.wakes.heldRequests === 4,
        );

        const visitor = await send('quiet');
        expect(visitor.status).toBe(503);
        expect(visitor.text).toContain('too many requests are already waiting');
        // Not held, but woken: the visitor's retry finds it starting.
        expect(quietWakes).toHaveLength(1);
        await Promise.all(quietWakes);
        expect(
          (await store.getDeployment(quiet.deployment.id))!.desiredInstances,
        ).toBe(1);

        attacker.abort();
        await Promise.all(flood);
      } finally {
        endFlood();
        await gateway.stop();
        await knex.destroy();
      }
    });
  },
);
