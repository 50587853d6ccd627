import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  NetworkTools,
  SANDBOX_NAMESERVER,
  blockedDestinations,
} from './network';
import { seccompProgram } from './seccomp';

/**
 * How sandboxes are separated from each other and from the host.
 *
 * - `bubblewrap`: an unprivileged user in its own user, mount, network, PID, IPC and UTS
 *   namespaces, with no capabilities, a seccomp filter and a read-only view of the host's
 *   `/usr`; only its own `/home/user` and `/tmp` are writable.
 * - `none`: plain host processes as the emulator's own user, for machines without bubblewrap.
 *
 * @public
 */
export type IsolationMode = 'bubblewrap' | 'none';

/** The sandbox's directories on the host. */
export interface SandboxDirs {
  home: string;
  /** What the sandbox sees as `/root`, root's home. */
  rootHome: string;
  tmp: string;
  run: string;
}

/** The paths processes see inside an isolated sandbox. */
export const SANDBOX_HOME = '/home/user';
export const SANDBOX_ROOT_HOME = '/root';
export const SANDBOX_TMP = '/tmp';
/** AgentSphere's users and their home directories, against which relative paths resolve. */
const SANDBOX_USERS: Record<string, string> = {
  user: SANDBOX_HOME,
  root: SANDBOX_ROOT_HOME,
};

/** A user's home directory in the sandbox; undefined for a user the sandbox does not have. */
export function userHome(user: string): string | undefined {
  return Object.hasOwn(SANDBOX_USERS, user) ? SANDBOX_USERS[user] : undefined;
}
const SANDBOX_RUN = '/run/agentsphere';
/** Where node-pty (the agent's pseudo-terminals) is mounted read-only inside a sandbox. */
const SANDBOX_NODE_PTY = '/run/agentsphere-lib/node-pty';
/** AgentSphere's default user is `user`; inside the sandbox it is uid and gid 1000. */
const SANDBOX_UID = 1000;
/**
 * The host user that runs bubblewrap when the emulator runs as root: `nobody`. The sandbox's
 * user is this user on the host, so nothing in a sandbox acts as host root even if it
 * leaves its namespaces (as root, bubblewrap would map the sandbox user onto host root, whose
 * files and sysctls that user would then own).
 */
const UNPRIVILEGED_HOST_ID = 65534;
const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

const BWRAP = 'bwrap';
const NETWORK_TOOLS = ['slirp4netns', 'nsenter', 'unshare', 'ip'] as const;
const TUN_DEVICE = '/dev/net/tun';
const TEST = '/usr/bin/test';

/** What the host's `/etc` lends a sandbox, read-only: certificates, linker cache, alternatives. */
const HOST_ETC_ENTRIES = [
  'ssl',
  'ca-certificates',
  'alternatives',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
];

/** The command line that starts a sandbox's agent, and as whom. */
export interface AgentCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Host uid and gid to start it as; the emulator's own when undefined. */
  uid?: number;
  gid?: number;
  /** Files the child gets as fds 3, 4, …, closed by the caller once it has started. */
  extraFds: number[];
  /**
   * The fd (after the extra ones) on which bubblewrap writes its `--info-fd` JSON, for
   * the pid of its process inside the sandbox; the caller gives it a pipe.
   */
  infoFd?: number;
}

/**
 * What every bubblewrap sandbox of one emulator shares: a minimal `/etc` (no host secrets
 * such as `/etc/shadow`), Node where the unprivileged host user can read it, the seccomp
 * filter, and the host user to run as.
 */
export class BubblewrapSetup {
  private constructor(
    /** bubblewrap's path, from the emulator's PATH; undefined when it is not installed. */
    private readonly bwrap: string | undefined,
    private readonly etcDir: string,
    private readonly nodeArgs: { args: string[]; nodeInSandbox: string },
    private readonly seccompFile: string | undefined,
    /** node-pty's files under the system directory; undefined when it is not built. */
    private readonly nodePtyDir: string | undefined,
    /** Set when the emulator runs as root: bubblewrap then runs as this host user. */
    readonly hostId: number | undefined,
    /** The tools for outbound network; undefined when one is not installed. */
    readonly networkTools: NetworkTools | undefined,
    /** Destinations no sandbox reaches, see {@link blockedDestinations}. */
    readonly blocked: string[],
  ) {}

  /** Writes the shared files under `workDir/system`. */
  static prepare(workDir: string): BubblewrapSetup {
    const hostId = process.getuid?.() === 0 ? UNPRIVILEGED_HOST_ID : undefined;
    if (hostId !== undefined) {
      // The unprivileged host user must reach every directory bubblewrap binds.
      fs.chmodSync(workDir, 0o711);
    }
    const systemDir = path.join(workDir, 'system');
    fs.mkdirSync(systemDir, { recursive: true, mode: 0o755 });
    fs.chmodSync(systemDir, 0o755);

    const etcDir = path.join(systemDir, 'etc');
    writeMinimalEtc(etcDir);

    const nodeArgs = nodeBinds(systemDir, hostId);

    const program = seccompProgram();
    let seccompFile: string | undefined;
    if (program) {
      seccompFile = path.join(systemDir, 'seccomp.bpf');
      fs.writeFileSync(seccompFile, program, { mode: 0o644 });
    }
    return new BubblewrapSetup(
      findOnPath(BWRAP),
      etcDir,
      nodeArgs,
      seccompFile,
      stageNodePty(systemDir),
      hostId,
      findNetworkTools(),
      blockedDestinations(),
    );
  }

  /** Why sandboxes cannot have outbound network here, or undefined when they can. */
  networkProblem(): string | undefined {
    if (this.networkTools) {
      // slirp4netns creates the sandbox's tap device through it.
      return fs.existsSync(TUN_DEVICE)
        ? undefined
        : `${TUN_DEVICE} does not exist (the kernel's tun module, or the container's device list)`;
    }
    const missing = NETWORK_TOOLS.filter(tool => !findTool(tool));
    return `${missing.map(tool => `\`${tool}\``).join(', ')} ${
      missing.length === 1 ? 'is' : 'are'
    } not installed (not on the PATH)`;
  }

  /** Whether the filter is applied; there is none on architectures other than x86-64. */
  get seccomp(): boolean {
    return this.seccompFile !== undefined;
  }

  /**
   * Why bubblewrap cannot start a sandbox here, or undefined when it can: runs the same
   * command line a sandbox gets, with `/bin/true` for the agent.
   */
  problem(): string | undefined {
    if (!this.bwrap) {
      return `\`${BWRAP}\` is not installed (it is not on the PATH)`;
    }
    const probeDir = fs.mkdtempSync(
      path.join(path.dirname(this.etcDir), 'probe-'),
    );
    const dirs: SandboxDirs = {
      home: path.join(probeDir, 'home'),
      rootHome: path.join(probeDir, 'root'),
      tmp: path.join(probeDir, 'tmp'),
      run: path.join(probeDir, 'run'),
    };
    this.createDirs(probeDir, dirs);
    const fds = this.openFds();
    try {
      const probe = spawnSync(
        this.bwrap,
        this.bubblewrapArgs('probe', dirs, ['/bin/true']),
        {
          stdio: ['ignore', 'ignore', 'pipe', ...fds],
          timeout: 10_000,
          uid: this.hostId,
          gid: this.hostId,
          env: { PATH: SANDBOX_PATH },
        },
      );
      if (probe.error) {
        return `\`${BWRAP}\` could not be run (${probe.error.message})`;
      }
      if (probe.status !== 0) {
        return `\`${BWRAP}\` failed: ${
          probe.stderr.toString().trim() || `exit status ${probe.status}`
        }`;
      }
      return undefined;
    } finally {
      fds.forEach(fd => fs.closeSync(fd));
      fs.rmSync(probeDir, { recursive: true, force: true });
    }
  }

  /**
   * Creates a sandbox's directories: its root only traversable, its home, tmp and run
   * directories owned by the host user the sandbox runs as.
   */
  createDirs(root: string, dirs: SandboxDirs): void {
    fs.mkdirSync(root, { recursive: true });
    fs.chmodSync(root, 0o711);
    for (const dir of Object.values(dirs)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.own(dir);
    }
  }

  /** Hands a file or directory the emulator wrote to the sandbox's user. */
  own(hostPath: string): void {
    if (this.hostId !== undefined) {
      fs.lchownSync(hostPath, this.hostId, this.hostId);
    }
  }

  /** The command line that starts a sandbox's agent inside bubblewrap. */
  agentCommand(options: {
    sandboxId: string;
    dirs: SandboxDirs;
    /** Runs bubblewrap so that {@link SandboxNetwork.attach} can reach its namespaces. */
    internet: boolean;
  }): AgentCommand {
    const extraFds = this.openFds();
    const agent = [
      this.nodeArgs.nodeInSandbox,
      `${SANDBOX_RUN}/sandbox-agent.js`,
      `${SANDBOX_RUN}/agent.sock`,
      ...(this.nodePtyDir ? [SANDBOX_NODE_PTY] : []),
    ];
    const common = {
      env: { PATH: SANDBOX_PATH, HOME: SANDBOX_HOME },
      cwd: '/',
      uid: this.hostId,
      gid: this.hostId,
      extraFds,
    };
    if (!options.internet) {
      return {
        command: this.bwrap!,
        args: this.bubblewrapArgs(options.sandboxId, options.dirs, agent),
        ...common,
      };
    }
    const infoFd = 3 + extraFds.length;
    return {
      command: this.networkTools!.unshare,
      args: [
        '--user',
        '--map-root-user',
        '--',
        this.bwrap!,
        '--info-fd',
        String(infoFd),
        ...this.bubblewrapArgs(options.sandboxId, options.dirs, agent),
      ],
      ...common,
      infoFd,
    };
  }

  private openFds(): number[] {
    return this.seccompFile ? [fs.openSync(this.seccompFile, 'r')] : [];
  }

  private bubblewrapArgs(
    hostname: string,
    dirs: SandboxDirs,
    command: string[],
  ): string[] {
    return [
      '--die-with-parent',
      '--new-session',
      '--unshare-user',
      '--uid',
      String(SANDBOX_UID),
      '--gid',
      String(SANDBOX_UID),
      '--disable-userns',
      '--unshare-net',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      '--hostname',
      hostname,
      '--cap-drop',
      'ALL',
      // The filter is fd 3, the first fd after stdio (see openFds).
      ...(this.seccompFile ? ['--seccomp', '3'] : []),
      ...systemBinds(),
      '--ro-bind',
      this.etcDir,
      '/etc',
      ...hostEtcBinds(),
      ...this.nodeArgs.args,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--bind',
      dirs.tmp,
      SANDBOX_TMP,
      '--tmpfs',
      '/home',
      '--bind',
      dirs.home,
      SANDBOX_HOME,
      '--bind',
      dirs.rootHome,
      SANDBOX_ROOT_HOME,
      '--bind',
      dirs.run,
      SANDBOX_RUN,
      ...(this.nodePtyDir
        ? ['--ro-bind', this.nodePtyDir, SANDBOX_NODE_PTY]
        : []),
      '--remount-ro',
      '/',
      '--chdir',
      SANDBOX_HOME,
      ...command,
    ];
  }
}

/** `/usr` read-only; `/bin` and friends are symlinks into it here, or read-only binds. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64']) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      args.push('--symlink', fs.readlinkSync(dir), dir);
    } else {
      args.push('--ro-bind', dir, dir);
    }
  }
  return args;
}

function hostEtcBinds(): string[] {
  const args: string[] = [];
  for (const entry of HOST_ETC_ENTRIES) {
    const hostPath = path.join('/etc', entry);
    if (fs.existsSync(hostPath)) {
      args.push('--ro-bind', hostPath, hostPath);
    }
  }
  return args;
}

/**
 * The sandbox's `/etc`: its own user and group, localhost, and mount points for the host
 * entries lent read-only. Nothing else of the host's `/etc` is visible.
 */
function writeMinimalEtc(etcDir: string) {
  fs.mkdirSync(etcDir, { recursive: true, mode: 0o755 });
  const files: Record<string, string> = {
    passwd: [
      'root:x:0:0:root:/root:/usr/sbin/nologin',
      `user:x:${SANDBOX_UID}:${SANDBOX_UID}:user:${SANDBOX_HOME}:/bin/bash`,
      'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
      '',
    ].join('\n'),
    group: ['root:x:0:', `user:x:${SANDBOX_UID}:`, 'nogroup:x:65534:', ''].join(
      '\n',
    ),
    hosts: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\n',
    // slirp4netns's DNS forwarder; without internet access there is no route to it and
    // lookups fail at once.
    'resolv.conf': `nameserver ${SANDBOX_NAMESERVER}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(etcDir, name), content, { mode: 0o644 });
  }
  for (const entry of HOST_ETC_ENTRIES) {
    const hostPath = path.join('/etc', entry);
    const mountPoint = path.join(etcDir, entry);
    if (!fs.existsSync(hostPath) || fs.existsSync(mountPoint)) {
      continue;
    }
    if (fs.statSync(hostPath).isDirectory()) {
      fs.mkdirSync(mountPoint, { mode: 0o755 });
    } else {
      fs.writeFileSync(mountPoint, '', { mode: 0o644 });
    }
  }
}

/**
 * Makes the host's Node visible inside the sandbox as `/usr/local/bin/node`, which is on the
 * PATH. Where the unprivileged host user cannot read it (under `/root`), a hard link (or a
 * copy) in the emulator's system directory stands in for it.
 */
function nodeBinds(
  systemDir: string,
  hostId: number | undefined,
): { args: string[]; nodeInSandbox: string } {
  const execPath = fs.realpathSync(process.execPath);
  if (execPath.startsWith('/usr/')) {
    return { args: [], nodeInSandbox: execPath };
  }
  const nodeInSandbox = '/usr/local/bin/node';
  const prefix = path.dirname(path.dirname(execPath));
  if (
    path.basename(path.dirname(execPath)) === 'bin' &&
    readableBy(hostId, execPath)
  ) {
    return { args: ['--ro-bind', prefix, '/usr/local'], nodeInSandbox };
  }
  let node = execPath;
  if (!readableBy(hostId, execPath)) {
    node = path.join(systemDir, 'node');
    fs.rmSync(node, { force: true });
    try {
      fs.linkSync(execPath, node);
    } catch {
      fs.copyFileSync(execPath, node);
      fs.chmodSync(node, 0o755);
    }
  }
  return {
    args: [
      '--tmpfs',
      '/usr/local',
      '--ro-bind',
      node,
      nodeInSandbox,
      '--remount-ro',
      '/usr/local',
    ],
    nodeInSandbox,
  };
}

function readableBy(hostId: number | undefined, file: string): boolean {
  if (hostId === undefined) {
    return true;
  }
  const test = spawnSync(TEST, ['-r', file], {
    uid: hostId,
    gid: hostId,
    stdio: 'ignore',
  });
  return test.status === 0;
}

function findNetworkTools(): NetworkTools | undefined {
  const [slirp4netns, nsenter, unshare, ip] = NETWORK_TOOLS.map(findTool);
  if (!slirp4netns || !nsenter || !unshare || !ip) {
    return undefined;
  }
  return { slirp4netns, nsenter, unshare, ip };
}

/** On the PATH, or in the sbin directories a non-root user's PATH often lacks (`ip`). */
function findTool(command: string): string | undefined {
  return findOnPath(command, ['/usr/sbin', '/sbin']);
}

function findOnPath(
  command: string,
  extraDirs: string[] = [],
): string | undefined {
  for (const dir of [
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
    ...extraDirs,
  ]) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** node-pty's native module, relative to its package directory. */
const NODE_PTY_NATIVE = 'build/Release/pty.node';

/**
 * node-pty's package directory when its native module is built, else undefined (then
 * sandboxes have no pseudo-terminals and PTY requests say why).
 */
export function nodePtyPackage(): string | undefined {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('node-pty/package.json'));
  } catch {
    return undefined;
  }
  return fs.existsSync(path.join(dir, NODE_PTY_NATIVE)) ? dir : undefined;
}

/**
 * Copies what node-pty needs at run time on Linux (its JavaScript and its native module) to
 * `systemDir/node-pty`, where the unprivileged host user can read it, for a read-only bind
 * into every sandbox: the agent inside opens the sandbox's terminals with it.
 */
function stageNodePty(systemDir: string): string | undefined {
  const source = nodePtyPackage();
  if (!source) {
    return undefined;
  }
  const target = path.join(systemDir, 'node-pty');
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(source, 'lib'), path.join(target, 'lib'), {
    recursive: true,
    filter: file => !/\.(test\.js|map)$/.test(file),
  });
  fs.mkdirSync(path.join(target, path.dirname(NODE_PTY_NATIVE)), {
    recursive: true,
  });
  fs.copyFileSync(
    path.join(source, NODE_PTY_NATIVE),
    path.join(target, NODE_PTY_NATIVE),
  );
  fs.copyFileSync(
    path.join(source, 'package.json'),
    path.join(target, 'package.json'),
  );
  makeReadable(target);
  return target;
}

function makeReadable(target: string) {
  const stat = fs.statSync(target);
  fs.chmodSync(target, stat.isDirectory() || stat.mode & 0o111 ? 0o755 : 0o644);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) {
      makeReadable(path.join(target, entry));
    }
  }
}

/** The command line that starts an unisolated sandbox's agent: a plain host process. */
export function unisolatedAgentCommand(dirs: SandboxDirs): AgentCommand {
  const nodePty = nodePtyPackage();
  return {
    command: process.execPath,
    args: [
      path.join(dirs.run, 'sandbox-agent.js'),
      path.join(dirs.run, 'agent.sock'),
      ...(nodePty ? [nodePty] : []),
    ],
    env: { PATH: process.env.PATH, HOME: dirs.home },
    cwd: dirs.home,
    extraFds: [],
  };
}

/** The PATH processes start with inside a sandbox. */
export function sandboxPath(mode: IsolationMode): string {
  if (mode === 'bubblewrap') {
    return SANDBOX_PATH;
  }
  return `${path.dirname(process.execPath)}:${
    process.env.PATH ?? '/usr/bin:/bin'
  }`;
}
