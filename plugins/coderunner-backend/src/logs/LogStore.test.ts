import { mockServices } from '@backstage/backend-test-utils';
import { LogLine } from '@coderunner/plugin-coderunner-common';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  migrateDatabaseDown,
  migrateDatabaseUp,
} from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseLogStore } from './DatabaseLogStore';
import { LogRedactor, REDACTED } from './LogRedactor';
import { LogWriter } from './LogWriter';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

/** A query that reads a page's sequence numbers alone, joined in one row. */
const SEQS_ONLY = /^select (string_agg|group_concat)\(seq\b/;

async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const { deploymentId, logs } = await deploymentWithLogs(knex);
  return { knex, logs, deploymentId };
}

describe('LogStore', () => {
  it.each(databases.eachSupportedId())(
    'stores any line, quotes, unicode and control characters included, as live readers got it, on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      const heard: string[] = [];
      const stop = logs.onAppended(deploymentId, lines =>
        heard.push(...lines.map(l => l.line)),
      );
      const lines = [
        'plain',
        '{"json": "with \\"quotes\\" and \\\\ backslashes"}',
        "it's ; drop table x; --",
        'tab\there, emoji 🚀, CJK 日志, RTL שלום',
        'nul \u0000 byte',
        'half a pair \ud800 here',
        '',
        'x'.repeat(20_000),
      ];
      await logs.append(
        deploymentId,
        lines.map(line => ({ stream: 'stdout' as const, line })),
      );
      stop();
      const stored = (await logs.read(deploymentId, { limit: 100 })).items.map(
        l => l.line,
      );
      const expected = [...lines];
      expected[4] = 'nul \ufffd byte';
      expected[5] = 'half a pair \ufffd here';
      expect(stored).toEqual(expected);
      expect(heard).toEqual(expected);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "reads a page by the deployment's entity and environment, only that deployment's lines, and tells a missing deployment from an empty one, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const first = await deploymentWithLogs(knex, 'component:default/first');
      const other = await deploymentWithLogs(knex, 'component:default/other');
      await deploymentWithLogs(knex, 'component:default/quiet');
      const lines = (prefix: string) =>
        Array.from({ length: 5 }, (_, i) => ({
          stream: 'stdout' as const,
          line: `${prefix} ${i}${i === 3 ? ' ERROR' : ''}`,
        }));
      await first.logs.append(first.deploymentId, lines('first'));
      await other.logs.append(other.deploymentId, lines('other'));
      const key = (name: string, environment = 'development') => ({
        entityRef: `component:default/${name}`,
        environment,
      });
      const { logs } = first;
      const page = await logs.readOf(key('first'), { after: 1, limit: 3 });
      expect(page).toEqual(
        await logs.read(first.deploymentId, { after: 1, limit: 3 }),
      );
      expect(page?.items.map(l => l.line)).toEqual([
        'first 1',
        'first 2',
        'first 3 ERROR',
      ]);
      // A filtered page finds the deployment first, then reads as `read` does.
      expect(
        (await logs.readOf(key('other'), { levels: ['error'] }))?.items.map(
          l => l.line,
        ),
      ).toEqual(['other 3 ERROR']);
      expect(await logs.readOf(key('quiet'))).toEqual({
        items: [],
        lastSeq: 0,
      });
      expect(await logs.readOf(key('first'), { after: 5 })).toEqual({
        items: [],
        lastSeq: 5,
      });
      expect(await logs.readOf(key('missing'))).toBeUndefined();
      expect(await logs.readOf(key('first', 'production'))).toBeUndefined();
      expect(
        await logs.readOf(key('first', 'production'), { text: 'first' }),
      ).toBeUndefined();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "reads a page again from kept lines, the same as a store with no cache, and never a replaced deployment's or a pruned line, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const entityRef = 'component:default/shop';
      const first = await deploymentWithLogs(knex, entityRef);
      const { logs } = first;
      const uncached = DatabaseLogStore.create({ knex, lineCacheBytes: 0 });
      const write = (deploymentId: string, prefix: string, count: number) =>
        logs.append(
          deploymentId,
          Array.from({ length: count }, (_, i) => ({
            stream: 'stdout' as const,
            line: `${prefix} ${i + 1}`,
          })),
        );
      await write(first.deploymentId, 'first', 40);
      const key = { entityRef, environment: 'development' };
      const queries: string[] = [];
      knex.on('query', (query: { sql: string }) => queries.push(query.sql));

      const page = await logs.readOf(key, { limit: 10 });
      expect(page).toEqual(await uncached.readOf(key, { limit: 10 }));
      // Read whole the first time: no text of its own, the route serializes it.
      expect(logs.pageJson(page!)).toBeUndefined();
      queries.length = 0;
      const again = await logs.readOf(key, { limit: 10 });
      expect(again).toEqual(page);
      // From kept lines alone: its JSON text is joined from theirs, with an ETag that is
      // the same for the same lines and differs for any other page.
      const text = logs.pageJson(again!);
      expect(text?.text.toString()).toBe(JSON.stringify(again));
      // Only the page's sequence numbers were read (joined in one row), and the lines are
      // the kept objects.
      expect(queries).toHaveLength(1);
      expect(queries[0]).toMatch(SEQS_ONLY);
      expect(again?.items[0]).toBe(page?.items[0]);
      expect(text?.etag).toMatch(/^W\/"[\w-]+"$/);
      const tagOf = async (query: { after?: number; limit: number }) =>
        logs.pageJson((await logs.readOf(key, query))!)?.etag;
      expect(await tagOf({ limit: 10 })).toBe(text?.etag);
      // Read again, the page is the one kept whole: the same bytes and the same lines, still
      // after one query of numbers only.
      queries.length = 0;
      const keptAgain = await logs.readOf(key, { limit: 10 });
      expect(queries).toHaveLength(1);
      expect(queries[0]).toMatch(SEQS_ONLY);
      expect(logs.pageJson(keptAgain!)?.text).toBe(text?.text);
      expect(keptAgain?.items).toBe(again?.items);
      expect(Object.isFrozen(keptAgain?.items)).toBe(true);
      const others = [
        await tagOf({ limit: 9 }),
        await tagOf({ after: 1, limit: 9 }),
        await tagOf({ after: 1, limit: 8 }),
      ];
      expect(new Set([text?.etag, ...others]).size).toBe(4);
      expect(others).not.toContain(undefined);
      // Lines after the highest kept one (a live reader's next ones) are read whole, at once.
      queries.length = 0;
      const next = await logs.readOf(key, { after: 10, limit: 5 });
      expect(next?.items.map(line => line.seq)).toEqual([11, 12, 13, 14, 15]);
      expect(queries).toHaveLength(1);
      expect(queries[0]).not.toMatch(SEQS_ONLY);

      // Live readers and downloads (read by id) neither use nor fill the cache: 21 to 30 read
      // that way are still read whole through the history API.
      await logs.read(first.deploymentId, { after: 20, limit: 10 });
      queries.length = 0;
      await logs.readOf(key, { after: 20, limit: 10 });
      expect(queries).toHaveLength(1);
      expect(queries[0]).not.toMatch(SEQS_ONLY);
      // Partly kept (1 to 15 are): no text of its own, the rest read by sequence number.
      expect(logs.pageJson((await logs.readOf(key, { limit: 20 }))!)).toBe(
        undefined,
      );
      for (const query of [
        { limit: 25 },
        { after: 5, limit: 30 },
        { after: 38 },
        { after: 40 },
        { limit: 5, streams: ['stderr' as const] },
      ]) {
        expect(await logs.readOf(key, query)).toEqual(
          await uncached.readOf(key, query),
        );
        expect(await logs.read(first.deploymentId, query)).toEqual(
          await uncached.read(first.deploymentId, query),
        );
      }

      // Pruned lines are not served from the cache, nor a kept page that held them.
      expect(
        logs.pageJson((await logs.readOf(key, { limit: 10 }))!),
      ).toBeDefined();
      await logs.prune({ maxLinesPerDeployment: 30, maxAgeMs: 60_000 });
      const afterPrune = await logs.readOf(key, { limit: 10 });
      expect(afterPrune?.items.map(line => line.seq)).toEqual(range(11, 20));
      expect(
        JSON.parse(logs.pageJson(afterPrune!)?.text.toString() ?? 'null'),
      ).toEqual(afterPrune);
      const pruned = await logs.readOf(key, { limit: 5 });
      expect(pruned?.items.map(line => line.line)).toEqual(
        Array.from({ length: 5 }, (_, i) => `first ${i + 11}`),
      );

      // The same key for another deployment: its lines, never the kept ones of the old, even
      // while the old one's lines are still stored (here it moved to another environment,
      // which no code of ours does).
      await knex('coderunner_deployments')
        .where({ id: first.deploymentId })
        .update({ environment: 'staging' });
      const second = await deploymentWithLogs(knex, entityRef);
      expect(second.deploymentId).not.toBe(first.deploymentId);
      await write(second.deploymentId, 'second', 3);
      expect((await logs.readOf(key))?.items.map(line => line.line)).toEqual([
        'second 1',
        'second 2',
        'second 3',
      ]);
      expect((await logs.readOf(key))?.items[0].seq).toBe(1);
      expect(
        (await logs.readOf({ entityRef, environment: 'staging' }, { limit: 1 }))
          ?.items[0].line,
      ).toBe('first 11');
      const deployments = await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex }),
      });
      // And a new one with no lines yet, then none at all.
      await deployments.deleteDeployment(second.deploymentId);
      const third = await deploymentWithLogs(knex, entityRef);
      expect(await logs.readOf(key)).toEqual({ items: [], lastSeq: 0 });
      await deployments.deleteDeployment(third.deploymentId);
      expect(await logs.readOf(key)).toBeUndefined();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'searches the whole history literally and without case, with filters and a cursor, on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      const lines = Array.from({ length: 30_000 }, (_, i) => ({
        stream: (i % 2 ? 'stderr' : 'stdout') as 'stdout' | 'stderr',
        line: `line ${i + 1}`,
      }));
      for (let i = 0; i < lines.length; i += 5000)
        await logs.append(deploymentId, lines.slice(i, i + 5000));
      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'Progress 100% done_ok' },
        { stream: 'stdout', line: 'progress 1000 doneXok' },
        { stream: 'stdout', line: 'path C:\\tmp' },
      ]);
      // Past the 20,000 sequence numbers a filtered history page looks at.
      expect(
        (await logs.search(deploymentId, { text: 'LINE 25000' })).seqs,
      ).toEqual([25000]);
      expect(
        (await logs.search(deploymentId, { text: 'line 2500' })).seqs,
      ).toEqual([2500, ...range(25000, 25009)]);
      // Odd lines (seq 2, 4, …) went to stderr.
      expect(
        (
          await logs.search(deploymentId, {
            text: 'line 2500',
            streams: ['stderr'],
          })
        ).seqs,
      ).toEqual([2500, 25000, 25002, 25004, 25006, 25008]);
      // %, _ and \ are text, not wildcards.
      expect(
        (await logs.search(deploymentId, { text: '100% done_' })).seqs,
      ).toEqual([30_001]);
      expect((await logs.search(deploymentId, { text: ':\\t' })).seqs).toEqual([
        30_003,
      ]);
      const first = await logs.search(deploymentId, {
        text: 'line 1',
        limit: 3,
      });
      expect(first).toEqual({ seqs: [1, 10, 11], next: 11 });
      expect(
        (
          await logs.search(deploymentId, {
            text: 'line 1',
            after: first.next,
            limit: 2,
          })
        ).seqs,
      ).toEqual([12, 13]);
      expect(await logs.search(deploymentId, { text: 'nowhere' })).toEqual({
        seqs: [],
      });
      await knex.destroy();
    },
    60_000,
  );

  it.each(databases.eachSupportedId())(
    'numbers lines without gaps under concurrent appends, detects levels and keeps ANSI on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      const batch = (n: number) =>
        Array.from({ length: 50 }, (_, i) => ({
          stream: 'stdout' as const,
          line: `b${n} l${i}`,
        }));
      await Promise.all(
        [1, 2, 3, 4].map(n => logs.append(deploymentId, batch(n))),
      );
      await logs.append(deploymentId, [
        { stream: 'stderr', line: '\u001b[31mERROR\u001b[0m boom' },
        { stream: 'stdout', line: '{"level":"warn","msg":"slow"}' },
      ]);
      const page = await logs.read(deploymentId, { limit: 5000 });
      expect(page.items.map(l => l.seq)).toEqual(
        Array.from({ length: 202 }, (_, i) => i + 1),
      );
      // Each batch keeps its own order and stays contiguous.
      for (let n = 1; n <= 4; n++) {
        const seqs = page.items
          .filter(l => l.line.startsWith(`b${n} `))
          .map(l => l.seq);
        expect(seqs[49] - seqs[0]).toBe(49);
      }
      expect(page.items[200]).toMatchObject({
        line: '\u001b[31mERROR\u001b[0m boom',
        level: 'error',
      });
      expect(page.items[201].level).toBe('warn');
      expect(page.lastSeq).toBe(202);
      expect(await logs.head(deploymentId)).toBe(202);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'hands listeners the very lines a read gives back, numbers on after a transaction in flight once it commits, and stores nothing for a deleted deployment, on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      const heard: LogLine[] = [];
      const stop = logs.onAppended(deploymentId, lines => heard.push(...lines));
      // (A first append: the store has had a connection before.)
      expect(
        await logs.append(deploymentId, [{ stream: 'system', line: 'first' }]),
      ).toBe(1);
      // Another writer's transaction has numbered lines 2-10 and not committed when the append
      // comes in: the append must wait for it (SQLite: for its one connection; PostgreSQL: for
      // the row lock) and number on from 11.
      let entered!: () => void;
      const inside = new Promise<void>(resolve => (entered = resolve));
      let release!: () => void;
      const held = new Promise<void>(resolve => (release = resolve));
      const transaction = knex.transaction(async tx => {
        await tx('coderunner_deployments')
          .where({ id: deploymentId })
          .update({ log_seq: 10 });
        entered();
        await held;
      });
      await inside;
      const order: string[] = [];
      const appended = logs
        .append(deploymentId, [
          { stream: 'stdout', line: 'ready on :8080', instanceId: 'i-1' },
          {
            stream: 'stderr',
            line: 'ERROR boom',
            instanceId: 'i-1',
            offset: 42,
          },
          { stream: 'system', line: 'Deploying release 3', releaseId: 'r-3' },
        ])
        .then(last => {
          order.push('appended');
          return last;
        });
      // A turn of the event loop, in which an append that did not wait would finish.
      await new Promise(resolve => setImmediate(resolve));
      order.push('released');
      release();
      await transaction;
      expect(await appended).toBe(13);
      expect(order).toEqual(['released', 'appended']);
      const read = (await logs.read(deploymentId, { limit: 10 })).items;
      expect(read.map(line => line.seq)).toEqual([1, 11, 12, 13]);
      expect(heard).toEqual(
        read.map(line => ({
          ...line,
          releaseId: line.releaseId ?? undefined,
          instanceId: line.instanceId ?? undefined,
          level: line.level ?? undefined,
        })),
      );
      expect(read[2]).toMatchObject({ seq: 12, level: 'error' });
      // The time of the append (milliseconds on SQLite, a timestamp on PostgreSQL).
      const at = Date.parse(read[0].createdAt);
      expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
      expect(await logs.storedOffsets('i-1')).toEqual({
        stdout: 0,
        stderr: 42,
      });
      expect(await logs.head(deploymentId)).toBe(13);

      await knex('coderunner_deployments').where({ id: deploymentId }).delete();
      expect(
        await logs.append(deploymentId, [{ stream: 'stdout', line: 'late' }]),
      ).toBe(0);
      expect(heard).toHaveLength(4);
      expect(
        await knex('coderunner_log_lines').where({ line: 'late' }).first(),
      ).toBeUndefined();
      stop();
      await knex.destroy();
    },
  );

  it('rolls back what a failed commit left open on the SQLite connection before it appends', async () => {
    const { knex, logs, deploymentId } = await setUp('SQLITE_3');
    // As knex leaves a connection whose COMMIT failed: inside a transaction, with its writes.
    const connection = await knex.client.acquireConnection();
    connection.exec('begin');
    connection
      .prepare('update coderunner_deployments set log_seq = 99 where id = ?')
      .run(deploymentId);
    await knex.client.releaseConnection(connection);

    expect(
      await logs.append(deploymentId, [{ stream: 'stdout', line: 'after' }]),
    ).toBe(1);
    expect(connection.inTransaction).toBe(false);
    expect((await logs.read(deploymentId)).items.map(l => l.line)).toEqual([
      'after',
    ]);
    await knex.destroy();
  });

  it.each(databases.eachSupportedId())(
    'searches by text, level and time with a cursor that never repeats a line on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'INFO started' },
        { stream: 'stdout', line: 'WARN Disk 100% full_ish' },
        { stream: 'stderr', line: 'ERROR disk failed' },
        { stream: 'stdout', line: 'tick' },
      ]);
      const text = await logs.read(deploymentId, { text: 'DISK' });
      expect(text.items.map(l => l.seq)).toEqual([2, 3]);
      expect(text.lastSeq).toBe(4);
      expect(
        (await logs.read(deploymentId, { text: '100%' })).items.map(l => l.seq),
      ).toEqual([2]);
      expect(
        (await logs.read(deploymentId, { text: 'full_ish' })).items.map(
          l => l.seq,
        ),
      ).toEqual([2]);
      expect((await logs.read(deploymentId, { text: '0%f' })).items).toEqual(
        [],
      );
      const levels = await logs.read(deploymentId, {
        levels: ['warn', 'error'],
        limit: 1,
      });
      expect(levels.items.map(l => l.seq)).toEqual([2]);
      const next = await logs.read(deploymentId, {
        levels: ['warn', 'error'],
        after: levels.lastSeq,
      });
      expect(next.items.map(l => l.seq)).toEqual([3]);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await logs.read(deploymentId, { since: future })).items).toEqual(
        [],
      );
      expect(
        (await logs.read(deploymentId, { until: future })).items,
      ).toHaveLength(4);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes by count per deployment and by age on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      await logs.append(
        deploymentId,
        Array.from({ length: 30 }, (_, i) => ({
          stream: 'stdout' as const,
          line: `l${i}`,
        })),
      );
      expect(
        await logs.prune({ maxLinesPerDeployment: 10, maxAgeMs: 60_000 }),
      ).toBe(20);
      expect((await logs.read(deploymentId)).items.map(l => l.seq)).toEqual(
        Array.from({ length: 10 }, (_, i) => i + 21),
      );
      expect(
        await logs.prune({ maxLinesPerDeployment: 10, maxAgeMs: -1000 }),
      ).toBe(10);
      // The sequence continues after pruning: cursors stay valid.
      expect(
        await logs.append(deploymentId, [{ stream: 'stdout', line: 'after' }]),
      ).toBe(31);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'redacts registered secrets before a line is stored on %p',
    async databaseId => {
      const { knex, logs, deploymentId } = await setUp(databaseId);
      const redactor = new LogRedactor();
      redactor.registerSecretSource(id =>
        id === deploymentId ? ['s3cr3t-token', 'abc'] : [],
      );
      const written: number[] = [];
      const writer = new LogWriter(
        deploymentId,
        logs,
        mockServices.logger.mock(),
        {
          redact: redactor.lineRedactor,
          onWritten: (_id, lastSeq) => written.push(lastSeq),
        },
      );
      writer.write('token=s3cr3t-token ok abc\npartial s3cr', {
        stream: 'stdout',
        instanceId: 'i1',
      });
      writer.write('3t-token end\n', { stream: 'stdout', instanceId: 'i1' });
      await writer.flush();
      const lines = (await logs.read(deploymentId)).items.map(l => l.line);
      expect(lines).toEqual([
        `token=${REDACTED} ok abc`,
        `partial ${REDACTED} end`,
      ]);
      expect(written[written.length - 1]).toBe(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'adds and removes the level column with its migration on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasColumn('coderunner_log_lines', 'level')).toBe(
        true,
      );
      await migrateDatabaseDown(knex);
      expect(await knex.schema.hasTable('coderunner_log_lines')).toBe(false);
      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasColumn('coderunner_log_lines', 'level')).toBe(
        true,
      );
      await knex.destroy();
    },
  );
});

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
