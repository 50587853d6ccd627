/*
 * A CodeRunner backend replica (reconciler, gateway, runtime) as a child process, so a test can
 * kill it with SIGKILL in the middle of a rollout: nothing is flushed, no lease is given up, no
 * sandbox is stopped. Started by `startReplicaProcess`; configured through REPLICA_CONFIG.
 */
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { emulatorFromConfig } from '@coderunner/plugin-coderunner-backend-module-agentsphere-emulator';
import { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { AgentSphereRuntime } from '../runtime';
import { localComponent, OrchestratorHarness } from './OrchestratorHarness';

type Config = {
  /** A SQLite file, or a PostgreSQL connection (replicas of one test share either). */
  database: { sqliteFile: string } | { pg: Knex.PgConnectionConfig | string };
  /** The replica's app-config, which says which emulator it uses (`coderunner.emulator.url`). */
  appConfig: JsonObject;
};
type Command = {
  id: number;
  deploy: { name: string; dir: string; environment: string; instances: number };
};

async function main() {
  const config: Config = JSON.parse(process.env.REPLICA_CONFIG ?? '{}');
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
  // The runtime as the plugin and its emulator module make it from app-config.
  const appConfig = new ConfigReader(config.appConfig);
  const emulator = await emulatorFromConfig(appConfig, { logger });
  const runtime = AgentSphereRuntime.fromConfig(appConfig, {
    logger,
    endpoint: emulator.endpoint,
  });
  const harness = new OrchestratorHarness(knex, emulator.endpoint, {
    logger,
    urlReader,
    runtime,
    config: appConfig,
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
