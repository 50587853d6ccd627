/*
 * A CodeRunner backend replica (reconciler, gateway, runtime) as a child process, so a test can
 * kill it with SIGKILL in the middle of a rollout: nothing is flushed, no lease is given up, no
 * sandbox is stopped. Started by `startReplicaProcess`; configured through REPLICA_CONFIG.
 */
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { routeDomainToEmulator } from '@coderunner/agentsphere-emulator';
import knexFactory, { Knex } from 'knex';
import { localComponent, OrchestratorHarness } from './OrchestratorHarness';

type Config = {
  /** A SQLite file, or a PostgreSQL connection (replicas of one test share either). */
  database: { sqliteFile: string } | { pg: Knex.PgConnectionConfig | string };
  emulator: { url: string; domain: string; apiKey: string };
};
type Command = {
  id: number;
  deploy: { name: string; dir: string; environment: string; instances: number };
};

async function main() {
  const config: Config = JSON.parse(process.env.REPLICA_CONFIG ?? '{}');
  routeDomainToEmulator(config.emulator.domain, config.emulator.url);
  const knex =
    'pg' in config.database
      ? knexFactory({ client: 'pg', connection: config.database.pg })
      : knexFactory({
          client: 'better-sqlite3',
          connection: { filename: config.database.sqliteFile },
          useNullAsDefault: true,
        });
  const logger: LoggerService = {
    error: (message, meta) => console.error('[replica]', message, meta ?? ''),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  const unsupported = async () => {
    throw new Error('only local sources in this test');
  };
  const urlReader: UrlReaderService = {
    readUrl: unsupported,
    readTree: unsupported,
    search: unsupported,
  };
  const harness = new OrchestratorHarness(knex, config.emulator, {
    logger,
    urlReader,
  });
  await harness.start();
  process.on('message', async ({ id, deploy }: Command) => {
    try {
      const { deployment } = await harness.deploy(
        localComponent(deploy.name, deploy.dir),
        deploy.dir,
        deploy.environment,
        deploy.instances,
      );
      process.send!({ id, deploymentId: deployment.id });
    } catch (error) {
      process.send!({ id, error: String(error) });
    }
  });
  process.send!({
    ready: true,
    gatewayPort: harness.gateway.port,
    replicaId: harness.reconciler.replicaId,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
