import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  LogLine,
  StreamClientMessage,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { WebSocket } from 'ws';
import { EntityGuard } from '../entities/EntityGuard';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { LogHub } from '../logs/LogHub';
import { PgNotifyTransport } from '../logs/PgNotifyTransport';
import { LogPipelineMetrics } from '../metrics/logPipelineCollectors';
import { FeedRegistry } from '../stream/FeedRegistry';
import { StreamContext } from '../stream/StreamConnection';
import { STREAM_PROTOCOL, StreamServer } from '../stream/StreamServer';

/**
 * The real guard over a catalog that holds every entity asked for except `missing`, and a
 * policy that allows `permissions` (the ones the code under test must ask for) on every entity
 * except `forbidden`, and denies every other permission.
 */
export function guardForbidding(
  forbidden: string,
  allowed: string[],
  missing = 'component:default/no-such-component',
): EntityGuard {
  const catalog = catalogServiceMock.mock({
    async getEntityByRef(ref) {
      const { kind, namespace, name } = parseEntityRef(ref);
      if (stringifyEntityRef({ kind, namespace, name }) === missing)
        return undefined;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { namespace, name },
      };
    },
  });
  const permissions = mockServices.permissions.mock({
    async authorize(requests) {
      return requests.map(request => ({
        result:
          allowed.includes(request.permission.name) &&
          !('resourceRef' in request && request.resourceRef === forbidden)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  });
  return new EntityGuard(catalog, permissions);
}

/**
 * A started log hub as one replica has it: on PostgreSQL with its own LISTEN/NOTIFY transport, so
 * that two replicas hear each other only through the database; on SQLite, or when `shared`, in
 * process only.
 */
export async function startLogHub(knex: Knex, shared = false) {
  const hub = new LogHub(
    !shared && PgNotifyTransport.isSupported(knex)
      ? new PgNotifyTransport(knex, mockServices.logger.mock())
      : undefined,
  );
  await hub.start();
  return hub;
}

/**
 * One backend replica serving the stream on `knex` and `hub`: every subscription resolves to
 * `deploymentId`, and `guard` decides who may read what.
 */
export async function startStreamReplica(options: {
  knex: Knex;
  hub: LogHub;
  deploymentId: string;
  guard: EntityGuard;
  highWaterBytes?: number;
  /** Counts this replica's sockets and subscriptions, as the plugin wires it. */
  pipeline?: LogPipelineMetrics;
  /** The scaling topic's source, as createScalingCapability wires it. */
  scaling?: StreamContext['scaling'];
}) {
  const store = DatabaseLogStore.create({ knex: options.knex });
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
              feeds: new FeedRegistry(store, options.hub),
              store,
              guard: options.guard,
              deployments: {
                get: async () => ({ id: options.deploymentId }),
                viewById: async id => ({ id, status: 'running' } as any),
              },
              logger,
              limits: {
                maxSubscriptions: 3,
                highWaterBytes: options.highWaterBytes ?? 1024 * 1024,
                maxTail: 10_000,
              },
              scaling: options.scaling,
            },
          });
          if (options.pipeline) options.pipeline.stream = server;
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
  // The first request that reaches the plugin hooks its upgrade listener.
  await fetch(`http://localhost:${port}/api/coderunner/stream`);
  return { backend, url: `ws://localhost:${port}/api/coderunner/stream` };
}

/** A stream client that records every message it receives. */
export class StreamTestClient {
  readonly messages: StreamServerMessage[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', data => this.messages.push(JSON.parse(data.toString())));
  }

  static async connect(url: string, token = mockCredentials.user.token()) {
    const ws = new WebSocket(url, [STREAM_PROTOCOL, token]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`refused with ${res.statusCode}`)),
      );
    });
    return new StreamTestClient(ws);
  }

  send(message: StreamClientMessage) {
    this.ws.send(JSON.stringify(message));
  }

  /** The log lines of subscription `id`, in the order they came. */
  lines(id = 'logs'): LogLine[] {
    return this.messages.flatMap(m =>
      m.type === 'lines' && m.id === id ? m.items : [],
    );
  }

  /** The scaling topic's messages, in the order they came. */
  scaling() {
    return this.messages.flatMap(m => (m.type === 'scaling' ? [m] : []));
  }

  async waitFor(predicate: () => boolean) {
    while (!predicate()) await new Promise(r => setTimeout(r, 10));
  }

  close() {
    this.ws.close();
  }
}
