import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { Sandbox } from 'agentsphere-sandbox-base';
import { startTestEmulator } from '../__testUtils__/OrchestratorHarness';
import {
  postSandbox,
  readFromHost,
  runInSandbox,
  startHostService,
} from '../__testUtils__/sandboxShell';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

/**
 * Sandboxes reach the internet as AgentSphere's do (a build installs packages from the
 * registry), unless created with internet access off; in both modes they reach neither the
 * host's services (on its loopback or on its own addresses) nor another sandbox's ports.
 * Every check runs an attacker's command in a real emulated sandbox through the unmodified
 * SDK; the registry from `npm config get registry` is the one outside address known to answer.
 */
describe('sandbox network: internet by choice, never the host or a neighbour', () => {
  // npm's own setting, outside this workspace and without the test runner's npm_config_*.
  const registry = execFileSync('npm', ['config', 'get', 'registry'], {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.toLowerCase().startsWith('npm_config_'),
      ),
    ),
  }).trim();
  /** The host's own IPv4 addresses, where services listening on all interfaces answer. */
  const hostAddresses = Object.values(os.networkInterfaces())
    .flat()
    .filter(
      address => address && address.family === 'IPv4' && !address.internal,
    )
    .map(address => address!.address);

  let env: Awaited<ReturnType<typeof startTestEmulator>>;
  let online: Sandbox;
  let offline: Sandbox;
  let neighbour: Sandbox;
  let hostService: Awaited<ReturnType<typeof startHostService>>;
  let hostPort: number;

  /** Creates a sandbox the way the service's API allows, then attaches the SDK to it. */
  async function createSandbox(allowInternetAccess?: boolean) {
    const response = await postSandbox(env.emulator, {
      templateID: 'base',
      timeout: 600,
      secure: true,
      ...(allowInternetAccess !== undefined && {
        allow_internet_access: allowInternetAccess,
      }),
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    return Sandbox.connect(`${created.sandboxID}-${created.clientID}`, {
      apiKey: env.emulator.apiKey,
      domain: env.emulator.domain,
    });
  }

  beforeAll(async () => {
    env = await startTestEmulator();
    [online, offline, neighbour] = await Promise.all([
      createSandbox(),
      createSandbox(false),
      createSandbox(true),
    ]);
    // A service on all the host's interfaces, as a backend listening on 0.0.0.0.
    hostService = await startHostService('0.0.0.0');
    hostPort = hostService.port;
    // The neighbour serves on port 3000 inside its own network namespace.
    await neighbour.commands.run(
      `node -e "require('node:http').createServer((q, s) => s.end('neighbour')).listen(3000, '0.0.0.0')"`,
      { background: true, timeoutMs: 0 },
    );
    await waitForPort(neighbour, 3000);
  });

  afterAll(async () => {
    await hostService.close();
    await env.stop();
  });

  const run = (target: Sandbox, command: string) =>
    runInSandbox(target, command, 60_000);

  /** An HTTP HEAD to the registry from inside: its status, or the error's code. */
  async function headRegistry(target: Sandbox): Promise<string> {
    const result = await run(
      target,
      `node -e "fetch('${registry}', { method: 'HEAD', signal: AbortSignal.timeout(30000) }).then(r => console.log(r.status), e => console.log(e.cause?.code ?? e.name))"`,
    );
    return result.stdout.trim();
  }

  /** Whether a TCP connection from inside the sandbox to host:port is accepted. */
  async function connects(target: Sandbox, host: string, port: number) {
    const result = await run(
      target,
      `node -e "const s = require('node:net').connect(${port}, '${host}'); s.on('connect', () => process.exit(0)); s.on('error', () => process.exit(7)); setTimeout(() => process.exit(8), 10000)"`,
    );
    return result.exitCode === 0;
  }

  it('reaches the package registry with internet access, by default', async () => {
    expect(await headRegistry(online)).toBe('200');
    expect((await run(online, 'cat /etc/resolv.conf')).stdout).toBe(
      'nameserver 10.0.2.3\n',
    );
  });

  it('has no way out with internet access off: no name lookups, no connections', async () => {
    expect(await headRegistry(offline)).not.toBe('200');
    const registryHost = new URL(registry).hostname;
    const lookup = await run(offline, `getent hosts ${registryHost}`);
    expect(lookup.exitCode).not.toBe(0);
    // Not even by address, with the name resolved on the host.
    const [address] = execFileSync('getent', ['ahostsv4', registryHost], {
      encoding: 'utf8',
    }).split(/\s/);
    expect(await connects(online, address, 443)).toBe(true);
    expect(await connects(offline, address, 443)).toBe(false);
    expect((await run(offline, 'ip -4 route')).stdout).toBe('');
  });

  it("reaches no service of the host's, on its loopback or on its own addresses", async () => {
    // The host reaches its service on each address, so a refusal below is the sandbox's.
    for (const host of ['127.0.0.1', ...hostAddresses]) {
      expect(await readFromHost(host, hostPort)).toBe('host secret\n');
    }
    const targets: Array<[string, number]> = [
      ['127.0.0.1', 5432],
      ['10.0.2.2', 5432],
      ['127.0.0.1', env.emulator.port],
      ['10.0.2.2', env.emulator.port],
      ['10.0.2.2', hostPort],
      ...hostAddresses.flatMap(
        (address): Array<[string, number]> => [
          [address, hostPort],
          [address, 5432],
        ],
      ),
    ];
    for (const sandbox of [online, offline]) {
      for (const [host, port] of targets) {
        expect({
          host,
          port,
          connects: await connects(sandbox, host, port),
        }).toEqual({
          host,
          port,
          connects: false,
        });
      }
    }
  });

  it("reaches no port of another sandbox's", async () => {
    for (const sandbox of [online, offline]) {
      for (const host of [
        '127.0.0.1',
        '10.0.2.2',
        '10.0.2.100',
        ...hostAddresses,
      ]) {
        expect({ host, connects: await connects(sandbox, host, 3000) }).toEqual(
          {
            host,
            connects: false,
          },
        );
      }
    }
  });

  it('has no route to cloud metadata or private networks', async () => {
    const routes = (await run(online, 'ip -4 route')).stdout
      .split('\n')
      .map(line => line.trim());
    for (const network of [
      '169.254.0.0/16',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
    ]) {
      expect(routes).toContain(`blackhole ${network}`);
    }
    // The sandbox's own link stays: gateway and DNS answer through it.
    expect(routes).toContain('default via 10.0.2.2 dev tap0');
  });

  it('cannot change its routes to get around the blocks', async () => {
    const change = await run(online, 'ip route add 10.0.3.0/24 dev tap0');
    expect(change.exitCode).not.toBe(0);
    expect(change.stderr).toContain('Operation not permitted');
  });

  it('exposes its ports through the emulator in both modes', async () => {
    await offline.commands.run(
      `node -e "require('node:http').createServer((q, s) => s.end('offline app')).listen(3000)"`,
      { background: true, timeoutMs: 0 },
    );
    expect(await waitForPort(offline, 3000)).toBe('offline app');
  });

  it('refuses an allow_internet_access that is not a boolean', async () => {
    const response = await postSandbox(env.emulator, {
      templateID: 'base',
      allow_internet_access: 'no',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 400,
      message: 'allow_internet_access must be true or false',
    });
  });
});

/** The body of the first 200 from a sandbox's port through the emulator, once it listens. */
async function waitForPort(sandbox: Sandbox, port: number): Promise<string> {
  for (;;) {
    const answer = await fetch(`https://${sandbox.getHost(port)}/`).catch(
      () => undefined,
    );
    if (answer?.status === 200) {
      return answer.text();
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
