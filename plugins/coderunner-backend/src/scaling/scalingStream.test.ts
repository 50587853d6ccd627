import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  parseManifest,
  StreamClientMessage,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { EntityGuard } from '../entities/EntityGuard';
import { LogHub } from '../logs/LogHub';
import { LogStore } from '../logs/LogStore';
import { PgNotifyTransport } from '../logs/PgNotifyTransport';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { FeedRegistry } from '../stream/FeedRegistry';
import { STREAM_PROTOCOL, StreamServer } from '../stream/StreamServer';
import { DatabaseScalingStore } from './DatabaseScalingStore';
import { ScalingController } from './ScalingController';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ENTITY = 'component:default/hello-node';
const FORBIDDEN = 'component:default/secret-service';

/** Lets everyone read every entity except FORBIDDEN. */
const guard = {
  async authorize({ ref }: { ref: string }) {
    if (ref === FORBIDDEN)
      throw new NotAllowedError(`You are not allowed to read ${ref}`);
    return { kind: 'Component', metadata: { name: 'hello-node' } };
  },
} as unknown as EntityGuard;

/** One backend replica: a scaling controller and the stream, on a shared database. */
async function startReplica(knex: Knex, hub: LogHub, deploymentId: string) {
  const deployments = new DeploymentStore(knex);
  const logs = new LogStore(knex);
  const controller = new ScalingController({
    deployments,
    store: DatabaseScalingStore.create({ knex }),
    metrics: DatabaseMetricsStore.create({ knex, rawRetentionMs: 3600_000 }),
    reconciler: { trigger() {}, logWriter: () => ({ line() {} }) },
    auditor: mockServices.auditor.mock(),
    logger: mockServices.logger.mock(),
    stepSeconds: 15,
    tickSeconds: 15,
  });
  // As createScalingCapability wires it: people's actions reach the other replicas.
  controller.onChange(id => hub.statusChanged(id));
  const plugin = createBackendPlugin({
    pluginId: 'coderunner',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          auth: coreServices.auth,
          discovery: coreServices.discovery,
          logger: coreServices.logger,
        },
        async init({ httpRouter, auth, discovery, logger }) {
          const server = StreamServer.create({
            auth,
            discovery,
            logger,
            maxSocketsPerUser: 10,
            context: {
              feeds: new FeedRegistry(logs, hub),
              store: logs,
              guard,
              deployments: {
                get: async () => ({ id: deploymentId }),
                viewById: async id => ({ id, status: 'running' } as any),
              },
              logger,
              limits: {
                maxSubscriptions: 3,
                highWaterBytes: 1024 * 1024,
                maxTail: 10_000,
              },
              scaling: controller,
            },
          });
          httpRouter.use(server.router());
          httpRouter.addAuthPolicy({
            path: '/stream',
            allow: 'unauthenticated',
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [plugin, mockServices.rootLogger.factory()],
  });
  const port = backend.server.port();
  await fetch(`http://localhost:${port}/api/coderunner/stream`);
  return {
    backend,
    controller,
    url: `ws://localhost:${port}/api/coderunner/stream`,
  };
}

class Client {
  readonly messages: StreamServerMessage[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', data => this.messages.push(JSON.parse(data.toString())));
  }

  static async connect(url: string) {
    const ws = new WebSocket(url, [
      STREAM_PROTOCOL,
      mockCredentials.user.token(),
    ]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Client(ws);
  }

  send(message: StreamClientMessage) {
    this.ws.send(JSON.stringify(message));
  }

  scaling() {
    return this.messages.flatMap(m => (m.type === 'scaling' ? [m] : []));
  }

  async waitFor(predicate: () => boolean) {
    while (!predicate()) await new Promise(r => setTimeout(r, 10));
  }
}

describe.each(databases.eachSupportedId())(
  'The scaling stream topic on %p',
  databaseId => {
    it('sends the status on subscribe and each decision, also one made on another replica, and refuses an entity the user may not read', async () => {
      const knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      const store = new DeploymentStore(knex);
      const deployment = await store.ensureDeployment({
        entityRef: ENTITY,
        environment: 'development',
        createdBy: 'user:default/test',
      });
      const { manifest } = parseManifest(
        fs.readFileSync(
          path.resolve(
            __dirname,
            '../../../../examples/hello-node/coderunner.yaml',
          ),
          'utf8',
        ),
      );
      const release = await store.createRelease({
        deploymentId: deployment.id,
        manifest,
        source: Buffer.from(''),
        desiredInstances: 1,
        createdBy: 'user:default/test',
      });
      await store.updateDeployment(deployment.id, {
        activeReleaseId: release.id,
      });
      // Replicas on PostgreSQL hear each other through LISTEN/NOTIFY; on SQLite (one
      // process) they share a hub.
      const pg = PgNotifyTransport.isSupported(knex);
      const hubA = new LogHub(
        pg
          ? new PgNotifyTransport(knex, mockServices.logger.mock())
          : undefined,
      );
      const hubB = pg
        ? new LogHub(new PgNotifyTransport(knex, mockServices.logger.mock()))
        : hubA;
      await hubA.start();
      if (hubB !== hubA) await hubB.start();
      const a = await startReplica(knex, hubA, deployment.id);
      const b = await startReplica(knex, hubB, deployment.id);
      const client = await Client.connect(a.url);
      try {
        client.send({
          type: 'subscribe',
          id: 'forbidden',
          topic: 'scaling',
          entityRef: FORBIDDEN,
          environment: 'development',
        });
        client.send({
          type: 'subscribe',
          id: 's',
          topic: 'scaling',
          entityRef: ENTITY,
          environment: 'development',
        });
        await client.waitFor(() => client.scaling().length === 1);
        expect(client.messages).toContainEqual(
          expect.objectContaining({
            type: 'error',
            id: 'forbidden',
            code: 'forbidden',
          }),
        );
        expect(client.scaling()[0]).toMatchObject({
          id: 's',
          status: {
            environment: 'development',
            autoscaling: true,
            desiredInstances: 1,
          },
        });

        // A hold on this replica: its decision comes with the message.
        await a.controller.hold(
          ENTITY,
          'development',
          { instances: 2, reason: 'launch' },
          'user:default/jane',
        );
        await client.waitFor(() =>
          client.scaling().some(m => m.decision?.cause === 'manual'),
        );
        expect(
          client.scaling().find(m => m.decision?.cause === 'manual'),
        ).toMatchObject({
          status: { desiredInstances: 2, hold: { reason: 'launch' } },
          decision: { from: 1, to: 2 },
        });

        // A pause on the other replica arrives through the hub.
        await b.controller.pause(
          ENTITY,
          'development',
          'investigating',
          'user:default/jane',
        );
        await client.waitFor(() =>
          client.scaling().some(m => m.decision?.cause === 'paused'),
        );
        expect(
          client.scaling().find(m => m.decision?.cause === 'paused')?.status
            .paused,
        ).toMatchObject({ reason: 'investigating' });
      } finally {
        client.ws.close();
        await a.backend.stop();
        await b.backend.stop();
        await hubA.stop();
        if (hubB !== hubA) await hubB.stop();
      }
    });
  },
);
