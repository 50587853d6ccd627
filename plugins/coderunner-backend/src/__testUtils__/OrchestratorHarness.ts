import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Config, ConfigReader } from '@backstage/config';
import {
  Emulator,
  EmulatorRoute,
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import { parseManifest } from '@coderunner/plugin-coderunner-common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import {
  DeploymentRecord,
  DeploymentStore,
} from '../deployments/DeploymentStore';
import { Gateway, GatewayOptions } from '../gateway/Gateway';
import { DeploymentWaker } from '../gateway/WakeOnRequest';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { LogStore } from '../logs/LogStore';
import { readSandboxBufferBytes } from '../orchestrator/capturedOutput';
import { Reconciler } from '../orchestrator/Reconciler';
import { AgentSphereRuntime } from '../runtime';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { SourceArchiver } from '../source/SourceArchiver';
import { LocalSourceRoots } from '../source/LocalSourceRoots';

/** A real emulator, reached through the unmodified SDK, shared by the tests of one file. */
export async function startTestEmulator(): Promise<{
  emulator: Emulator;
  route: EmulatorRoute;
  stop(): Promise<void>;
}> {
  const emulator = await startEmulator({ port: 0 });
  const route = routeDomainToEmulator(emulator.domain, emulator.url);
  return {
    emulator,
    route,
    async stop() {
      route.remove();
      await emulator.stop();
    },
  };
}

/** A component entity whose source is a local folder, like the examples. */
export function localComponent(name: string, dir: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      lifecycle: 'experimental',
    },
  };
}

/** Deletes every sandbox the emulator holds, so that the next test starts with none. */
export async function removeAllSandboxes(emulator: Emulator) {
  for (const id of emulator.sandboxIds()) {
    await fetch(`${emulator.url}/sandboxes/${id}`, {
      method: 'DELETE',
      headers: { host: `api.${emulator.domain}`, 'x-api-key': emulator.apiKey },
    }).catch(() => undefined);
  }
}

/**
 * One backend replica's orchestration parts on a real database: store, reconciler, gateway.
 * Several harnesses on one database behave like several replicas.
 */
export class OrchestratorHarness {
  readonly store: DeploymentStore;
  readonly logs: LogStore;
  readonly runtime: AgentSphereRuntime;
  readonly reconciler: Reconciler;
  readonly gateway: Gateway;
  private readonly archiver: SourceArchiver;

  /**
   * `services` replace the jest mocks, for a harness in a process without jest (local
   * sources never reach the URL reader); `gateway` adds gateway settings and a waker; `config`
   * is the app-config the orchestrator reads as the plugin does (`coderunner.logs`).
   */
  constructor(
    readonly knex: Knex,
    emulator: Pick<Emulator, 'domain' | 'apiKey'>,
    services: {
      logger?: LoggerService;
      urlReader?: UrlReaderService;
      gateway?: Partial<GatewayOptions> & { waker?: DeploymentWaker };
      config?: Config;
      /** The runtime, when made from app-config; else one on `emulator` made here. */
      runtime?: AgentSphereRuntime;
    } = {},
  ) {
    const logger = services.logger ?? mockServices.logger.mock();
    const urlReader = services.urlReader ?? mockServices.urlReader.mock();
    this.store = DatabaseDeploymentStore.fromKnex(knex);
    this.logs = DatabaseLogStore.create({ knex });
    this.runtime =
      services.runtime ??
      AgentSphereRuntime.create({
        logger,
        apiKey: emulator.apiKey,
        domain: emulator.domain,
        keepAliveIntervalSeconds: 5,
      });
    this.reconciler = new Reconciler(
      this.runtime,
      this.store,
      knex,
      this.logs,
      logger,
      {
        sandboxBufferBytes: readSandboxBufferBytes(
          services.config ?? new ConfigReader({}),
        ),
      },
    );
    this.gateway = new Gateway(
      this.store,
      {
        port: 0,
        baseDomain: 'localhost',
        publicScheme: 'http',
        listenHost: '127.0.0.1',
        ...services.gateway,
      },
      logger,
    );
    if (services.gateway?.waker) this.gateway.wakeWith(services.gateway.waker);
    this.reconciler.onChange(() => void this.gateway.refresh());
    // An instance the gateway found down is replaced now when this replica holds the lease.
    this.gateway.onInstanceUnhealthy(id => this.reconciler.trigger(id));
    // Tests deploy the examples and folders they make in the temporary directory.
    const reader = EntitySourceReader.create({
      urlReader,
      localRoots: LocalSourceRoots.of([
        os.tmpdir(),
        path.resolve(__dirname, '../../../../examples'),
      ]),
    });
    this.archiver = new SourceArchiver(reader, urlReader);
  }

  /** A started harness on `knex`, migrated to the latest schema first. */
  static async startMigrated(
    knex: Knex,
    emulator: Pick<Emulator, 'domain' | 'apiKey'>,
    gateway?: Partial<GatewayOptions> & { waker?: DeploymentWaker },
    config?: Config,
  ) {
    const harness = new OrchestratorHarness(knex, emulator, {
      gateway,
      config,
    });
    await harness.knex.migrate.latest({
      directory: path.resolve(__dirname, '../../migrations'),
      tableName: 'coderunner_knex_migrations',
    });
    await harness.start();
    return harness;
  }

  async start() {
    await this.gateway.start();
    await this.reconciler.start();
  }

  /** Stops like a killed process would: nothing is cleaned up, sandboxes keep running. */
  async crash() {
    await this.reconciler.stop();
    await this.gateway.stop();
    await this.runtime.close();
  }

  /** Records a deploy of a local folder the way the API does, and wakes the reconciler. */
  async deploy(
    entity: Entity,
    dir: string,
    environment = 'development',
    instances = 1,
  ) {
    const parsed = parseManifest(
      await fs.readFile(`${dir}/coderunner.yaml`, 'utf8'),
    );
    if (!parsed.manifest) {
      throw new Error(JSON.stringify(parsed.errors));
    }
    const snapshot = await this.archiver.snapshot(entity);
    const deployment = await this.store.ensureDeployment({
      entityRef: `component:default/${entity.metadata.name}`,
      environment,
      createdBy: 'user:default/test',
    });
    const release = await this.store.createRelease({
      deploymentId: deployment.id,
      manifest: parsed.manifest,
      source: snapshot.archive,
      desiredInstances: instances,
      createdBy: 'user:default/test',
    });
    this.reconciler.trigger(deployment.id);
    return { deployment, release };
  }

  /** Waits until the deployment satisfies `predicate`; fails with its last state otherwise. */
  async waitFor(
    deploymentId: string,
    predicate: (row: DeploymentRecord) => boolean,
    timeoutMs = 60_000,
  ): Promise<DeploymentRecord> {
    const deadline = Date.now() + timeoutMs;
    let last: DeploymentRecord | undefined;
    while (Date.now() < deadline) {
      last = await this.store.getDeployment(deploymentId);
      if (last && predicate(last)) {
        return last;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const instances = await this.store.listInstances(deploymentId);
    throw new Error(
      `Timed out; last state: ${JSON.stringify(
        last,
      )}; instances: ${JSON.stringify(instances)}`,
    );
  }

  /** GETs a path of a deployment through the gateway, as a browser on this machine would. */
  async get(entityName: string, urlPath: string, environment = 'development') {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: this.gateway.port,
          path: urlPath,
          headers: {
            host: `${entityName}.${environment}.localhost:${this.gateway.port}`,
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
    });
  }
}
