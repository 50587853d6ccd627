import { LogFilter, LogLine } from '@coderunner/plugin-coderunner-common';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { LogHub } from '../logs/LogHub';
import { DeploymentFeed } from '../stream/DeploymentFeed';
import { LogSubscription } from '../stream/LogSubscription';

// Database set-up: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

/**
 * Review of the stream's shared frames (af36de7, a02ddf0): the feed keeps serialized messages
 * by range, filter and subscription id, and the id and the filter are the client's choice. A
 * subscriber must only ever get the lines its own filter passes, under its own id, however it
 * picks them to make another subscriber's cache key.
 */
describe('frames the feed shares between subscribers', () => {
  it.each(databases.eachSupportedId())(
    'carry only the lines of the subscriber’s own filter and its own id, whatever ids collide, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { deploymentId, logs } = await deploymentWithLogs(knex);
      const feed = new DeploymentFeed(deploymentId, logs, new LogHub());
      await feed.ready;

      // Ids and filters chosen so that id and filter key put together read like another's.
      const subscribers: { id: string; filter: LogFilter }[] = [
        { id: '["i1",null,[],[],null]\nq', filter: {} },
        { id: 'q', filter: { instanceId: 'i1' } },
        { id: 'q', filter: { text: 'I1' } },
        { id: 'q', filter: { streams: ['stderr'] } },
        { id: 'q\n["i1",null,[],[],null]', filter: { streams: ['stderr'] } },
      ];
      const lines = [
        { stream: 'stdout' as const, instanceId: 'i1', line: 'alpha' },
        { stream: 'stderr' as const, instanceId: 'i2', line: 'beta' },
        { stream: 'stdout' as const, instanceId: 'i2', line: 'has i1 text' },
        { stream: 'stderr' as const, instanceId: 'i1', line: 'final i1' },
      ];
      const expected = [
        ['alpha', 'beta', 'has i1 text', 'final i1'],
        ['alpha', 'final i1'],
        ['has i1 text', 'final i1'],
        ['beta', 'final i1'],
        ['beta', 'final i1'],
      ];

      const received = subscribers.map(({ id, filter }) => {
        const got: { id: string; items: LogLine[]; lastSeq: number }[] = [];
        let done: () => void;
        const finished = new Promise<void>(resolve => {
          done = resolve;
        });
        const subscription = new LogSubscription(
          id,
          feed,
          logs,
          {
            send: () => {},
            sendEncoded: message => {
              const parsed = JSON.parse(message.toString('utf8'));
              got.push(parsed);
              // Every filter passes the last line: its frame is the last one.
              if (parsed.lastSeq === lines.length) done();
            },
            congested: () => false,
          },
          0,
          filter,
        );
        feed.add(subscription);
        return { got, finished };
      });

      await logs.append(deploymentId, lines);
      await Promise.all(received.map(r => r.finished));

      received.forEach(({ got }, i) => {
        for (const message of got) expect(message.id).toBe(subscribers[i].id);
        expect(got.flatMap(m => m.items.map(item => item.line))).toEqual(
          expected[i],
        );
      });
    },
  );
});
