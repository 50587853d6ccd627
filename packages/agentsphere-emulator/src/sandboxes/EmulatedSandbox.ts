import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';
import {
  BubblewrapSetup,
  IsolationMode,
  SANDBOX_HOME,
  SANDBOX_ROOT_HOME,
  SANDBOX_TMP,
  userHome,
  SandboxDirs,
  sandboxPath,
  unisolatedAgentCommand,
} from './isolation';
import { SandboxNetwork } from './network';
import { ProcessConfig, PtySize, SandboxProcess } from './SandboxProcess';
import { Readable } from 'node:stream';

/** What a sandbox is created with. */
export interface SandboxSpec {
  sandboxID: string;
  clientID: string;
  templateID: string;
  metadata: Record<string, string>;
  envVars: Record<string, string>;
  endAt: Date;
  envdAccessToken?: string;
  /** Outbound network (AgentSphere's `allowInternetAccess`). */
  allowInternetAccess: boolean;
}

const AGENT_SCRIPT = resolvePackagePath(
  '@coderunner/agentsphere-emulator',
  'agent/sandbox-agent.js',
);

/**
 * The host's certificate authorities, lent read-only to isolated sandboxes. Node trusts only
 * its own bundle unless told; with this, npm and apps in a sandbox trust what curl does,
 * such as a company's TLS-inspecting proxy.
 */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * One emulated sandbox: a directory on the host and an agent process that
 * starts everything else, inside bubblewrap's namespaces when isolated.
 */
export class EmulatedSandbox {
  readonly startedAt = new Date();
  readonly processes = new Map<number, SandboxProcess>();
  private killed = false;

  private constructor(
    readonly spec: SandboxSpec,
    readonly isolation: IsolationMode,
    readonly root: string,
    readonly dirs: SandboxDirs,
    private readonly agent: ChildProcess,
    private readonly bubblewrap: BubblewrapSetup | undefined,
    private readonly network: SandboxNetwork | undefined,
  ) {}

  /** Starts a sandbox: isolated with `bubblewrap` when given, as plain host processes otherwise. */
  static async start(options: {
    spec: SandboxSpec;
    bubblewrap?: BubblewrapSetup;
    workDir: string;
    onAgentExit: () => void;
  }): Promise<EmulatedSandbox> {
    const { spec, bubblewrap } = options;
    const root = path.join(options.workDir, spec.sandboxID);
    const dirs: SandboxDirs = {
      home: path.join(root, 'home'),
      rootHome: path.join(root, 'root'),
      tmp: path.join(root, 'tmp'),
      run: path.join(root, 'run'),
    };
    if (bubblewrap) {
      bubblewrap.createDirs(root, dirs);
    } else {
      for (const dir of Object.values(dirs)) {
        fs.mkdirSync(dir, { recursive: true });
      }
      // `bash -l` resets PATH from /etc/profile; bring the emulator's Node back.
      fs.writeFileSync(
        path.join(dirs.home, '.profile'),
        `export PATH="${path.dirname(process.execPath)}:$PATH"\n`,
      );
    }
    fs.copyFileSync(AGENT_SCRIPT, path.join(dirs.run, 'sandbox-agent.js'));
    const command = bubblewrap
      ? bubblewrap.agentCommand({
          sandboxId: spec.sandboxID,
          dirs,
          internet: spec.allowInternetAccess,
        })
      : unisolatedAgentCommand(dirs);
    let agent: ChildProcess;
    try {
      agent = spawn(command.command, command.args, {
        env: command.env,
        cwd: command.cwd,
        uid: command.uid,
        gid: command.gid,
        detached: true,
        stdio: [
          'pipe',
          'pipe',
          'pipe',
          ...command.extraFds,
          ...(command.infoFd !== undefined ? ['pipe' as const] : []),
        ],
      });
    } finally {
      command.extraFds.forEach(fd => fs.closeSync(fd));
    }
    let agentErrors = '';
    agent.stderr!.on('data', chunk => {
      agentErrors = (agentErrors + chunk).slice(-2000);
    });
    await new Promise<void>((resolve, reject) => {
      agent.stdout!.once('data', () => resolve());
      agent.once('error', reject);
      agent.once('exit', code =>
        reject(
          new Error(`sandbox agent exited with ${code}: ${agentErrors.trim()}`),
        ),
      );
    });
    agent.removeAllListeners('exit');
    let network: SandboxNetwork | undefined;
    if (bubblewrap && command.infoFd !== undefined) {
      try {
        network = await SandboxNetwork.attach({
          tools: bubblewrap.networkTools!,
          outerPid: agent.pid!,
          childPid: await childPid(agent.stdio[command.infoFd] as Readable),
          blocked: bubblewrap.blocked,
          hostId: bubblewrap.hostId,
        });
      } catch (error) {
        killGroup(agent.pid!);
        await fs.promises.rm(root, { recursive: true, force: true });
        throw error;
      }
    }
    agent.once('exit', () => {
      network?.stop();
      options.onAgentExit();
    });
    return new EmulatedSandbox(
      spec,
      bubblewrap ? 'bubblewrap' : 'none',
      root,
      dirs,
      agent,
      bubblewrap,
      network,
    );
  }

  get sandboxId(): string {
    return `${this.spec.sandboxID}-${this.spec.clientID}`;
  }

  /** The host pid of the sandbox's outermost process (bubblewrap or the agent). */
  get agentPid(): number | undefined {
    return this.agent.pid;
  }

  get agentSocketPath(): string {
    return path.join(this.dirs.run, 'agent.sock');
  }

  /**
   * A process with the sandbox's environment under its own; it starts with
   * {@link EmulatedSandbox.startProcess}, so listeners attached before miss nothing.
   */
  createProcess(
    request: {
      cmd: string;
      args?: string[];
      envs?: Record<string, string>;
      cwd?: string;
    },
    tag?: string,
    user = 'user',
    /** Runs the process on a pseudo-terminal of this size inside the sandbox. */
    pty?: PtySize,
  ): SandboxProcess {
    const home = userHome(user) ?? SANDBOX_HOME;
    const config: ProcessConfig = {
      cmd: request.cmd,
      args: request.args ?? [],
      envs: {
        PATH: sandboxPath(this.isolation),
        HOME: this.isolation === 'none' ? this.mappedPath(home)! : home,
        USER: user,
        LANG: 'C.UTF-8',
        AGENTSPHERE_SANDBOX: 'true',
        AGENTSPHERE_SANDBOX_ID: this.sandboxId,
        ...(fs.existsSync(SYSTEM_CA_BUNDLE) && {
          NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE,
        }),
        ...this.spec.envVars,
        ...request.envs,
      },
      cwd: this.processCwd(request.cwd ?? home),
    };
    return new SandboxProcess(config, tag, pty);
  }

  /** Starts a process made by {@link EmulatedSandbox.createProcess}. */
  async startProcess(process: SandboxProcess): Promise<void> {
    await process.start(this.agentSocketPath);
    if (process.end) {
      return;
    }
    this.processes.set(process.pid, process);
    process.once('end', () => this.processes.delete(process.pid));
  }

  findProcess(selector: {
    pid?: number;
    tag?: string;
  }): SandboxProcess | undefined {
    if (selector.pid !== undefined) {
      return this.processes.get(selector.pid);
    }
    for (const process of this.processes.values()) {
      if (process.tag === selector.tag) {
        return process;
      }
    }
    return undefined;
  }

  /** A connection to `port` as seen from inside the sandbox. */
  connectPort(port: number): net.Socket {
    const socket = net.connect(this.agentSocketPath);
    socket.write(`${JSON.stringify({ op: 'connect', port })}\n`);
    return socket;
  }

  /**
   * The host path for a path inside the sandbox, or undefined outside the
   * writable areas (`/home/user`, `/root`, `/tmp`). Relative paths are under `/home/user`.
   * Symbolic links are resolved as far as the path exists, and a path they lead
   * out of those areas is undefined too: the emulator acts with more rights than
   * the sandbox's user, so a link the sandbox planted must not reach host files.
   */
  async hostPath(pathInSandbox: string): Promise<string | undefined> {
    const mapped = this.mappedPath(pathInSandbox);
    if (!mapped) {
      return undefined;
    }
    let existing = mapped;
    while (!(await fs.promises.lstat(existing).catch(() => undefined))) {
      existing = path.dirname(existing);
    }
    const real = await fs.promises.realpath(existing).catch(() => undefined);
    const areas = [this.dirs.home, this.dirs.rootHome, this.dirs.tmp];
    if (
      !real ||
      !areas.some(area => real === area || real.startsWith(`${area}/`))
    ) {
      return undefined;
    }
    return path.join(real, path.relative(existing, mapped));
  }

  private mappedPath(pathInSandbox: string): string | undefined {
    const absolute = path.posix.resolve(SANDBOX_HOME, pathInSandbox);
    for (const [inside, outside] of [
      [SANDBOX_HOME, this.dirs.home],
      [SANDBOX_ROOT_HOME, this.dirs.rootHome],
      [SANDBOX_TMP, this.dirs.tmp],
    ]) {
      if (absolute === inside || absolute.startsWith(`${inside}/`)) {
        return path.join(outside, absolute.slice(inside.length));
      }
    }
    if (this.isolation === 'none') {
      // Unisolated processes see host paths: their home is its host directory.
      for (const area of [this.dirs.home, this.dirs.rootHome, this.dirs.tmp]) {
        if (absolute === area || absolute.startsWith(`${area}/`)) {
          return absolute;
        }
      }
    }
    return undefined;
  }

  /** Creates a directory and its missing parents, owned by the sandbox's user. */
  async makeDirectory(hostDir: string): Promise<void> {
    const missing: string[] = [];
    for (
      let dir = hostDir;
      !(await fs.promises.lstat(dir).catch(() => undefined));
      dir = path.dirname(dir)
    ) {
      missing.unshift(dir);
    }
    for (const dir of missing) {
      await fs.promises.mkdir(dir);
      this.bubblewrap?.own(dir);
    }
  }

  /** Writes a file as the sandbox's user would own it; never follows a link at its name. */
  async writeFile(hostPath: string, data: Buffer): Promise<void> {
    await this.makeDirectory(path.dirname(hostPath));
    const stat = await fs.promises.lstat(hostPath).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      await fs.promises.unlink(hostPath);
    }
    await fs.promises.writeFile(hostPath, data);
    this.bubblewrap?.own(hostPath);
  }

  private processCwd(cwd: string): string {
    if (this.isolation === 'bubblewrap') {
      return cwd;
    }
    return this.mappedPath(cwd) ?? cwd;
  }

  /** Kills the sandbox and everything it started, and removes its files. */
  async kill(): Promise<void> {
    if (this.killed) {
      return;
    }
    this.killed = true;
    const exited = new Promise(resolve => {
      if (this.agent.exitCode !== null || this.agent.signalCode !== null) {
        resolve(undefined);
      } else {
        this.agent.once('exit', resolve);
      }
    });
    if (this.isolation === 'none') {
      for (const pid of this.processes.keys()) {
        killGroup(pid);
      }
    }
    // Killing bubblewrap's group ends the PID namespace and with it every process in it.
    killGroup(this.agent.pid!);
    this.network?.stop();
    await exited;
    await fs.promises.rm(this.root, { recursive: true, force: true });
  }
}

/** The host pid of bubblewrap's process inside the sandbox, from its `--info-fd` JSON. */
async function childPid(info: Readable): Promise<number> {
  let text = '';
  for await (const chunk of info) {
    text += chunk;
    const match = /"child-pid":\s*(\d+)/.exec(text);
    if (match) {
      info.destroy();
      return Number(match[1]);
    }
  }
  throw new Error(`bubblewrap gave no child pid: ${text}`);
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
