import { fork } from 'node:child_process';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';

/**
 * The app-config with which a backend uses the emulator already running at `emulator.url`
 * (`coderunner.emulator.url`, `apiKey` and `domain`), as every replica of a test shares it.
 */
export function sharedEmulatorConfig(emulator: {
  url: string;
  domain: string;
  apiKey: string;
}) {
  return {
    coderunner: {
      emulator: {
        url: emulator.url,
        domain: emulator.domain,
        apiKey: emulator.apiKey,
      },
      agentsphere: { keepAliveIntervalSeconds: 5 },
    },
  };
}

/**
 * A backend replica in a child process (reconcilerProcess.ts) that a test can SIGKILL, on a
 * SQLite file or a PostgreSQL database that other replicas share, with its gateway listening on
 * 127.0.0.1 at `gatewayPort`. `appConfig` is its app-config: it reaches the runtime as a backend
 * does, by `coderunner.emulator` (see {@link sharedEmulatorConfig}) and `coderunner.agentsphere`.
 */
export async function startReplicaProcess(config: {
  database: { sqliteFile: string } | { pg: Knex.PgConnectionConfig | string };
  appConfig: JsonObject;
}) {
  const child = fork(path.join(__dirname, 'reconcilerProcess.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, REPLICA_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { gatewayPort, replicaId } = await new Promise<{
    gatewayPort: number;
    replicaId: string;
  }>((resolve, reject) => {
    child.on('message', (m: any) => m?.ready && resolve(m));
    child.once('exit', code =>
      reject(
        new Error(
          `the replica process exited with ${code} before it was ready`,
        ),
      ),
    );
  });
  let next = 0;
  return {
    gatewayPort,
    /** The replica's reconciler id, as deployments' `lease_owner` names it. */
    replicaId,
    deploy(deploy: {
      name: string;
      dir: string;
      environment: string;
      instances: number;
    }) {
      const id = ++next;
      return new Promise<string>((resolve, reject) => {
        const onMessage = (m: any) => {
          if (m?.id !== id) return;
          child.off('message', onMessage);
          if (m.error) reject(new Error(m.error));
          else resolve(m.deploymentId);
        };
        child.on('message', onMessage);
        child.send({ id, deploy });
      });
    },
    /** Kills it the way a crash or an OOM kill would: at once, with nothing cleaned up. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
