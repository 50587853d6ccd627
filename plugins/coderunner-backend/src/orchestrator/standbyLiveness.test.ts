import { routeDomainToEmulator } from '@coderunner/agentsphere-emulator';
import { mockServices } from '@backstage/backend-test-utils';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tuneSqlite } from '../database/tuneSqlite';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  servedAgain,
  startTwoReplicas,
  writeCountingApp,
} from '../__testUtils__/twoReplicas';
import { AgentSphereRuntime } from '../runtime';

const databases = createTestDatabases();

// Two backend processes and an emulator process, a rollout and a lease takeover (15 s), on a
// machine that may be busy: the waits fail with the state they saw after 150 s first.
jest.setTimeout(600_000);

/** The test's database: PostgreSQL as given, SQLite in a file both replica processes open. */
async function openDatabase(databaseId: TestDatabaseId, dir: string) {
  if (databaseId !== 'SQLITE_3') return databases.init(databaseId);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'backend.sqlite') },
    useNullAsDefault: true,
  });
  await tuneSqlite(knex);
  return knex;
}

/**
 * The replica holding a deployment's lease is SIGKILLed, and then the app of its only instance
 * dies, with no request arriving: another replica's probes mark the instance unhealthy while the
 * dead replica's lease is still live, and that replica replaces it once it takes the lease.
 */
describe('liveness while the lease holder is dead', () => {
  let dir: string;
  let knex: Knex | undefined;
  let replicas: Awaited<ReturnType<typeof startTwoReplicas>> | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coderunner-standby-'));
  });
  afterEach(async () => {
    await replicas?.stop();
    replicas = undefined;
    if (knex?.client.config.client === 'better-sqlite3') await knex.destroy();
    knex = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'marks a dead instance unhealthy before the dead holder’s lease expires, on %p',
    async databaseId => {
      knex = await openDatabase(databaseId, dir);
      replicas = await startTwoReplicas(knex);
      const app = await writeCountingApp(
        'intervalSeconds: 1, failureThreshold: 2',
      );
      const deploymentId = await replicas.a.deploy({
        name: 'standby',
        dir: app,
        environment: 'development',
        instances: 1,
      });
      const { instances } = await replicas.waitFor(
        deploymentId,
        (d, rows) =>
          d.status === 'ready' &&
          rows.length === 1 &&
          rows[0].state === 'ready',
      );
      const [instance] = instances;
      const b = await replicas.startReplica();

      // The holder goes down, then its instance's app (through the SDK, as AgentSphere would).
      await replicas.a.kill();
      const route = routeDomainToEmulator(
        replicas.emulator.domain,
        replicas.emulator.url,
      );
      const runtime = AgentSphereRuntime.create({
        logger: mockServices.logger.mock(),
        apiKey: replicas.emulator.apiKey,
        domain: replicas.emulator.domain,
      });
      try {
        expect(
          await runtime.signalProcess(
            instance.sandboxId!,
            instance.pid!,
            'SIGKILL',
          ),
        ).toBe(true);
      } finally {
        await runtime.close();
        route.remove();
      }

      const { instances: after } = await replicas.waitFor(
        deploymentId,
        (_, rows) =>
          rows.some(r => r.id === instance.id && r.state !== 'ready'),
      );
      // Read after it changed: a live lease, still the dead replica's (which never gets it back).
      const live = await replicas.store.leasedElsewhere(
        deploymentId,
        'an-observer',
      );
      const holder = (await replicas.store.getDeployment(deploymentId))
        ?.leaseOwner;
      expect({ live, holder }).toEqual({
        live: true,
        holder: replicas.a.replicaId,
      });
      const marked = after.find(r => r.id === instance.id)!;
      expect(marked.state).toBe('unhealthy');
      expect(marked.reason).toMatch(
        /^Instance \w{8} failed 2 health checks in a row \(GET \/healthz: .+\); replacing it\. Found by a replica standing in for the one that holds the deployment's lease, which stopped renewing it$/,
      );

      // B takes the lease once it expires and replaces the instance.
      await replicas.waitFor(
        deploymentId,
        servedAgain(b.replicaId, instance.sandboxId!, 1),
      );
      await fs.rm(app, { recursive: true, force: true });
    },
  );
});
