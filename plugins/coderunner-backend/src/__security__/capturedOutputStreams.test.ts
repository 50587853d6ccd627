import fs from 'node:fs';
import { captureCommand } from '../orchestrator/capturedOutput';
import { collector, run, sandboxHome } from '../__testUtils__/capturedOutput';
import { forgingApp } from './capturedOutputHarness';

// Starts processes: over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

describe('frames an app forges on the process stream of its output capture', () => {
  let home: string;
  beforeEach(() => {
    home = sandboxHome();
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('never become lines of a stream other than its stdout and stderr, nor gaps', async () => {
    const { seen, parser } = collector();
    // A system stream's tag, a gap of the system stream, an unknown tag, an empty line.
    const forged = ['s 0 aGk=', 'system 0 aGk=', 'g system 0 10', 'x', '']
      .map(frame => `${frame}\\n`)
      .join('');
    expect(await run(home, captureCommand(forgingApp(forged)), parser)).toBe(0);
    expect(seen.lines.map(l => l.text)).toEqual(['before', 'after']);
    for (const line of seen.lines) expect(line.stream).toBe('stdout');
    expect(seen.gaps).toEqual([]);
    expect(seen.raw).toEqual([]);
  });
});
