import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox } from 'agentsphere-sandbox-base';
import { routeDomainToEmulator } from './routeDomainToEmulator';
import { UNISOLATED_WARNING, startEmulator } from './startEmulator';

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
    ).rejects.toThrow("Unknown isolation 'chroot': use auto, bubblewrap or none");
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
      await sandbox.kill();
    } finally {
      route.remove();
      await emulator.stop();
    }
  });

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
});
