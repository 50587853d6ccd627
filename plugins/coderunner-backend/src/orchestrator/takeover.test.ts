import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  localComponent,
  OrchestratorHarness,
  removeAllSandboxes,
  startTestEmulator,
} from '../__testUtils__/OrchestratorHarness';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(240_000);

const databases = createTestDatabases();

/**
 * A worker that prints numbered lines every 2 ms, and a burst of 3,000 more when the file
 * `$HOME/burst` appears (then writes `$HOME/burst-done`).
 */
const COUNTER = `
const fs = require('node:fs');
const path = require('node:path');
let i = 0;
const line = () => process.stdout.write('n ' + ++i + '\\n');
setInterval(line, 2);
const burst = path.join(process.env.HOME, 'burst');
setInterval(() => {
  if (!fs.existsSync(burst)) return;
  fs.rmSync(burst);
  for (let k = 0; k < 3000; k++) line();
  fs.writeFileSync(burst + '-done', String(i));
}, 20);
`;

function counterApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-counter-'));
  fs.writeFileSync(path.join(dir, 'counter.js'), COUNTER);
  fs.writeFileSync(
    path.join(dir, 'coderunner.yaml'),
    [
      'apiVersion: coderunner.io/v1',
      'kind: worker',
      'runtime:',
      '  template: base',
      'run:',
      '  command: node counter.js',
    ].join('\n'),
  );
  return dir;
}

const numbered = (i: number) => `n ${i}`;
const bytesOf = (lines: string[]) =>
  lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('a replica takes over an instance whose output nobody read for a while', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  const harnesses: OrchestratorHarness[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.crash();
    await removeAllSandboxes(env.emulator);
    for (const dir of dirs.splice(0))
      fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await env.stop();
  });

  async function lines(harness: OrchestratorHarness, deploymentId: string) {
    const all: { stream: string; line: string }[] = [];
    for (let after = 0; ; ) {
      const page = await harness.logs.read(deploymentId, {
        after,
        limit: 5000,
      });
      all.push(...page.items);
      if (page.items.length === 0) break;
      after = page.items[page.items.length - 1].seq;
    }
    return {
      stdout: all.filter(l => l.stream === 'stdout').map(l => l.line),
      system: all.filter(l => l.stream === 'system').map(l => l.line),
    };
  }

  /**
   * Deploys the counter on a first replica (with `coderunner.logs.sandboxBufferBytes` set to
   * `bufferBytes` when given), lets it store some lines, and "kills" that replica.
   */
  async function deployAndLoseReplica(knex: Knex, bufferBytes?: number) {
    const dir = counterApp();
    dirs.push(dir);
    const first = await OrchestratorHarness.startMigrated(
      knex,
      env.emulator,
      undefined,
      new ConfigReader(
        bufferBytes
          ? { coderunner: { logs: { sandboxBufferBytes: bufferBytes } } }
          : {},
      ),
    );
    harnesses.push(first);
    const { deployment } = await first.deploy(
      localComponent(path.basename(dir), dir),
      dir,
    );
    await first.waitFor(deployment.id, d => d.status === 'ready', 120_000);
    await until(async () =>
      (await lines(first, deployment.id)).stdout.length >= 200
        ? true
        : undefined,
    );
    // Like a killed replica: its attachment goes, the process in the sandbox keeps printing.
    await first.crash();
    harnesses.splice(harnesses.indexOf(first), 1);
    const [instance] = await first.store.listInstances(deployment.id);
    const storedBefore = (await lines(first, deployment.id)).stdout.length;
    return { first, deployment, sandboxId: instance.sandboxId!, storedBefore };
  }

  async function secondReplica(knex: Knex) {
    await knex('coderunner_deployments').update({
      lease_expires_at: new Date(0),
    });
    const second = new OrchestratorHarness(knex, env.emulator);
    harnesses.push(second);
    await second.start();
    return second;
  }

  it.each(databases.eachSupportedId())(
    'stores every line the app printed exactly once and in order, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { deployment, storedBefore, first } = await deployAndLoseReplica(
        knex,
      );
      // The app prints on while nobody reads: wait until the sandbox's buffer holds more.
      await until(async () => {
        const result = await first.runtime.runCommand(
          (
            await first.store.listInstances(deployment.id)
          )[0].sandboxId!,
          'wc -l < "$HOME/.coderunner/output/stdout.0"',
        );
        return Number(result.stdout.trim()) > storedBefore + 300
          ? true
          : undefined;
      });
      const second = await secondReplica(knex);
      const stored = await until(async () => {
        const now = await lines(second, deployment.id);
        return now.system.some(l => l.startsWith('Recovered')) &&
          now.stdout.length > storedBefore + 1000
          ? now
          : undefined;
      });
      expect(stored.stdout).toEqual(
        Array.from({ length: stored.stdout.length }, (_, i) => numbered(i + 1)),
      );
      expect(stored.system.find(l => l.startsWith('Re-attached'))).toMatch(
        /after a backend restart; reading what no backend stored back from the sandbox's output buffer \(stdout from byte [1-9]\d*, stderr from byte 0\)$/,
      );
      const recovered = stored.system.find(l => l.startsWith('Recovered'))!;
      // More than the 300 lines printed while no replica read ("n 500\n" is 6 bytes).
      expect(
        Number(/Recovered (\d+) bytes of stdout/.exec(recovered)![1]),
      ).toBeGreaterThan(300 * 5);
      expect(stored.system.join('\n')).not.toMatch(/missing here/);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a marker with the bytes lost where the buffer overflowed, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { deployment, sandboxId, first } = await deployAndLoseReplica(
        knex,
        8192,
      );
      // The configured 8 KiB, not the 8 MiB default, split into its four files.
      const layout = await first.runtime.runCommand(
        sandboxId,
        'cat "$HOME/.coderunner/output/layout.json"',
      );
      expect(JSON.parse(layout.stdout)).toEqual({
        chunkBytes: 2048,
        chunks: 4,
      });
      await first.runtime.runCommand(sandboxId, 'touch "$HOME/burst"');
      await until(async () =>
        (
          await first.runtime.runCommand(
            sandboxId,
            'test -f "$HOME/burst-done"',
          )
        ).exitCode === 0
          ? true
          : undefined,
      );
      const second = await secondReplica(knex);
      const burstDone = Number(
        (await second.runtime.runCommand(sandboxId, 'cat "$HOME/burst-done"'))
          .stdout,
      );
      const stored = await until(async () => {
        const now = await lines(second, deployment.id);
        const last = now.stdout[now.stdout.length - 1];
        return last && Number(last.slice(2)) > burstDone + 100
          ? now
          : undefined;
      });
      const markers = stored.stdout.filter(l => l.startsWith('[CodeRunner]'));
      expect(markers).toHaveLength(1);
      const lost = Number(
        /^\[CodeRunner\] (\d+) bytes of stdout are missing here: the sandbox's output buffer rotated them out before a backend stored them$/.exec(
          markers[0],
        )![1],
      );
      const at = stored.stdout.indexOf(markers[0]);
      const before = stored.stdout.slice(0, at);
      const after = stored.stdout.slice(at + 1);
      const last = Number(after[after.length - 1].slice(2));
      // What was stored before the replica died is whole and in order.
      expect(before).toEqual(before.map((_, i) => numbered(i + 1)));
      // After the gap (whose first line may start mid-line) the lines run on to the last one.
      expect(after.slice(1)).toEqual(
        after.slice(1).map((_, i) => numbered(last - after.length + 2 + i)),
      );
      // Every byte the app printed up to its last stored line is stored, or counted as lost.
      const printed = Array.from({ length: last }, (_, i) => numbered(i + 1));
      expect(bytesOf(before) + lost + bytesOf(after)).toBe(bytesOf(printed));
      // The buffer (8 KiB in 4 files) held at least 6 KiB of the 3,000-line burst.
      expect(lost).toBeGreaterThan(0);
    },
  );
});
