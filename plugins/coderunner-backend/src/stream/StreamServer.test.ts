import {
  mockCredentials,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  coderunnerDeploymentReadPermission,
  coderunnerLogsReadPermission,
  LogLine,
  StreamClientMessage,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { Registry } from 'prom-client';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import {
  guardForbidding,
  startLogHub,
  startStreamReplica,
  StreamTestClient,
} from '../__testUtils__/streamReplica';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { LogHub } from '../logs/LogHub';
import { LogStore } from '../logs/LogStore';
import { LogWriter } from '../logs/LogWriter';
import { PgNotifyTransport } from '../logs/PgNotifyTransport';
import { LogPipelineMetrics } from '../metrics/logPipelineCollectors';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ENTITY = 'component:default/hello-node';
const FORBIDDEN = 'component:default/secret-service';

/** A replica on which everyone may read every entity except FORBIDDEN. */
const startReplica = (
  options: Omit<Parameters<typeof startStreamReplica>[0], 'guard'>,
) =>
  startStreamReplica({
    ...options,
    // Logs are read with the logs permission, a deployment's status with the deployment's.
    guard: guardForbidding(FORBIDDEN, [
      coderunnerLogsReadPermission.name,
      coderunnerDeploymentReadPermission.name,
    ]),
  });

async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const { deploymentId, logs } = await deploymentWithLogs(knex, ENTITY);
  return { knex, deploymentId, store: logs };
}

function writerFor(store: LogStore, deploymentId: string, hub: LogHub) {
  return new LogWriter(deploymentId, store, mockServices.logger.mock(), {
    onWritten: (id, lastSeq) => hub.linesWritten(id, lastSeq),
  });
}

const subscribe = (
  extra: Partial<Extract<StreamClientMessage, { topic: 'logs' }>> = {},
) =>
  ({
    type: 'subscribe',
    id: 'logs',
    topic: 'logs',
    entityRef: ENTITY,
    environment: 'development',
    ...extra,
  } as StreamClientMessage);

const seqs = (lines: LogLine[]) => lines.map(l => l.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('StreamServer', () => {
  const backends: TestBackend[] = [];
  const hubs: LogHub[] = [];
  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.stop();
    for (const hub of hubs.splice(0)) await hub.stop();
  });

  async function hubFor(knex: Knex, shared = false) {
    const hub = await startLogHub(knex, shared);
    hubs.push(hub);
    return hub;
  }

  it.each(databases.eachSupportedId())(
    'streams every line in order, live, and resumes from a cursor with no gap and no duplicate on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      const hub = await hubFor(knex);
      const replica = await startReplica({ knex, hub, deploymentId });
      backends.push(replica.backend);
      const writer = writerFor(store, deploymentId, hub);
      writer.line('before anyone listened');
      await writer.flush();

      const first = await StreamTestClient.connect(replica.url);
      first.send(subscribe({ tail: 10 }));
      await first.waitFor(() => first.lines().length === 1);
      for (let i = 0; i < 3000; i++) {
        writer.write(`line ${i}\n`, {
          stream: i % 2 ? 'stderr' : 'stdout',
          instanceId: 'i1',
        });
        if (i % 500 === 0) await writer.flush();
      }
      await writer.flush();
      await first.waitFor(() => first.lines().length === 3001);
      expect(seqs(first.lines())).toEqual(range(1, 3001));
      expect(first.lines()[3000].line).toBe('line 2999');

      // The client goes away; more lines are written; it comes back with its cursor.
      const cursor = first.messages
        .filter(m => m.type === 'lines')
        .map(m => (m as { lastSeq: number }).lastSeq)
        .pop()!;
      first.close();
      for (let i = 0; i < 700; i++) writer.line(`while away ${i}`);
      await writer.flush();
      const again = await StreamTestClient.connect(replica.url);
      again.send(subscribe({ after: cursor }));
      for (let i = 0; i < 300; i++) writer.line(`after return ${i}`);
      await writer.flush();
      await again.waitFor(() => again.lines().length === 1000);
      expect(seqs(again.lines())).toEqual(range(3002, 4001));
      again.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'exports its open sockets and subscriptions and the writer lag of every stored batch on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      const hub = await hubFor(knex);
      const pipeline = new LogPipelineMetrics();
      const registry = new Registry();
      pipeline.register(registry);
      const series = async (name: string) => {
        const line = (await registry.metrics())
          .split('\n')
          .find(l => l.startsWith(`${name} `));
        return Number(line?.split(' ')[1]);
      };
      const replica = await startReplica({ knex, hub, deploymentId, pipeline });
      backends.push(replica.backend);
      let batches = 0;
      const writer = new LogWriter(
        deploymentId,
        store,
        mockServices.logger.mock(),
        {
          onWritten: (id, lastSeq, lagSeconds) => {
            batches += 1;
            pipeline.writeLag.observe(lagSeconds);
            hub.linesWritten(id, lastSeq);
          },
        },
      );

      const client = await StreamTestClient.connect(replica.url);
      client.send(subscribe({ tail: 0 }));
      client.send({
        type: 'subscribe',
        id: 'status',
        topic: 'status',
        entityRef: ENTITY,
        environment: 'development',
      });
      await client.waitFor(
        () => client.messages.filter(m => m.type === 'subscribed').length === 2,
      );
      expect(await series('coderunner_log_stream_connections')).toBe(1);
      expect(await series('coderunner_log_stream_subscriptions')).toBe(2);

      for (let i = 0; i < 500; i++) writer.line(`line ${i}`);
      await writer.flush();
      await client.waitFor(() => client.lines().length === 500);
      expect(batches).toBeGreaterThan(0);
      expect(await series('coderunner_log_write_lag_seconds_count')).toBe(
        batches,
      );
      // Every batch waited for its commit, so the lag is more than nothing.
      expect(
        await series('coderunner_log_write_lag_seconds_sum'),
      ).toBeGreaterThan(0);

      client.close();
      await client.waitFor(() => pipeline.stream?.connectionCount === 0);
      expect(await series('coderunner_log_stream_subscriptions')).toBe(0);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'marks lines that no longer exist with an explicit gap on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      const hub = await hubFor(knex);
      const replica = await startReplica({ knex, hub, deploymentId });
      backends.push(replica.backend);
      const writer = writerFor(store, deploymentId, hub);
      for (let i = 0; i < 100; i++) writer.line(`line ${i}`);
      await writer.flush();
      await store.prune({ maxLinesPerDeployment: 10, maxAgeMs: 60_000 });

      const client = await StreamTestClient.connect(replica.url);
      client.send(subscribe({ after: 50 }));
      await client.waitFor(() => client.lines().length === 10);
      const kinds = client.messages.filter(m => m.type !== 'subscribed');
      expect(kinds[0]).toEqual({
        type: 'gap',
        id: 'logs',
        from: 51,
        to: 90,
        reason: 'retention',
      });
      expect(seqs(client.lines())).toEqual(range(91, 100));
      client.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lets a slow consumer fall behind and catch up from the store without losing a line on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      const hub = await hubFor(knex);
      // Every frame fills the socket, so the subscriber keeps pausing while 12,000 lines
      // (more than the feed keeps in memory) go by.
      const replica = await startReplica({
        knex,
        hub,
        deploymentId,
        highWaterBytes: 1,
      });
      backends.push(replica.backend);
      const writer = writerFor(store, deploymentId, hub);
      const client = await StreamTestClient.connect(replica.url);
      client.send(subscribe({ tail: 0 }));
      await client.waitFor(() =>
        client.messages.some(m => m.type === 'subscribed'),
      );
      for (let i = 0; i < 12_000; i++) writer.line(`line ${i}`);
      await writer.flush();
      await client.waitFor(() => client.lines().length >= 12_000);
      expect(seqs(client.lines())).toEqual(range(1, 12_000));
      expect(client.messages.some(m => m.type === 'gap')).toBe(false);
      client.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by instance, stream, level and text on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      const hub = await hubFor(knex);
      const replica = await startReplica({ knex, hub, deploymentId });
      backends.push(replica.backend);
      const writer = writerFor(store, deploymentId, hub);
      const client = await StreamTestClient.connect(replica.url);
      client.send(
        subscribe({
          tail: 0,
          filter: {
            instanceId: 'i2',
            streams: ['stderr'],
            levels: ['error'],
            text: 'DISK',
          },
        }),
      );
      await client.waitFor(() =>
        client.messages.some(m => m.type === 'subscribed'),
      );
      writer.write('ERROR disk full\nINFO disk ok\nERROR network\n', {
        stream: 'stderr',
        instanceId: 'i2',
      });
      writer.write('ERROR disk full elsewhere\n', {
        stream: 'stderr',
        instanceId: 'i1',
      });
      writer.write('ERROR disk on stdout\n', {
        stream: 'stdout',
        instanceId: 'i2',
      });
      writer.write('ERROR Disk again\n', {
        stream: 'stderr',
        instanceId: 'i2',
      });
      await writer.flush();
      await client.waitFor(() => client.lines().length === 2);
      expect(client.lines().map(l => l.line)).toEqual([
        'ERROR disk full',
        'ERROR Disk again',
      ]);
      client.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses a subscription without the permission, a connection without a token, and too many subscriptions on %p',
    async databaseId => {
      const { knex, deploymentId } = await setUp(databaseId);
      const hub = await hubFor(knex);
      const replica = await startReplica({ knex, hub, deploymentId });
      backends.push(replica.backend);
      await expect(
        StreamTestClient.connect(
          replica.url,
          mockCredentials.user.invalidToken(),
        ),
      ).rejects.toThrow('refused with 401');
      const client = await StreamTestClient.connect(replica.url);
      client.send(subscribe({ id: 'denied', entityRef: FORBIDDEN }));
      await client.waitFor(() => client.messages.some(m => m.type === 'error'));
      expect(client.messages).toEqual([
        expect.objectContaining({
          type: 'error',
          id: 'denied',
          code: 'forbidden',
        }),
      ]);
      // An entity the catalog does not have (for this caller) is not found, never subscribed.
      client.send(
        subscribe({
          id: 'missing',
          entityRef: 'component:default/no-such-component',
        }),
      );
      await client.waitFor(() => client.messages.length === 2);
      expect(client.messages[1]).toEqual(
        expect.objectContaining({
          type: 'error',
          id: 'missing',
          code: 'not-found',
        }),
      );
      client.messages.splice(1, 1);
      for (const id of ['a', 'b', 'c', 'd']) client.send(subscribe({ id }));
      await client.waitFor(() => client.messages.length === 5);
      expect(client.messages.filter(m => m.type === 'subscribed')).toHaveLength(
        3,
      );
      expect(client.messages).toContainEqual(
        expect.objectContaining({ type: 'error', id: 'd', code: 'limit' }),
      );
      client.send(subscribe({ id: 'e', filter: { levels: ['loud' as any] } }));
      await client.waitFor(() => client.messages.length === 6);
      expect(client.messages[5]).toMatchObject({
        type: 'error',
        id: 'e',
        code: 'invalid',
      });
      client.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'delivers lines written on one replica to a subscriber on another on %p',
    async databaseId => {
      const { knex, deploymentId, store } = await setUp(databaseId);
      // PostgreSQL: two hubs that only meet through LISTEN/NOTIFY. SQLite: one process, one hub.
      const hubA = await hubFor(knex);
      const hubB = PgNotifyTransport.isSupported(knex)
        ? await hubFor(knex)
        : hubA;
      const a = await startReplica({ knex, hub: hubA, deploymentId });
      const b = await startReplica({ knex, hub: hubB, deploymentId });
      backends.push(a.backend, b.backend);
      const client = await StreamTestClient.connect(b.url);
      client.send(subscribe({ tail: 0 }));
      await client.waitFor(() =>
        client.messages.some(m => m.type === 'subscribed'),
      );
      const writerOnA = writerFor(store, deploymentId, hubA);
      for (let i = 0; i < 2500; i++) {
        writerOnA.line(`from a ${i}`);
        if (i % 300 === 0) await writerOnA.flush();
      }
      await writerOnA.flush();
      await client.waitFor(() => client.lines().length === 2500);
      expect(seqs(client.lines())).toEqual(range(1, 2500));
      client.close();
      await knex.destroy();
    },
  );
});
