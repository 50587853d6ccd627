/*
 * bench/logs captureLatency: what the sandbox output buffer (lossless takeover) adds to the live
 * path, the leg from the process writing a line to the replica holding it as a line.
 *
 *   yarn workspace @coderunner/bench-logs tsx src/captureLatency.ts
 *
 * One emulator (child process, bubblewrap sandboxes), one sandbox, the real AgentSphereRuntime in
 * this process. The same emitter runs alternately as it is (raw: the SDK's output callback, split
 * into lines) and behind the capture script (captured: the framed stream through
 * CapturedOutputParser, as InstanceRunner reads it), 3 runs each, same run. Writes
 * bench/results/logs-capture-latency.json.
 */
import {
  CAPTURE_SCRIPT_PATH,
  CAPTURE_SCRIPT_SOURCE,
  CapturedOutputParser,
  captureCommand,
} from '@coderunner/plugin-coderunner-backend/src/orchestrator/capturedOutput';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmitterSandbox } from './emitterSandbox';
import { latencySummary, median, now, round, Samples, sleep } from './lib';

const RATE = 1000;
const SECONDS = 6;
const PADDING = 60;
const RUNS = 3;

async function main() {
  const loadBefore = os.loadavg();
  const { emulator, runtime, sandbox, emitCommand, stop } =
    await startEmitterSandbox([
      { path: CAPTURE_SCRIPT_PATH, content: CAPTURE_SCRIPT_SOURCE },
    ]);
  const command = emitCommand(RATE, SECONDS, PADDING);
  const warmup = RATE; // the first second's lines are not sampled

  const sample = (samples: Samples, line: string) => {
    if (!line.startsWith('t=')) return;
    const n = Number(/ n=(\d+) /.exec(line)?.[1] ?? -1);
    if (n >= warmup)
      samples.push(now() - Number(line.slice(2, line.indexOf(' '))));
  };

  async function run(mode: 'raw' | 'captured') {
    const samples = new Samples();
    let lines = 0;
    let partial = '';
    const parser = new CapturedOutputParser({
      line: text => {
        lines++;
        sample(samples, text);
      },
      raw: () => undefined,
      gap: () => undefined,
    });
    if (mode === 'captured') {
      await runtime.runCommand(
        sandbox.sandboxId,
        'rm -rf "$HOME/.coderunner/output"',
      );
    }
    const handle = await runtime.startProcess(
      sandbox.sandboxId,
      mode === 'captured' ? captureCommand(command) : command,
      {
        onOutput: o => {
          if (mode === 'captured') {
            parser.push(o.data, o.stream);
            return;
          }
          // As LineSplitter does: whole lines, the rest waits.
          const parts = (partial + o.data).split('\n');
          partial = parts.pop() ?? '';
          for (const line of parts) {
            lines++;
            sample(samples, line);
          }
        },
      },
    );
    await handle.wait();
    if (mode === 'captured') parser.end();
    return { mode, lines, ...latencySummary(samples) };
  }

  const runs: Awaited<ReturnType<typeof run>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['raw', 'captured'] as const) {
      const result = await run(mode);
      console.log(JSON.stringify(result));
      runs.push(result);
      await sleep(500);
    }
  }
  const of = (mode: string, key: 'p50' | 'p99') =>
    runs.filter(r => r.mode === mode).map(r => r[key]);
  const row = (mode: string, key: 'p50' | 'p99') => ({
    name: `process to replica latency ${key}, ${mode} (${RATE} lines/s)`,
    value: round(median(of(mode, key)), 2),
    unit: 'ms',
    better: 'lower',
    spread: {
      min: round(Math.min(...of(mode, key)), 2),
      max: round(Math.max(...of(mode, key)), 2),
      runs: RUNS,
    },
  });
  const report = {
    benchmark: 'logs-capture-latency',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      runtime: `agentsphere-emulator (isolation: ${emulator.isolation})`,
      loadAverageBefore: loadBefore.map(x => round(x, 2)),
      loadAverageAfter: os.loadavg().map(x => round(x, 2)),
    }),
    setup: `One sandbox; an emitter prints ${RATE} lines/s (${PADDING} characters of padding, stamped with the wall clock) for ${SECONDS} s, alternately as it is (raw: the SDK's output callback split into lines) and behind the capture script (captured: captureCommand, frames through CapturedOutputParser, as InstanceRunner starts instances), ${RUNS} runs each in the same run. Latency = the moment this process holds the line − its stamp; the first second is warm-up. Value = median of the runs' percentiles.`,
    results: [
      row('raw', 'p50'),
      row('captured', 'p50'),
      row('raw', 'p99'),
      row('captured', 'p99'),
    ],
    details: runs,
  };
  const out = path.resolve(
    __dirname,
    '../../results/logs-capture-latency.json',
  );
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report.results, null, 2));
  await stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
