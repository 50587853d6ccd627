/*
 * What the live-path benches (main.ts, captureLatency.ts) start from: the AgentSphere emulator in
 * a child process (so that forwarding sandbox output does not wait for this process's load
 * clients), the real AgentSphereRuntime in this process, and one sandbox holding the emitter.
 */
import { routeDomainToEmulator } from '@coderunner/agentsphere-emulator';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend';
// The emulator process of the backend's replica tests, shared rather than copied (a bench is
// never built or published, so a test utility is no runtime dependency of anything shipped).
// eslint-disable-next-line no-restricted-imports
import { startEmulatorProcess } from '@coderunner/plugin-coderunner-backend/src/__testUtils__/startEmulatorProcess';
import { benchLogger } from '@coderunner/bench-common/src/emulatorBackend';

/**
 * Runs in the sandbox as `node emit.js <rate> <seconds> <padding>`: prints `rate` lines a second
 * for `seconds` in ticks of about 1 ms, each stamped with the wall clock
 * (`t=<ms> n=<counter> <padding>`).
 */
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

/**
 * Starts the emulator process, a runtime on it and a sandbox kept alive for the run (which can
 * outlast a sandbox's default lifetime of 300 s), with the emitter and `files` uploaded to its
 * home folder. `stop()` removes all of it.
 */
export async function startEmitterSandbox(
  files: { path: string; content: string }[] = [],
) {
  const emulator = await startEmulatorProcess();
  const route = routeDomainToEmulator(emulator.domain, emulator.url);
  const runtime = AgentSphereRuntime.create({
    logger: benchLogger(),
    apiKey: emulator.apiKey,
    domain: emulator.domain,
  });
  const sandbox = await runtime.createSandbox({ template: 'node' });
  const keepAlive = runtime.keepAlive(sandbox.sandboxId);
  await runtime.uploadFiles(sandbox.sandboxId, [
    { path: 'emit.js', content: EMITTER },
    ...files,
  ]);
  return {
    emulator,
    runtime,
    sandbox,
    /** The command that runs the emitter: `rate` lines a second for `seconds`, `padding` characters of padding each. */
    emitCommand: (rate: number, seconds: number, padding: number) =>
      `node /home/user/emit.js ${rate} ${seconds} ${padding}`,
    async stop() {
      keepAlive.stop();
      await runtime.killSandbox(sandbox.sandboxId).catch(() => false);
      await runtime.close();
      route.remove();
      await emulator.stop();
    },
  };
}
