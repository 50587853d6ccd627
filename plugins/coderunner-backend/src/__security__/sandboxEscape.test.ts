import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from 'agentsphere-sandbox-base';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import {
  readFromHost,
  runInSandbox,
  startHostService,
} from '../__testUtils__/sandboxShell';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

/**
 * Finding: a deployed app ran as uid 0 with nearly all capabilities and no user namespace; it
 * read the host's /etc/shadow and remounted the host's /usr read-write. Each test runs an
 * attacker's command in a real emulated sandbox through the unmodified SDK.
 */
describe('an app in a sandbox cannot escape it', () => {
  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let sandbox: Sandbox;
  let hostService: Awaited<ReturnType<typeof startHostService>>;
  let hostPort: number;

  beforeAll(async () => {
    env = await startTestEmulator();
    sandbox = await Sandbox.create('base', {
      apiKey: env.emulator.apiKey,
      domain: env.emulator.domain,
      secure: true,
    });
    // A service on the host's loopback, like the backend or PostgreSQL.
    hostService = await startHostService('127.0.0.1');
    hostPort = hostService.port;
  });

  afterAll(async () => {
    await hostService.close();
    await env.stop();
  });

  const run = (target: Sandbox, command: string) =>
    runInSandbox(target, command, 30_000);

  it('runs as an unprivileged user with no capabilities', async () => {
    expect((await run(sandbox, 'id -u')).stdout).toBe('1000\n');
    expect((await run(sandbox, 'id -un')).stdout).toBe('user\n');
    expect((await run(sandbox, 'grep CapEff /proc/self/status')).stdout).toBe(
      'CapEff:\t0000000000000000\n',
    );
    // A background process (an app) runs as the same user.
    const app = await sandbox.commands.run('id -u > /tmp/app-uid', {
      background: true,
      timeoutMs: 0,
    });
    await app.wait();
    expect((await run(sandbox, 'cat /tmp/app-uid')).stdout).toBe('1000\n');
  });

  it('cannot write into /usr, even after trying to remount it read-write', async () => {
    const marker = `coderunner-escape-${process.pid}-${Date.now()}`;
    expect((await run(sandbox, `touch /usr/${marker}`)).exitCode).not.toBe(0);
    expect((await run(sandbox, 'mount -o remount,rw /usr')).exitCode).not.toBe(
      0,
    );
    expect((await run(sandbox, `touch /usr/${marker}`)).exitCode).not.toBe(0);
    expect(fs.existsSync(`/usr/${marker}`)).toBe(false);
  });

  it("cannot read the host's /etc/shadow, in the sandbox or through envd", async () => {
    const shadow = await run(sandbox, 'cat /etc/shadow');
    expect(shadow.exitCode).not.toBe(0);
    expect(shadow.stdout).toBe('');
    await expect(sandbox.files.read('/etc/shadow')).rejects.toThrow();
    // A link the app plants is not followed out of the sandbox by envd's file API.
    await run(sandbox, 'ln -s /etc/shadow /home/user/leak');
    await expect(sandbox.files.read('/home/user/leak')).rejects.toThrow();
  });

  it('cannot make envd write a host file through a planted link', async () => {
    const target = path.join(
      os.tmpdir(),
      `coderunner-escape-${process.pid}-${Date.now()}`,
    );
    await run(sandbox, `ln -s ${target} /home/user/out`);
    // envd refuses the path (the link leads out of the sandbox); the host file never appears.
    await expect(
      sandbox.files.write('/home/user/out', 'written by the sandbox'),
    ).rejects.toThrow(/^403: /);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('cannot change kernel settings, host devices or namespaces', async () => {
    const corePattern = fs.readFileSync(
      '/proc/sys/kernel/core_pattern',
      'utf8',
    );
    // Each write would leave the host as it is, were it allowed.
    expect(
      (
        await run(
          sandbox,
          'cat /proc/sys/kernel/core_pattern > /proc/sys/kernel/core_pattern',
        )
      ).exitCode,
    ).not.toBe(0);
    expect((await run(sandbox, 'chmod 666 /dev/null')).exitCode).not.toBe(0);
    expect(fs.readFileSync('/proc/sys/kernel/core_pattern', 'utf8')).toBe(
      corePattern,
    );
    expect((await run(sandbox, 'unshare -Ur true')).exitCode).not.toBe(0);
    // A seccomp filter refuses mount, unshare, ptrace, bpf, keyctl … (x86-64 has one).
    expect(
      (await run(sandbox, "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status"))
        .stdout,
    ).toBe(`NoNewPrivs:\t1\nSeccomp:\t${process.arch === 'x64' ? 2 : 0}\n`);
  });

  it("cannot reach the host's loopback: PostgreSQL, the emulator or the backend", async () => {
    // The host reaches its own service, so a refusal below is the sandbox's.
    const fromHost = await readFromHost('127.0.0.1', hostPort);
    expect(fromHost).toBe('host secret\n');
    for (const port of [5432, env.emulator.port, hostPort]) {
      const attempt = await run(
        sandbox,
        `timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3'`,
      );
      expect({
        port,
        exitCode: attempt.exitCode === 0,
        stdout: attempt.stdout,
      }).toEqual({
        port,
        exitCode: false,
        stdout: '',
      });
    }
    const viaNode = await run(
      sandbox,
      `node -e "require('node:net').connect(${hostPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(7))"`,
    );
    expect(viaNode.exitCode).toBe(7);
  });

  it("cannot see or kill another sandbox's processes", async () => {
    const other = await Sandbox.create('base', {
      apiKey: env.emulator.apiKey,
      domain: env.emulator.domain,
      secure: true,
    });
    const marker = `neighbour-${process.pid}-${Date.now()}`;
    const victim = await other.commands.run(`exec -a ${marker} sleep 600`, {
      background: true,
      timeoutMs: 0,
    });
    const hostPid = await waitForHostPid(marker);

    const seen = await run(sandbox, 'cat /proc/[0-9]*/cmdline | tr "\\0" " "');
    expect(seen.stdout).not.toContain(marker);
    expect((await run(sandbox, `kill -9 ${hostPid}`)).exitCode).not.toBe(0);
    expect((await run(sandbox, `pkill -9 -f ${marker}`)).exitCode).not.toBe(0);
    expect((await other.commands.list()).map(p => p.pid)).toContain(victim.pid);
    expect(fs.existsSync(`/proc/${hostPid}`)).toBe(true);
    await other.kill();
  });
});

/** The host pid of the process whose command line starts with `marker`, once it has exec'd. */
async function waitForHostPid(marker: string): Promise<number> {
  for (;;) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) {
        continue;
      }
      try {
        const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (cmdline.startsWith(marker)) {
          return Number(entry);
        }
      } catch {
        // the process ended while we looked
      }
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
