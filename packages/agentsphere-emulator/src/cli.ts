import fs from 'node:fs';
import path from 'node:path';
import { startEmulator } from './startEmulator';
import { routeDomainToEmulator } from './routeDomainToEmulator';

const USAGE = `Usage:
  agentsphere-emulator [--port 7070] [--host 127.0.0.1] [--domain agentsphere.test]
                       [--isolation auto|bubblewrap|none] [--api-key KEY] [--internet on|off]
      Runs the emulator until interrupted. Without --api-key it generates one and prints it.
      auto and bubblewrap refuse to start without a working bubblewrap; none runs
      sandboxes as plain host processes. --internet off: sandboxes have no outbound
      network unless their create request asks for it (on, the default, needs slirp4netns).
  agentsphere-emulator demo --api-key KEY [--emulator http://127.0.0.1:7070] [--domain agentsphere.test] [--dir examples/hello-node]
      Uploads a Node app to a new emulated sandbox, starts \`node server.js\` on port 3000
      and prints a curl command that reaches it. KEY may also come from AGENTSPHERE_API_KEY.

For development and tests only: the emulator is no security boundary.`;

function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument '${arg}'\n\n${USAGE}`);
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    flags[name] = inline ?? argv[++i] ?? '';
  }
  return flags;
}

function readTree(root: string, dir = root): { path: string; data: string }[] {
  const files: { path: string; data: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...readTree(root, full));
    } else {
      files.push({
        path: path.relative(root, full),
        data: fs.readFileSync(full, 'utf8'),
      });
    }
  }
  return files;
}

function findUp(start: string, relative: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, relative))) {
      return path.join(dir, relative);
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

async function demo(flags: Record<string, string>) {
  // The SDK is a dev dependency: the demo runs from a checkout.
  const { Sandbox } = await import('agentsphere-sandbox-base');
  const emulatorUrl = flags.emulator ?? 'http://127.0.0.1:7070';
  const domain = flags.domain ?? 'agentsphere.test';
  const dir = flags.dir
    ? path.resolve(flags.dir)
    : findUp(process.cwd(), 'examples/hello-node');
  if (!dir || !fs.existsSync(path.join(dir, 'server.js'))) {
    throw new Error('no examples/hello-node/server.js found; pass --dir');
  }
  const apiKey = flags['api-key'] || process.env.AGENTSPHERE_API_KEY;
  if (!apiKey) {
    throw new Error(
      `the emulator needs its API key: pass --api-key (the key it printed at start, or coderunner.emulator.apiKey of the dev backend)\n\n${USAGE}`,
    );
  }
  const route = routeDomainToEmulator(domain, emulatorUrl);
  try {
    const sandbox = await Sandbox.create('base', {
      domain,
      apiKey,
      secure: true,
      timeoutMs: 3_600_000,
      envs: {
        GREETING: 'Hello from an emulated sandbox',
        NODE_ENV: 'development',
      },
      metadata: { 'coderunner.demo': path.basename(dir) },
    });
    await sandbox.files.write(
      readTree(dir).map(file => ({
        path: `app/${file.path}`,
        data: file.data,
      })),
    );
    const server = await sandbox.commands.run('node server.js', {
      background: true,
      timeoutMs: 0,
      cwd: '/home/user/app',
      envs: { PORT: '3000' },
    });
    const host = sandbox.getHost(3000);
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`https://${host}/healthz`).catch(() => undefined);
      if (res?.status === 200) {
        break;
      }
      if (attempt > 100) {
        throw new Error(`the server did not answer /healthz: ${server.stderr}`);
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    server.disconnect();
    const { port } = new URL(emulatorUrl);
    process.stdout.write(
      [
        `Sandbox ${sandbox.sandboxId} runs ${dir}/server.js on port 3000 (pid ${server.pid}), for one hour.`,
        `  curl -H 'Host: ${host}' http://127.0.0.1:${port}/healthz`,
        `  curl -H 'Host: ${host}' http://127.0.0.1:${port}/env`,
        `Stop it: curl -X DELETE -H 'Host: api.${domain}' -H 'X-API-KEY: ${apiKey}' http://127.0.0.1:${port}/sandboxes/${sandbox.sandboxId}`,
        '',
      ].join('\n'),
    );
  } finally {
    route.remove();
  }
}

/**
 * The `agentsphere-emulator` command.
 *
 * @public
 */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (argv[0] === 'demo') {
    await demo(parseFlags(argv.slice(1)));
    return;
  }
  const flags = parseFlags(argv);
  const isolation = (flags.isolation ?? 'auto') as
    | 'auto'
    | 'bubblewrap'
    | 'none';
  const internet = flags.internet ?? 'on';
  if (internet !== 'on' && internet !== 'off') {
    throw new Error(
      `--internet takes on or off, not '${internet}'\n\n${USAGE}`,
    );
  }
  const emulator = await startEmulator({
    allowInternetAccess: internet === 'on',
    port: Number(flags.port ?? 7070),
    host: flags.host,
    domain: flags.domain,
    isolation,
    apiKey: flags['api-key'],
    log: message =>
      process.stderr.write(`${new Date().toISOString()} ${message}\n`),
  });
  if (!flags['api-key']) {
    process.stderr.write(
      `API key (send it as X-API-KEY; it changes at every start): ${emulator.apiKey}\n`,
    );
  }
  const stop = () => {
    emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
