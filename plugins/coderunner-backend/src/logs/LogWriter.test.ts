import { mockServices } from '@backstage/backend-test-utils';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { NewLogLine } from './LogStore';
import { LogWriter } from './LogWriter';

jest.setTimeout(60_000);

const databases = createTestDatabases();

/** Resolves after the callbacks already queued with setImmediate have run (FIFO). */
const nextTurn = () => new Promise(resolve => setImmediate(resolve));

/** A writer on a fresh deployment, with the real store's `append` calls recorded. */
async function writerWithStore(
  databaseId: Parameters<typeof databases.init>[0],
) {
  const knex = await databases.init(databaseId);
  const { deploymentId, logs } = await deploymentWithLogs(knex);
  const append = logs.append.bind(logs);
  /** Runs inside the next `append` call, while that write is in flight. */
  let duringWrite: (() => void) | undefined;
  const appends = jest
    .spyOn(logs, 'append')
    .mockImplementation((id: string, lines: NewLogLine[]) => {
      const hook = duringWrite;
      duringWrite = undefined;
      const written = append(id, lines);
      hook?.();
      return written;
    });
  const written: number[] = [];
  const writer = new LogWriter(deploymentId, logs, mockServices.logger.mock(), {
    onWritten: (_id, lastSeq) => written.push(lastSeq),
  });
  return {
    knex,
    deploymentId,
    logs,
    writer,
    written,
    /** Lines per `append` call, in order. */
    batches: () => appends.mock.calls.map(([, lines]) => lines.length),
    whileWriting: (hook: () => void) => {
      duringWrite = hook;
    },
  };
}

describe('LogWriter', () => {
  it.each(databases.eachSupportedId())(
    'writes a lone line in the next turn of the event loop, with no batch timer, also right after a write, on %p',
    async databaseId => {
      const { knex, writer, written, batches } = await writerWithStore(
        databaseId,
      );
      writer.line('first');
      expect(batches()).toEqual([]);
      // The writer's setImmediate was queued before this one: its write has started.
      await nextTurn();
      expect(batches()).toEqual([1]);
      await writer.flush();
      expect(written).toEqual([1]);

      // Right after a write (where a minimum gap between writes would wait for a timer).
      writer.line('second');
      await nextTurn();
      expect(batches()).toEqual([1, 1]);
      await writer.flush();
      expect(written).toEqual([1, 2]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'batches a burst: what arrives in one turn goes in one write, what arrives during a write goes in the next, on %p',
    async databaseId => {
      const {
        knex,
        deploymentId,
        logs,
        writer,
        written,
        batches,
        whileWriting,
      } = await writerWithStore(databaseId);
      // Three chunks in one turn (as output callbacks firing together): one write.
      for (let chunk = 0; chunk < 3; chunk++) {
        let text = '';
        for (let i = 0; i < 100; i++) text += `chunk ${chunk} line ${i}\n`;
        writer.write(text, { stream: 'stdout', instanceId: 'i1' });
      }
      await nextTurn();
      expect(batches()).toEqual([300]);
      await writer.flush();

      // 250 lines arrive one by one while a write is in flight: they wait and go together.
      whileWriting(() => {
        for (let i = 0; i < 250; i++) writer.line(`during ${i}`);
      });
      writer.line('starts a write');
      await writer.flush();
      expect(batches()).toEqual([300, 1, 250]);

      // A burst above the largest batch is split, in order.
      for (let i = 0; i < 4500; i++) writer.line(`big ${i}`);
      await writer.flush();
      expect(batches()).toEqual([300, 1, 250, 2000, 2000, 500]);
      expect(written).toEqual([300, 301, 551, 2551, 4551, 5051]);

      const stored = await logs.read(deploymentId, { after: 301, limit: 2 });
      expect(stored.items.map(l => l.line)).toEqual(['during 0', 'during 1']);
      expect(await logs.head(deploymentId)).toBe(5051);
      await knex.destroy();
    },
  );
});
