/*
 * Measures what a client sees through replica B's gateway while replica A, which runs a
 * deployment's two instances, is killed with SIGKILL together with one of them: every GET's
 * status, from before the kill until B has taken the lease over and runs two instances again.
 * One emulator process, two replica processes, a fresh PostgreSQL database per run.
 *
 *   cd plugins/coderunner-backend && node --import tsx src/__testUtils__/measureReplicaKill.ts [runs]
 *
 * Prints one JSON line per run and a summary with the load average.
 */
import knexFactory from 'knex';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  servedAgain,
  startTwoReplicas,
  steadyGets,
  writeCountingApp,
} from './twoReplicas';

const server =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

async function run() {
  const name = `coderunner_replica_kill_${randomUUID().slice(0, 8)}`;
  const admin = knexFactory({ client: 'pg', connection: server });
  await admin.raw(`create database ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: server, database: name },
  });
  const replicas = await startTwoReplicas(knex);
  try {
    const dir = await writeCountingApp();
    const deploymentId = await replicas.a.deploy({
      name: 'counter',
      dir,
      environment: 'development',
      instances: 2,
    });
    const { instances } = await replicas.waitFor(
      deploymentId,
      (d, rows) =>
        d.status === 'ready' &&
        rows.length === 2 &&
        rows.every(r => r.state === 'ready'),
    );
    const b = await replicas.startReplica();
    const traffic = steadyGets(b.gatewayPort, 'counter.development.localhost');
    await traffic.answered(20);
    const killedAt = Date.now();
    const dead = instances[0].sandboxId!;
    await Promise.all([replicas.a.kill(), replicas.emulator.killSandbox(dead)]);
    await replicas.waitFor(
      deploymentId,
      servedAgain(b.replicaId, dead),
      120_000,
    );
    const recoveredMs = Date.now() - killedAt;
    const statuses = await traffic.stop();
    return {
      requests: statuses.length,
      errors: statuses.filter(s => s < 200 || s >= 300).length,
      byStatus: statuses.reduce<Record<number, number>>(
        (acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }),
        {},
      ),
      recoveredMs,
    };
  } finally {
    await replicas.stop();
    await knex.destroy();
    await admin.raw(`drop database ${name} with (force)`);
    await admin.destroy();
  }
}

async function main() {
  const runs = Number(process.argv[2] ?? 3);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const result = await run();
    console.log(JSON.stringify(result));
    results.push(result);
  }
  console.log(
    JSON.stringify({
      runs,
      requests: results.reduce((n, r) => n + r.requests, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
      loadavg: os.loadavg(),
    }),
  );
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
