import { mockServices } from '@backstage/backend-test-utils';
import { StreamServerMessage } from '@coderunner/plugin-coderunner-common';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import { LogHub } from '../logs/LogHub';
import { LogWriter } from '../logs/LogWriter';
import { DeploymentFeed } from './DeploymentFeed';
import { LogSubscription } from './LogSubscription';

jest.setTimeout(60_000);

const databases = createTestDatabases();

async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const { deploymentId, logs } = await deploymentWithLogs(knex);
  return { knex, deploymentId, store: logs };
}

/** A sink that parses what it is sent, as a client would. */
function sink() {
  const messages: StreamServerMessage[] = [];
  return {
    messages,
    send: (m: StreamServerMessage) =>
      messages.push(JSON.parse(JSON.stringify(m))),
    sendEncoded: (message: Buffer) =>
      messages.push(JSON.parse(message.toString('utf8'))),
    congested: () => false,
    lines: () => messages.flatMap(m => (m.type === 'lines' ? m.items : [])),
  };
}

/** A feed of a fresh deployment, ready, with one unfiltered subscriber from the start. */
async function followed(databaseId: Parameters<typeof databases.init>[0]) {
  const { knex, deploymentId, store } = await setUp(databaseId);
  const hub = new LogHub();
  const feed = new DeploymentFeed(deploymentId, store, hub);
  await feed.ready;
  const plain = sink();
  const subscription = new LogSubscription('a', feed, store, plain, 0);
  feed.add(subscription);
  return { knex, deploymentId, store, hub, feed, plain, subscription };
}

describe('DeploymentFeed', () => {
  it.each(databases.eachSupportedId())(
    'takes lines written in this process without reading them back, in order and gap-free, on %p',
    async databaseId => {
      const { knex, deploymentId, store, hub, feed, plain } = await followed(
        databaseId,
      );
      const filtered = sink();
      feed.add(
        new LogSubscription('b', feed, store, filtered, 0, {
          streams: ['stderr'],
        }),
      );
      const read = jest.spyOn(store, 'read');
      const writer = new LogWriter(
        deploymentId,
        store,
        mockServices.logger.mock(),
        {
          onWritten: (id, lastSeq) => hub.linesWritten(id, lastSeq),
        },
      );
      for (let i = 0; i < 2500; i++) {
        writer.write(`line ${i}\n`, {
          stream: i % 2 ? 'stderr' : 'stdout',
          instanceId: 'i1',
        });
        if (i % 700 === 0) await writer.flush();
        if (i % 333 === 0) await new Promise(resolve => setImmediate(resolve));
      }
      await writer.flush();
      await new Promise(resolve => setTimeout(resolve, 50));

      expect(read).not.toHaveBeenCalled();
      expect(feed.head).toBe(2500);
      const seqs = plain.lines().map(l => l.seq);
      expect(seqs).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
      expect(plain.lines()[2499]).toMatchObject({
        line: 'line 2499',
        stream: 'stderr',
        instanceId: 'i1',
      });
      expect(filtered.lines().map(l => l.seq)).toEqual(
        Array.from({ length: 1250 }, (_, i) => 2 * i + 2),
      );
      // The shared frames carry the same lines as the store, with the same fields.
      const stored = await store.read(deploymentId, { limit: 5000 });
      expect(plain.lines()).toEqual(stored.items);
      feed.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'reads from the store when lines it did not hear about come first, on %p',
    async databaseId => {
      const {
        knex,
        deploymentId,
        store,
        feed,
        plain,
        subscription: a,
      } = await followed(databaseId);
      // Another process (another LogStore) writes 3 lines; nobody tells this one.
      await DatabaseLogStore.create({ knex }).append(
        deploymentId,
        [1, 2, 3].map(n => ({ stream: 'stdout' as const, line: `other ${n}` })),
      );
      // This process writes lines 4-5: they do not follow the feed's head, so it reads 1-5.
      await store.append(
        deploymentId,
        [4, 5].map(n => ({ stream: 'stdout' as const, line: `own ${n}` })),
      );
      while (feed.head < 5)
        await new Promise(resolve => setTimeout(resolve, 10));
      await a.pump();
      expect(plain.lines().map(l => l.seq)).toEqual([1, 2, 3, 4, 5]);
      feed.close();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'stores and delivers a trickle of lines without any flush call (timer-driven writes) on %p',
    async databaseId => {
      const { knex, deploymentId, store, hub, feed, plain } = await followed(
        databaseId,
      );
      const writer = new LogWriter(
        deploymentId,
        store,
        mockServices.logger.mock(),
        {
          onWritten: (id, lastSeq) => hub.linesWritten(id, lastSeq),
        },
      );
      for (let i = 0; i < 300; i++) {
        writer.write(`tick ${i}\n`, { stream: 'stdout' });
        await new Promise(resolve => setTimeout(resolve, i % 3));
      }
      while (plain.lines().length < 300) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      expect(plain.lines().map(l => l.seq)).toEqual(
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      expect(await store.head(deploymentId)).toBe(300);
      feed.close();
      await knex.destroy();
    },
  );

  it('announces in fewer, larger frames when many subscribers follow, and every one gets every line', async () => {
    const { knex, deploymentId, store } = await setUp('SQLITE_3');
    const hub = new LogHub();
    const feed = new DeploymentFeed(deploymentId, store, hub);
    await feed.ready;
    const sinks = Array.from({ length: 1000 }, () => sink());
    for (const [i, s] of sinks.entries())
      feed.add(new LogSubscription(`s${i % 3}`, feed, store, s, 0));
    const encode = jest.spyOn(Buffer, 'from');
    // 40 batches written back to back: far fewer announcements, each sent to every subscriber.
    for (let i = 0; i < 40; i++) {
      await store.append(deploymentId, [
        { stream: 'stdout', line: `batch ${i}` },
      ]);
    }
    while (sinks.some(s => s.lines().length < 40)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    const frames = sinks[0].messages.filter(m => m.type === 'lines').length;
    expect(frames).toBeLessThan(40);
    for (const s of sinks) {
      expect(s.lines().map(l => l.seq)).toEqual(
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    }
    // Each frame is encoded once per subscription id (3 here), not once per subscriber.
    const encodedFrames = encode.mock.calls.filter(
      ([value]) =>
        typeof value === 'string' && value.startsWith('{"type":"lines"'),
    );
    expect(encodedFrames.length).toBeLessThanOrEqual(frames * 3);
    encode.mockRestore();
    feed.close();
    await knex.destroy();
  });

  it('serializes a frame once per filter for filtered subscribers, and sends nothing to those it has no line for', async () => {
    const { knex, deploymentId, store } = await setUp('SQLITE_3');
    const hub = new LogHub();
    const feed = new DeploymentFeed(deploymentId, store, hub);
    await feed.ready;
    const filters = [
      { streams: ['stderr' as const] },
      { text: 'ODD' },
      { instanceId: 'nobody' },
    ];
    // 300 subscribers per filter, all with the same subscription id.
    const sinks = filters.map(filter =>
      Array.from({ length: 300 }, () => {
        const s = sink();
        feed.add(new LogSubscription('logs', feed, store, s, 0, filter));
        return s;
      }),
    );
    const encode = jest.spyOn(Buffer, 'from');
    for (let i = 1; i <= 20; i++) {
      await store.append(deploymentId, [
        {
          stream: i % 2 ? 'stdout' : 'stderr',
          line: `line ${i} ${i % 2 ? 'odd' : 'even'}`,
          instanceId: 'i1',
        },
      ]);
    }
    const wanted = [
      Array.from({ length: 10 }, (_, i) => 2 * i + 2),
      Array.from({ length: 10 }, (_, i) => 2 * i + 1),
    ];
    while (
      sinks.some(
        (group, g) =>
          g < 2 && group.some(s => s.lines().length < wanted[g].length),
      )
    ) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    for (const [g, group] of sinks.entries()) {
      for (const s of group) {
        expect(s.lines().map(l => l.seq)).toEqual(wanted[g] ?? []);
      }
    }
    // Nothing at all (not even empty frames) for the filter no line passes.
    expect(sinks[2].every(s => s.messages.length === 0)).toBe(true);
    const frames = (g: number) =>
      sinks[g][0].messages.filter(m => m.type === 'lines').length;
    const encodedFrames = encode.mock.calls.filter(
      ([value]) =>
        typeof value === 'string' && value.startsWith('{"type":"lines"'),
    );
    // One serialization per frame and filter, not one per subscriber (300 each).
    expect(encodedFrames.length).toBeLessThanOrEqual(frames(0) + frames(1));
    expect(encodedFrames.length).toBeGreaterThan(0);
    encode.mockRestore();
    feed.close();
    await knex.destroy();
  });

  it('lets subscribers that fell behind together catch up together: each catch-up frame is serialized once', async () => {
    const { knex, deploymentId, store } = await setUp('SQLITE_3');
    const hub = new LogHub();
    const feed = new DeploymentFeed(deploymentId, store, hub);
    await feed.ready;
    let full = true;
    const sinks = Array.from({ length: 200 }, () => {
      const s = { ...sink(), congested: () => full };
      feed.add(new LogSubscription('logs', feed, store, s, 0));
      return s;
    });
    // 2,500 lines arrive while every socket is full: nobody is sent anything.
    for (let i = 0; i < 25; i++) {
      await store.append(
        deploymentId,
        Array.from({ length: 100 }, (_, j) => ({
          stream: 'stdout' as const,
          line: `line ${i * 100 + j + 1}`,
        })),
      );
    }
    expect(sinks.every(s => s.messages.length === 0)).toBe(true);
    const encode = jest.spyOn(Buffer, 'from');
    full = false;
    while (sinks.some(s => s.lines().length < 2500)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    for (const s of sinks) {
      expect(s.lines().map(l => l.seq)).toEqual(
        Array.from({ length: 2500 }, (_, i) => i + 1),
      );
    }
    // Catch-up frames of at most 1,000 lines, each serialized once, not once per subscriber.
    const frames = sinks[0].messages.filter(m => m.type === 'lines');
    expect(frames.length).toBeGreaterThanOrEqual(3);
    const encodedFrames = encode.mock.calls.filter(
      ([value]) =>
        typeof value === 'string' && value.startsWith('{"type":"lines"'),
    );
    expect(encodedFrames.length).toBe(frames.length);
    encode.mockRestore();
    feed.close();
    await knex.destroy();
  });
});
