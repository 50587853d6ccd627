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
import { routeDomainToEmulator } from '@coderunner/agentsphere-emulator';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend';
import {
  CAPTURE_SCRIPT_PATH,
  CAPTURE_SCRIPT_SOURCE,
  CapturedOutputParser,
  captureCommand,
} from '@coderunner/plugin-coderunner-backend/src/orchestrator/capturedOutput';
import { LoggerService } from '@backstage/backend-plugin-api';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  latencySummary,
  median,
  now,
  round,
  Samples,
  sleep,
  startEmulatorProcess,
} from './lib';

const RATE = 1000;
const SECONDS = 6;
const PADDING = 60;
const RUNS = 3;

const logger: LoggerService = {
  error: (message, meta) => console.error(message, meta ?? ''),
  warn: (message, meta) => console.warn(message, meta ?? ''),
  info: () => undefined,
  debug: () => undefined,
  child: () => logger,
};

/** Prints `rate` lines a second for `seconds` in ticks of about 1 ms, each stamped with the wall clock. */
const EMITTER = `
const [rate, seconds, pad] = process.argv.slice(2).map(Number);
const total = Math.round(rate * seconds);
const padding = 'x'.repeat(pad);
const start = performance.now();
let n = 0;
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
  if (due > n) {
    const t = (performance.timeOrigin + performance.now()).toFixed(3);
    let s = '';
    for (; n < due; n++) s += 't=' + t + ' n=' + n + ' ' + padding + '\\n';
    process.stdout.write(s);
  }
  if (n < total) setTimeout(tick, 1);
}
tick();
`;

async function main() {
  const loadBefore = os.loadavg();
  const emulator = await startEmulatorProcess();
  const route = routeDomainToEmulator(emulator.domain, emulator.url);
  const runtime = AgentSphereRuntime.create({
    logger,
    apiKey: emulator.apiKey,
    domain: emulator.domain,
  });
  const sandbox = await runtime.createSandbox({ template: 'node' });
  await runtime.uploadFiles(sandbox.sandboxId, [
    { path: 'emit.js', content: EMITTER },
    { path: CAPTURE_SCRIPT_PATH, content: CAPTURE_SCRIPT_SOURCE },
  ]);
  const command = `node /home/user/emit.js ${RATE} ${SECONDS} ${PADDING}`;
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
  await runtime.killSandbox(sandbox.sandboxId).catch(() => false);
  await runtime.close();
  route.remove();
  await emulator.stop();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
