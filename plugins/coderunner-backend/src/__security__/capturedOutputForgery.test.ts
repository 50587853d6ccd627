import fs from 'node:fs';
import path from 'node:path';
import { collector, run, sandboxHome } from '../__testUtils__/capturedOutput';
import { deploymentWithLogs } from '../__testUtils__/deploymentWithLogs';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { captureCommand } from '../orchestrator/capturedOutput';
import { forgingApp } from './capturedOutputHarness';

// Starts databases and processes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

/**
 * Holes in the lossless log takeover (6025602), open at the time of writing: frames the app
 * forges on its process stream (see capturedOutputHarness) carry offsets, counts and sizes the
 * backend trusts.
 */

const databases = createTestDatabases();

describe('frames forged by the app on the process stream', () => {
  let home: string;
  beforeEach(() => {
    home = sandboxHome();
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it.each(databases.eachSupportedId())(
    'cannot store an offset beyond what the app printed, nor keep the lines stored with it out of the database, on %p',
    async databaseId => {
      const { seen, parser } = collector();
      expect(
        await run(home, captureCommand(forgingApp('o 1e300 aGk=\\n')), parser),
      ).toBe(0);
      const printed = fs.statSync(
        path.join(home, '.coderunner/output/stdout.0'),
      ).size;
      // Every offset handed on is a byte position the app's stdout really reached.
      for (const { offset } of seen.lines) {
        expect(Number.isSafeInteger(offset)).toBe(true);
        expect(offset).toBeLessThanOrEqual(printed);
      }
      for (const gap of seen.gaps) {
        expect(Number.isSafeInteger(gap.to)).toBe(true);
        expect(gap.to).toBeLessThanOrEqual(printed);
      }
      expect(seen.lines.map(l => l.text)).toEqual(
        expect.arrayContaining(['before', 'after']),
      );

      // What InstanceRunner hands the store: the app's lines with their offsets, and
      // CodeRunner's own line in the same batch.
      const knex = await databases.init(databaseId);
      const { deploymentId, logs } = await deploymentWithLogs(knex);
      const instanceId = '33333333-3333-4333-8333-333333333333';
      await logs.append(deploymentId, [
        ...seen.lines.map(l => ({
          stream: l.stream,
          line: l.text,
          instanceId,
          offset: l.offset,
        })),
        { stream: 'system', line: 'Instance stopped', instanceId },
      ]);
      const stored = await knex('coderunner_log_lines')
        .where({ deployment_id: deploymentId })
        .pluck('line');
      expect(stored).toContain('Instance stopped');
      // A takeover reads the buffer on from here: never past the stream's end.
      expect((await logs.storedOffsets(instanceId)).stdout).toBe(printed);
    },
  );

  it.each(databases.eachSupportedId())(
    'cannot make the store refuse a batch with an offset out of range, on %p',
    async databaseId => {
      // Defence in depth at the store: one bad offset must not cost the batch's other lines.
      const knex = await databases.init(databaseId);
      const { deploymentId, logs } = await deploymentWithLogs(knex);
      const instanceId = '44444444-4444-4444-8444-444444444444';
      await logs.append(deploymentId, [
        { stream: 'stdout', line: 'x', instanceId, offset: Infinity },
        { stream: 'stdout', line: 'y', instanceId, offset: 2 ** 64 },
        { stream: 'system', line: 'Starting instance', instanceId },
      ]);
      const stored = await knex('coderunner_log_lines')
        .where({ deployment_id: deploymentId })
        .pluck('line');
      expect(stored).toContain('Starting instance');
    },
  );

  it('cannot repeat the follower\'s "caught up" line', () => {
    // A follower's stream is as writable by the app as the capture script's: each forged `c`
    // would store another system line about the recovery (2 bytes in, ~150 bytes stored).
    const { seen, parser } = collector({ stdout: 0, stderr: 0 });
    parser.push('coderunner-output 1\n', 'stdout');
    parser.push(`o 0 ${Buffer.from('hello\n').toString('base64')}\n`, 'stdout');
    parser.push('c\n', 'stdout');
    parser.push('c\n'.repeat(1000), 'stdout');
    expect(seen.caughtUp).toBe(1);
  });

  it('drops a frame longer than the capture script ever prints instead of keeping it all in memory', () => {
    // The script prints at most 64 KiB of output per frame (87,384 base64 characters). Without
    // a bound, text without a newline piles up in the backend's memory, rescanned on every
    // chunk; one app could exhaust the backend every deployment shares (measured: 16 MiB
    // without a newline blocked the event loop for 89 s in 64 KiB chunks, heap at 198 MiB).
    const { seen, parser } = collector();
    parser.push('coderunner-output 1\n', 'stdout');
    const chunk = 'QUFB'.repeat(16 * 1024); // 64 KiB of base64 text for "AAA…"
    parser.push('o 0 ', 'stdout');
    for (let i = 0; i < 64; i++) parser.push(chunk, 'stdout'); // 4 MiB, no newline
    parser.push('\n', 'stdout');
    parser.push(`o 0 ${Buffer.from('next\n').toString('base64')}\n`, 'stdout');
    parser.end();
    // Nothing of the oversized frame is decoded into lines; the stream reads on after it.
    expect(seen.lines.some(l => l.text.startsWith('AAA'))).toBe(false);
    expect(seen.lines.map(l => l.text)).toContain('next');
  });
});
