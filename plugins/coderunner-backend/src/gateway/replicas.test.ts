import fs from 'node:fs/promises';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  sendThroughGateway,
  servedAgain,
  startTwoReplicas,
  steadyGets,
  writeCountingApp,
} from '../__testUtils__/twoReplicas';

const databases = createTestDatabases();

// Two backend processes and an emulator process, rollouts and a lease takeover (15 s), on a
// machine that may be busy: the waits below fail with the state they saw after 150 s first.
jest.setTimeout(600_000);

/**
 * Two backend replicas, each its own process with its own gateway and reconciler, on one
 * PostgreSQL database and one emulator process: replica B's gateway serves the instances
 * replica A started, retries what it may on another instance, and loses no retryable request
 * when A is killed with SIGKILL together with one of its instances; a POST that met a dead
 * instance is answered 502 and never sent again.
 */
describe('two replicas sharing one runtime', () => {
  let replicas: Awaited<ReturnType<typeof startTwoReplicas>>;
  let b: Awaited<ReturnType<typeof replicas.startReplica>>;
  let dir: string;
  let deploymentId: string;
  const host = 'counter.development.localhost';

  const ready = (n: number) =>
    replicas.waitFor(
      deploymentId,
      (d, instances) =>
        d.status === 'ready' &&
        instances.filter(i => i.state === 'ready').length === n &&
        instances.length === n,
    );
  const get = (urlPath = '/') =>
    sendThroughGateway(b.gatewayPort, host, 'GET', urlPath);

  beforeAll(async () => {
    const knex = await databases.init('POSTGRES_15');
    replicas = await startTwoReplicas(knex);
    dir = await writeCountingApp();
    deploymentId = await replicas.a.deploy({
      name: 'counter',
      dir,
      environment: 'development',
      instances: 2,
    });
    await ready(2);
    // B starts once A holds the deployment's lease and runs both instances.
    b = await replicas.startReplica();
  });

  afterAll(async () => {
    await replicas?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the instances another replica started', async () => {
    const deployment = await replicas.store.getDeployment(deploymentId);
    expect(deployment?.leaseOwner).toBe(replicas.a.replicaId);
    const instances = await replicas.store.listInstances(deploymentId);
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const answer = await get();
      expect(answer.status).toBe(200);
      served.add(JSON.parse(answer.text).instance);
    }
    expect([...served].sort()).toEqual(instances.map(i => i.id).sort());
  });

  it('loses no GET while the replica that runs the instances is SIGKILLed with one of them', async () => {
    const before = await ready(2);
    expect(before.deployment.leaseOwner).toBe(replicas.a.replicaId);
    const traffic = steadyGets(b.gatewayPort, host);
    await traffic.answered(20);
    // The replica and one of the instances it runs go down together.
    const dead = before.instances[0].sandboxId!;
    await Promise.all([replicas.a.kill(), replicas.emulator.killSandbox(dead)]);
    // B takes over once A's lease runs out, and brings the deployment back to two instances.
    await replicas.waitFor(deploymentId, servedAgain(b.replicaId, dead));
    await traffic.answered(20);
    const statuses = await traffic.stop();
    expect(statuses.length).toBeGreaterThan(40);
    expect(statuses.filter(s => s !== 200)).toEqual([]);
  });

  it('never retries a POST, and marks the instance it found down unhealthy at once', async () => {
    const before = await ready(2);
    expect(before.deployment.leaseOwner).toBe(b.replicaId);
    // C serves while B, which runs the instances, is killed with one of them: nobody watches the
    // dead instance, which stays ready in the database until C's gateway meets it.
    const c = await replicas.startReplica();
    const [dead, live] = before.instances;
    await Promise.all([
      b.kill(),
      replicas.emulator.killSandbox(dead.sandboxId!),
    ]);
    const posts: { body: string; status: number; text: string }[] = [];
    for (let i = 0; i < 4 && !posts.some(p => p.status === 502); i++) {
      const body = `order-${i}`;
      posts.push({
        body,
        ...(await sendThroughGateway(c.gatewayPort, host, 'POST', '/', body)),
      });
    }
    const failed = posts.find(p => p.status === 502)!;
    expect(failed).toBeDefined();
    expect(failed.text).toContain('The instance failed');
    expect(failed.text).toContain(
      'The POST request was not retried on another instance',
    );
    // The live instance never got it (the dead one is gone): the app saw it at most once.
    const seen = await sendThroughGateway(
      c.gatewayPort,
      host,
      'GET',
      `/?body=${failed.body}`,
    );
    expect(JSON.parse(seen.text)).toEqual({ instance: live.id, seen: 0 });
    const { instances } = await replicas.waitFor(deploymentId, (_, rows) =>
      rows.some(r => r.id === dead.id && r.state !== 'ready'),
    );
    expect(instances.find(r => r.id === dead.id)?.reason).toMatch(
      /^The gateway could not get an answer from instance/,
    );
    // C takes over and replaces it.
    await replicas.waitFor(
      deploymentId,
      servedAgain(c.replicaId, dead.sandboxId!),
    );
  });
});
