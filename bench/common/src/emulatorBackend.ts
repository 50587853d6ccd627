/*
 * CodeRunner's orchestration for a benchmark, in one process on the local AgentSphere emulator:
 * the parts a backend replica deploys with, wired the way the plugin wires them.
 */
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import {
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend';
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { DatabaseDeploymentStore } from '@coderunner/plugin-coderunner-backend/src/deployments/DatabaseDeploymentStore';
import { Gateway } from '@coderunner/plugin-coderunner-backend/src/gateway/Gateway';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';
import { Reconciler } from '@coderunner/plugin-coderunner-backend/src/orchestrator/Reconciler';
import { EntitySourceReader } from '@coderunner/plugin-coderunner-backend/src/source/EntitySourceReader';
import { LocalSourceRoots } from '@coderunner/plugin-coderunner-backend/src/source/LocalSourceRoots';
import { SourceArchiver } from '@coderunner/plugin-coderunner-backend/src/source/SourceArchiver';
import {
  parseManifest,
  ServiceManifest,
} from '@coderunner/plugin-coderunner-common';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './runInfo';

/** The example the benchmarks deploy. */
export const HELLO_NODE_DIR = path.join(REPO, 'examples/hello-node');

/** Prints errors, and warnings unless `warnings` is false, so that a run's own output stays readable. */
export function benchLogger(warnings = true): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => console.error(message, meta ?? ''),
    warn: warnings
      ? (message, meta) => console.warn(message, meta ?? '')
      : () => undefined,
    info: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

/** The examples are local folders; nothing in a benchmark reads URLs. */
const noUrlReader: UrlReaderService = {
  readUrl: () => Promise.reject(new Error('not used by this benchmark')),
  readTree: () => Promise.reject(new Error('not used by this benchmark')),
  search: () => Promise.reject(new Error('not used by this benchmark')),
};

/** A catalog component named `name` whose source is examples/hello-node. */
export function helloNodeEntity(name: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${HELLO_NODE_DIR}/catalog-info.yaml`,
      },
    },
    spec: {},
  };
}

/**
 * Starts the emulator (reachable from this process through the unmodified SDK), a migrated
 * SQLite database (in memory, or in a temporary file), the runtime, the reconciler and the
 * gateway on 127.0.0.1, and a source archiver that reads the examples folder.
 */
export async function startEmulatorBackend(options: {
  logger: LoggerService;
  sqlite: 'memory' | 'temporary file';
}) {
  const { logger } = options;
  const emulator = await startEmulator({ port: 0 });
  const route = routeDomainToEmulator(emulator.domain, emulator.url);
  const dir =
    options.sqlite === 'temporary file'
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-bench-'))
      : undefined;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: dir ? { filename: path.join(dir, 'bench.sqlite') } : ':memory:',
    useNullAsDefault: true,
  });
  await migrateDatabaseUp(knex);
  const store = DatabaseDeploymentStore.fromKnex(knex);
  const runtime = AgentSphereRuntime.create({
    logger,
    apiKey: emulator.apiKey,
    domain: emulator.domain,
  });
  const reconciler = new Reconciler(
    runtime,
    store,
    knex,
    DatabaseLogStore.create({ knex }),
    logger,
  );
  const gateway = new Gateway(
    store,
    {
      port: 0,
      baseDomain: 'localhost',
      publicScheme: 'http',
      listenHost: '127.0.0.1',
    },
    logger,
  );
  reconciler.onChange(() => void gateway.refresh());
  await gateway.start();
  await reconciler.start();
  const archiver = new SourceArchiver(
    EntitySourceReader.create({
      urlReader: noUrlReader,
      localRoots: LocalSourceRoots.of([path.join(REPO, 'examples')]),
    }),
    noUrlReader,
  );
  const manifest = parseManifest(
    fs.readFileSync(path.join(HELLO_NODE_DIR, 'coderunner.yaml'), 'utf8'),
  ).manifest as ServiceManifest;

  return {
    emulator,
    knex,
    store,
    runtime,
    reconciler,
    gateway,
    /** examples/hello-node's manifest. */
    manifest,

    /**
     * Records a release of hello-node's source and manifest for `entity` in `environment`, as
     * the deploy route does; the caller triggers the reconciler.
     */
    async recordHelloNodeRelease(
      entity: ReturnType<typeof helloNodeEntity>,
      environment: string,
      instances: number,
    ) {
      const snapshot = await archiver.snapshot(entity);
      const deployment = await store.ensureDeployment({
        entityRef: `component:default/${entity.metadata.name}`,
        environment,
        createdBy: 'user:default/bench',
      });
      await store.createRelease({
        deploymentId: deployment.id,
        manifest,
        source: snapshot.archive,
        desiredInstances: instances,
        createdBy: 'user:default/bench',
      });
      return deployment;
    },

    /** Stops everything, deletes the sandboxes left running and the temporary database. */
    async stop() {
      await reconciler.stop();
      await gateway.stop();
      await runtime.close();
      for (const id of emulator.sandboxIds()) {
        await fetch(`${emulator.url}/sandboxes/${id}`, {
          method: 'DELETE',
          headers: {
            host: `api.${emulator.domain}`,
            'x-api-key': emulator.apiKey,
          },
        }).catch(() => undefined);
      }
      route.remove();
      await emulator.stop();
      await knex.destroy();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
