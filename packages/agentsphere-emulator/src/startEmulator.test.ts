import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from 'agentsphere-sandbox-base';
import { routeDomainToEmulator } from './routeDomainToEmulator';
import { UNISOLATED_WARNING, startEmulator } from './startEmulator';

// Starts the emulator: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

describe('startEmulator isolation modes', () => {
  it('refuses to start without a working bubblewrap, saying what to install or set', async () => {
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-bwrap-'));
    const originalPath = process.env.PATH;
    process.env.PATH = emptyDir;
    try {
      for (const isolation of [undefined, 'auto', 'bubblewrap'] as const) {
        await expect(startEmulator({ isolation })).rejects.toThrow(
          /`bwrap` is not installed.*apt-get install bubblewrap.*isolation: none/,
        );
      }
    } finally {
      process.env.PATH = originalPath;
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown isolation mode', async () => {
    await expect(
      startEmulator({ isolation: 'chroot' as 'none' }),
    ).rejects.toThrow(
      "Unknown isolation 'chroot': use auto, bubblewrap or none",
    );
  });

  it('runs sandboxes as plain host processes only when asked, and says so loudly once', async () => {
    const lines: string[] = [];
    const emulator = await startEmulator({
      isolation: 'none',
      log: line => lines.push(line),
    });
    const route = routeDomainToEmulator(emulator.domain, emulator.url);
    try {
      expect(emulator.isolation).toBe('none');
      expect(lines.filter(line => line === UNISOLATED_WARNING)).toHaveLength(1);
      expect(UNISOLATED_WARNING).toMatch(/^!!! isolation: none was set/);
      const sandbox = await Sandbox.create('base', {
        domain: emulator.domain,
        apiKey: emulator.apiKey,
        secure: true,
      });
      const id = await sandbox.commands.run('id -u');
      expect(id.stdout).toBe(`${process.getuid!()}\n`);

      // Terminals work there too, on a pseudo-terminal of the host.
      let shown = '';
      const terminal = await sandbox.pty.create({
        cols: 90,
        rows: 20,
        timeoutMs: 0,
        onData: data => {
          shown += Buffer.from(data).toString();
        },
      });
      await sandbox.pty.sendInput(
        terminal.pid,
        new TextEncoder().encode('echo "$(id -u) $(stty size)"; exit\n'),
      );
      expect((await terminal.wait()).exitCode).toBe(0);
      expect(shown).toMatch(new RegExp(`[\r\n]${process.getuid!()} 20 90\r\n`));
      await sandbox.kill();
    } finally {
      route.remove();
      await emulator.stop();
    }
  }, 60_000);

  it('logs how sandboxes are isolated when bubblewrap works', async () => {
    const lines: string[] = [];
    const emulator = await startEmulator({ log: line => lines.push(line) });
    try {
      expect(emulator.isolation).toBe('bubblewrap');
      expect(lines[0]).toMatch(
        /^Sandboxes are isolated with bubblewrap: user 'user' \(uid 1000\) in its own user, mount, network, PID, IPC and UTS namespaces, no capabilities, /,
      );
    } finally {
      await emulator.stop();
    }
  });

  it('refuses to start without slirp4netns when sandboxes get internet access, and starts without it when they do not', async () => {
    // bubblewrap alone on the PATH.
    const bwrapOnly = fs.mkdtempSync(path.join(os.tmpdir(), 'bwrap-only-'));
    // bubblewrap runs as another user when the tests run as root.
    fs.chmodSync(bwrapOnly, 0o755);
    fs.symlinkSync(
      fs.realpathSync('/usr/bin/bwrap'),
      path.join(bwrapOnly, 'bwrap'),
    );
    const originalPath = process.env.PATH;
    process.env.PATH = bwrapOnly;
    try {
      await expect(startEmulator()).rejects.toThrow(
        /internet access through slirp4netns.*`slirp4netns`.*apt-get install slirp4netns.*allowInternetAccess: false/,
      );
      const offline = await startEmulator({ allowInternetAccess: false });
      expect(offline.isolation).toBe('bubblewrap');
      await offline.stop();
    } finally {
      process.env.PATH = originalPath;
      fs.rmSync(bwrapOnly, { recursive: true, force: true });
    }
  });

  it('cannot turn internet access off for unisolated sandboxes, and says why', async () => {
    const emulator = await startEmulator({
      isolation: 'none',
      log: () => undefined,
    });
    const route = routeDomainToEmulator(emulator.domain, emulator.url);
    try {
      const res = await fetch(`https://api.${emulator.domain}/sandboxes`, {
        method: 'POST',
        headers: {
          'x-api-key': emulator.apiKey,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          templateID: 'base',
          allow_internet_access: false,
        }),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).message).toMatch(
        /^allow_internet_access: false needs isolated sandboxes/,
      );
    } finally {
      route.remove();
      await emulator.stop();
    }
  });
});
