import { ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { Readable, Writable } from 'node:stream';

/** The host tools that give an isolated sandbox outbound network. */
export interface NetworkTools {
  slirp4netns: string;
  nsenter: string;
  unshare: string;
  ip: string;
}

/** Where slirp4netns's DNS forwarder answers inside every sandbox. */
export const SANDBOX_NAMESERVER = '10.0.2.3';
/** slirp4netns's network, with the sandbox at .100, the gateway at .2 and DNS at .3. */
const SLIRP_NETWORK = '10.0.2.0/24';

/**
 * Networks no sandbox reaches: link-local (cloud metadata services), the private ranges of
 * RFC 1918 and carrier-grade NAT, where a company's or a cloud's internal services live.
 * slirp4netns's own 10.0.2.0/24 is a more specific route and stays reachable.
 */
const PRIVATE_NETWORKS = [
  '169.254.0.0/16',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
];

/**
 * Destinations a sandbox must not reach although it has internet access: the host's own
 * addresses (services listening on all interfaces, such as a backend on 0.0.0.0) and the
 * networks it is directly attached to, and the {@link PRIVATE_NETWORKS}. The host's loopback
 * is refused by slirp4netns's `--disable-host-loopback`.
 */
export function blockedDestinations(): string[] {
  const blocked = new Set<string>(PRIVATE_NETWORKS);
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family !== 'IPv4' || address.internal) {
        continue;
      }
      blocked.add(`${address.address}/32`);
      const prefix = Number(address.cidr?.split('/')[1] ?? 32);
      blocked.add(`${networkAddress(address.address, prefix)}/${prefix}`);
    }
  }
  // A host on a network like slirp4netns's own (VirtualBox's NAT) keeps it: inside the
  // sandbox that network is slirp4netns's, and the route exists already.
  blocked.delete(SLIRP_NETWORK);
  return [...blocked];
}

function networkAddress(address: string, prefix: number): string {
  const value = address
    .split('.')
    .reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map(shift => (network >>> shift) & 255).join('.');
}

/**
 * A sandbox's outbound network: slirp4netns, an unprivileged user-mode TCP/IP stack, with a
 * tap device in the sandbox's network namespace, its address 10.0.2.100, the gateway
 * 10.0.2.2 and DNS on 10.0.2.3, and blackhole routes to the {@link blockedDestinations}.
 *
 * The sandbox's network namespace belongs to a user namespace that bubblewrap creates and
 * then leaves for a nested one (for the sandbox's uid and `--disable-userns`), so no process
 * remains in it. bubblewrap therefore runs under `unshare --user --map-root-user`, whose
 * user namespace is an ancestor of both and owned by the host user that runs bubblewrap:
 * that user, as root there, may enter the sandbox's network namespace. The sandbox's own
 * user has no capabilities and cannot change these routes.
 */
export class SandboxNetwork {
  private constructor(private readonly slirp: ChildProcess) {}

  /**
   * Connects the network namespace of `childPid` (bubblewrap's process inside the sandbox)
   * using the user namespace of `outerPid` (the `unshare`d bubblewrap).
   */
  static async attach(options: {
    tools: NetworkTools;
    outerPid: number;
    childPid: number;
    blocked: string[];
    hostId: number | undefined;
  }): Promise<SandboxNetwork> {
    const { tools, outerPid, childPid, hostId } = options;
    const userns = `/proc/${outerPid}/ns/user`;
    const netns = `/proc/${childPid}/ns/net`;

    // The host user is root in the outer user namespace, so with its credentials kept
    // `ip` runs with CAP_NET_ADMIN over the sandbox's network namespace.
    const routes = spawn(
      tools.nsenter,
      [
        '--preserve-credentials',
        `--user=${userns}`,
        `--net=${netns}`,
        '--',
        tools.ip,
        '-batch',
        '-',
      ],
      { uid: hostId, gid: hostId, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    routes.stdin!.end(
      options.blocked.map(cidr => `route add blackhole ${cidr}\n`).join(''),
    );
    const routesResult = await exited(routes);
    if (routesResult.code !== 0) {
      throw new Error(
        `could not block the host's addresses in the sandbox: ${routesResult.stderr}`,
      );
    }

    // fd 3: slirp4netns exits when it reads end of file (our end closes, or we die);
    // fd 4: it writes once the interface is configured.
    const slirp = spawn(
      tools.slirp4netns,
      [
        '--configure',
        '--mtu=65520',
        '--disable-host-loopback',
        '--enable-seccomp',
        '--exit-fd=3',
        '--ready-fd=4',
        `--userns-path=${userns}`,
        '--netns-type=path',
        netns,
        'tap0',
      ],
      {
        uid: hostId,
        gid: hostId,
        stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    slirp.stderr!.on('data', chunk => {
      stderr = (stderr + chunk).slice(-2000);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        (slirp.stdio[4] as Readable).once('data', () => resolve());
        slirp.once('error', reject);
        slirp.once('exit', code =>
          reject(
            new Error(
              `slirp4netns exited with ${code} before the network was up: ${stderr.trim()}`,
            ),
          ),
        );
      });
    } catch (error) {
      slirp.kill('SIGKILL');
      throw error;
    }
    slirp.removeAllListeners('exit');
    return new SandboxNetwork(slirp);
  }

  /** Stops slirp4netns. */
  stop(): void {
    (this.slirp.stdio[3] as Writable).destroy();
    this.slirp.kill('SIGTERM');
  }
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', code => resolve({ code, stderr: stderr.trim() }));
  });
}
