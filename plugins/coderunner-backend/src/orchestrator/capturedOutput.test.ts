import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { collector, run, sandboxHome } from '../__testUtils__/capturedOutput';
import {
  captureCommand,
  followCommand,
  readSandboxBufferBytes,
} from './capturedOutput';

jest.setTimeout(60_000);

describe('coderunner.logs.sandboxBufferBytes', () => {
  const read = (sandboxBufferBytes?: JsonValue) =>
    readSandboxBufferBytes(
      new ConfigReader({ coderunner: { logs: { sandboxBufferBytes } } }),
    );

  it('is 8 MiB by default and takes whole numbers from 4 KiB to 1 GiB', () => {
    expect(read()).toBe(8 * 1024 * 1024);
    expect(read(4096)).toBe(4096);
    expect(read(1024 ** 3)).toBe(1024 ** 3);
  });

  it.each([4095, 1024 ** 3 + 1, 8192.5, 0, -1])(
    'refuses %p, naming the key and the bounds',
    bytes => {
      expect(() => read(bytes)).toThrow(
        `coderunner.logs.sandboxBufferBytes must be a whole number of bytes from 4096 (4 KiB) to 1073741824 (1 GiB); got ${bytes}`,
      );
    },
  );

  it('refuses a value that is no number, naming the key', () => {
    expect(() => read('big')).toThrow(/coderunner\.logs\.sandboxBufferBytes/);
  });

  it('sizes the buffer of the launch command', () => {
    expect(captureCommand('node app.js', read(8192))).toContain(
      'capture "$d" 8192 &',
    );
  });
});

describe('the output buffer in the sandbox', () => {
  let home: string;
  beforeEach(() => {
    home = sandboxHome();
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const app =
    'for i in $(seq 1 1000); do echo "line $i é"; done; echo oops >&2; printf "no newline"; exit 3';

  it('passes the output on live with byte offsets and keeps it on disk', async () => {
    const { seen, parser } = collector();
    expect(await run(home, captureCommand(app), parser)).toBe(3);
    const stdout = seen.lines.filter(l => l.stream === 'stdout');
    expect(stdout.map(l => l.text)).toEqual([
      ...Array.from({ length: 1000 }, (_, i) => `line ${i + 1} é`),
      'no newline',
    ]);
    const bytes = fs.readFileSync(
      path.join(home, '.coderunner/output/stdout.0'),
    );
    expect(stdout[stdout.length - 1].offset).toBe(bytes.length);
    // Each offset is where the line's bytes end in the stream.
    expect(bytes.subarray(0, stdout[9].offset).toString()).toMatch(
      /line 10 é\n$/,
    );
    expect(seen.lines.filter(l => l.stream === 'stderr')).toEqual([
      { text: 'oops', stream: 'stderr', offset: 5 },
    ]);
    expect(seen.raw).toEqual([]);
  });

  it('reads back from a stored offset exactly, and says what rotation dropped', async () => {
    const first = collector();
    expect(await run(home, captureCommand(app, 4096), first.parser)).toBe(3);
    const all = first.seen.lines.filter(l => l.stream === 'stdout');
    // From line 980's end on: all of it is still in the buffer.
    const late = collector({ stdout: all[979].offset, stderr: 0 });
    await run(
      home,
      followCommand({ stdout: all[979].offset, stderr: 0 }),
      late.parser,
    );
    expect(late.seen.lines.filter(l => l.stream === 'stdout')).toEqual(
      all.slice(980),
    );
    expect(
      late.seen.lines.filter(l => l.stream === 'stderr').map(l => l.text),
    ).toEqual(['oops']);
    expect(late.seen.gaps).toEqual([]);
    expect(late.seen.caughtUp).toBe(1);

    // From the start: 4 files of 1 KiB are kept, so all but the last 3 to 4 KiB is gone.
    const early = collector({ stdout: 0, stderr: 0 });
    await run(home, followCommand({ stdout: 0, stderr: 0 }), early.parser);
    expect(early.seen.gaps).toHaveLength(1);
    const [gap] = early.seen.gaps;
    expect(gap).toMatchObject({ stream: 'stdout', from: 0 });
    expect(gap.to % 1024).toBe(0);
    const total = all[all.length - 1].offset;
    expect(total - gap.to).toBeGreaterThan(3 * 1024);
    expect(total - gap.to).toBeLessThanOrEqual(4 * 1024);
    const recovered = early.seen.lines.filter(l => l.stream === 'stdout');
    expect(recovered[recovered.length - 1]).toEqual(all[all.length - 1]);
    // Whole lines after the gap are the ones stored live; the first may start mid-line.
    const whole = all.filter(l => l.offset > gap.to);
    expect(recovered.slice(-whole.length + 1)).toEqual(whole.slice(1));
  });

  it('runs the app as before where it cannot capture', async () => {
    const { seen, parser } = collector();
    expect(
      await run(home, captureCommand('echo plain'), parser, {
        PATH: '/nonexistent',
      }),
    ).toBe(0);
    expect(seen.raw.join('')).toBe('plain\n');
  });
});
